package io.iptv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StartCodesTest {
  /** The obvious definition the fast scan must match. */
  private static int reference(byte[] d, int from, int limit) {
    for (int i = Math.max(0, from); i + 2 < limit; i++) {
      if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void matchesTheByteByByteDefinitionOnRandomStreams() {
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      byte[] d = new byte[random.nextInt(80)];
      int zeroPercent = random.nextInt(90);
      for (int i = 0; i < d.length; i++) {
        int r = random.nextInt(100);
        d[i] = (byte) (r < zeroPercent ? 0 : r < zeroPercent + 5 ? 1 : random.nextInt(256));
      }
      int from = d.length == 0 ? 0 : random.nextInt(d.length + 1) - 1;
      int limit = d.length == 0 ? 0 : Math.max(0, d.length - random.nextInt(4));
      // every start code in the stream, one after another, as the readers walk them
      for (int at = from; ; ) {
        int expected = reference(d, at, limit);
        assertEquals(expected, StartCodes.next(d, at, limit), "round " + round + " from " + at);
        if (expected < 0) {
          break;
        }
        at = expected + 1;
      }
    }
  }

  @Test
  void findsStartCodesAtEveryPositionOfAWordAndAcrossWords() {
    for (int length = 3; length <= 40; length++) {
      for (int at = 0; at + 3 <= length; at++) {
        byte[] d = new byte[length];
        java.util.Arrays.fill(d, (byte) 0x55);
        d[at] = 0;
        d[at + 1] = 0;
        d[at + 2] = 1;
        assertEquals(at, StartCodes.next(d, 0, length), "length " + length + " at " + at);
        assertEquals(-1, StartCodes.next(d, 0, at + 2), "cut before the 01: length " + length + " at " + at);
        assertEquals(-1, StartCodes.next(d, at + 1, length), "starting past it");
      }
    }
  }

  @Test
  void zerosWithoutAOneAreNoStartCode() {
    assertEquals(-1, StartCodes.next(new byte[64], 0, 64));
    assertEquals(-1, StartCodes.next(new byte[] {0, 0, 2, 0, 0, 3, 0, 0}, 0, 8));
    assertEquals(5, StartCodes.next(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, 0, 8));
    assertThrows(IndexOutOfBoundsException.class, () -> StartCodes.next(new byte[4], 0, 5));
  }

  @Test
  void byteSliceSearchesItsOwnRangeOnly() {
    Random random = new Random(3);
    for (int round = 0; round < 5_000; round++) {
      byte[] b = new byte[random.nextInt(48)];
      for (int i = 0; i < b.length; i++) {
        int r = random.nextInt(8);
        b[i] = (byte) (r < 3 ? 0 : r < 5 ? 1 : random.nextInt(256));
      }
      int offset = random.nextInt(b.length + 1);
      int length = random.nextInt(b.length - offset + 1);
      ByteSlice slice = ByteSlice.wrap(b, offset, length);
      byte[] copy = slice.toByteArray();
      int from = random.nextInt(length + 2);
      int expected = from >= copy.length ? -1 : reference(copy, from, copy.length);
      assertEquals(expected, slice.indexOfStartCode(from), "offset " + offset + " length " + length + " from " + from);
    }
  }
}
