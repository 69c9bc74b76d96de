package io.iptv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link StartCodes#next} (eight bytes at a time) against the byte-by-byte search. */
class StartCodesTest {
  @Test
  void findsWhatTheByteSearchFinds() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 20_000; round++) {
      int limit = random.nextInt(0, 64);
      byte[] b = new byte[limit + random.nextInt(0, 9)]; // bytes after limit must be ignored
      for (int i = 0; i < b.length; i++) {
        int r = random.nextInt(8); // mostly 0 and 1: start codes, near misses and zero runs at every alignment
        b[i] = (byte) (r < 3 ? 0 : r < 5 ? 1 : random.nextInt(256));
      }
      int from = random.nextInt(-1, limit + 2);
      assertEquals(StartCodes.nextBytewise(b, from, limit), StartCodes.next(b, from, limit),
          () -> "from " + from + " limit " + limit + " in " + HexFormat.of().formatHex(b));
    }
  }

  @Test
  void byteSliceSearchesItsOwnRangeOnly() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 5_000; round++) {
      byte[] b = new byte[random.nextInt(0, 48)];
      for (int i = 0; i < b.length; i++) {
        int r = random.nextInt(8);
        b[i] = (byte) (r < 3 ? 0 : r < 5 ? 1 : random.nextInt(256));
      }
      int offset = random.nextInt(0, b.length + 1);
      int length = random.nextInt(0, b.length - offset + 1);
      ByteSlice slice = ByteSlice.wrap(b, offset, length);
      byte[] copy = slice.toByteArray();
      int from = random.nextInt(0, length + 2);
      assertEquals(StartCodes.nextBytewise(copy, from, copy.length), slice.indexOfStartCode(from),
          () -> "offset " + offset + " length " + length + " from " + from + " in " + HexFormat.of().formatHex(b));
    }
  }

  @Test
  void startCodeAtEveryAlignment() {
    for (int at = 0; at < 24; at++) {
      byte[] b = new byte[32];
      Arrays.fill(b, (byte) 0x55);
      b[at] = 0;
      b[at + 1] = 0;
      b[at + 2] = 1;
      assertEquals(at, StartCodes.next(b, 0, b.length), "start code at " + at);
      assertEquals(-1, StartCodes.next(b, at + 1, b.length), "after the start code at " + at);
      assertEquals(-1, StartCodes.next(b, 0, at + 2), "limit before its 01, at " + at);
      assertEquals(at, StartCodes.next(b, 0, at + 3), "limit just after its 01, at " + at);
    }
  }
}
