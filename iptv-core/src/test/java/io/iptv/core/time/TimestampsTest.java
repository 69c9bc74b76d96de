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
}
