package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SamplePayloads#nextStartCode} (eight bytes at a time) against the plain byte-stepping search. */
class SamplePayloadsStartCodeTest {
  @Test
  void wordSearchFindsWhatTheByteSearchFinds() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 20_000; round++) {
      int n = random.nextInt(0, 64);
      byte[] b = new byte[n + random.nextInt(0, 9)]; // slack after n, which must never be read as data
      for (int i = 0; i < b.length; i++) {
        // mostly 0 and 1, so that start codes, near misses and zero runs occur at every alignment
        int r = random.nextInt(8);
        b[i] = (byte) (r < 3 ? 0 : r < 5 ? 1 : random.nextInt(256));
      }
      int from = n == 0 ? 0 : random.nextInt(0, n + 1);
      int expected = SamplePayloads.nextStartCodeBytewise(b, from, n);
      assertEquals(expected, SamplePayloads.nextStartCode(b, from, n),
          () -> "from " + from + " n " + n + " in " + java.util.HexFormat.of().formatHex(b));
      if (expected >= 0) {
        assertEquals(0, b[expected]);
        assertEquals(1, b[expected + 2]);
      }
    }
  }

  @Test
  void startCodeAcrossEveryWordBoundary() {
    for (int at = 0; at < 24; at++) {
      byte[] b = new byte[32];
      java.util.Arrays.fill(b, (byte) 0x55);
      b[at] = 0;
      b[at + 1] = 0;
      b[at + 2] = 1;
      assertEquals(at, SamplePayloads.nextStartCode(b, 0, b.length), "start code at " + at);
      assertEquals(-1, SamplePayloads.nextStartCode(b, at + 1, b.length), "after the start code at " + at);
      assertEquals(-1, SamplePayloads.nextStartCode(b, 0, at + 2), "cut before its 01 at " + at);
    }
  }
}
