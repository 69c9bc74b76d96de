package io.iptv.segmenter.es;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iptv.core.io.ByteSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Handed-over slices must keep their bytes whatever the accumulator does next (append, reclaim, clear). */
class ByteAccumulatorTest {
  @Test
  void handedOverSlicesSurviveLaterAppendsReclaimsAndClears() {
    ByteAccumulator accumulator = new ByteAccumulator(64, 1 << 16);
    Random random = new Random(7);
    List<ByteSlice> slices = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int round = 0; round < 2_000; round++) {
      byte[] chunk = new byte[1 + random.nextInt(100)];
      random.nextBytes(chunk);
      int shift = accumulator.append(chunk, 0, chunk.length);
      assertEquals(true, shift >= 0, "append refused below the cap");
      int size = accumulator.size();
      if (size > 0 && random.nextInt(3) == 0) {
        // hand over a prefix of the unconsumed bytes as a "unit", consume it
        int unit = 1 + random.nextInt(size);
        int from = accumulator.start();
        byte[] copy = java.util.Arrays.copyOfRange(accumulator.data(), from, from + unit);
        slices.add(accumulator.handOver(from, from + unit));
        expected.add(copy);
        accumulator.consumeTo(from + unit);
      }
      if (random.nextInt(50) == 0) {
        accumulator.clear();
      }
    }
    for (int i = 0; i < slices.size(); i++) {
      assertArrayEquals(expected.get(i), slices.get(i).toByteArray(), "slice " + i + " changed");
    }
  }

  @Test
  void keptBytesSurviveTheMoveToAFreshArray() {
    ByteAccumulator accumulator = new ByteAccumulator(16, 1024);
    byte[] bytes = new byte[12];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    accumulator.append(bytes, 0, 12);
    ByteSlice first = accumulator.handOver(0, 8);
    accumulator.consumeTo(8);
    int shift = accumulator.append(bytes, 0, 12); // does not fit: 4 kept bytes move to a fresh array
    assertEquals(8, shift);
    assertEquals(0, accumulator.start());
    assertEquals(16, accumulator.size());
    assertArrayEquals(new byte[] {8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
        java.util.Arrays.copyOfRange(accumulator.data(), 0, 16));
    assertArrayEquals(java.util.Arrays.copyOf(bytes, 8), first.toByteArray());
  }
}
