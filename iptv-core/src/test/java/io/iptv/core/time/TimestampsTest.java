package io.iptv.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void convertsBetweenTicksAndDurations() {
    assertEquals(Duration.ofMillis(1500), Timestamps.toDuration(135_000));
    assertEquals(Duration.ofSeconds(-1), Timestamps.toDuration(-90_000));
    assertEquals(3003, Timestamps.fromDuration(Duration.ofNanos(33_366_667)));
    assertEquals(1.5, Timestamps.toSeconds(135_000));
    assertEquals(1024 * 90_000 / 48_000, Timestamps.rescale(1024, 48_000, 90_000));
    assertEquals(2, Timestamps.rescale(3, 2, 1), "rounds half up");
  }

  @Test
  void rescaleFastPathMatchesExactArithmetic() {
    java.util.Random random = new java.util.Random(42);
    long[] scales = {1, 2, 3, 1000, 44_100, 48_000, 90_000, 1_000_000_000L, 0xFFFF_FFFFL};
    long[] edges = {0, 1, -1, 1L << 33, -(1L << 33), Long.MAX_VALUE / 90_000, Long.MIN_VALUE / 90_000,
        Long.MAX_VALUE / 2, Long.MIN_VALUE / 2};
    for (int i = 0; i < 20_000; i++) {
      long value = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
      long from = scales[random.nextInt(scales.length)];
      long to = scales[random.nextInt(scales.length)];
      java.math.BigInteger exact = java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(to))
          .add(java.math.BigInteger.valueOf(from / 2)).divide(java.math.BigInteger.valueOf(from));
      if (exact.bitLength() < 64) {
        assertEquals(exact.longValue(), Timestamps.rescale(value, from, to), value + " " + from + "->" + to);
      } else {
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
            () -> Timestamps.rescale(value, from, to));
      }
    }
  }
}
