package io.iptv.segmenter.es;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time {@link StartCodeUnitReader#findStartCode} must find exactly what the plain byte search
 * finds, for every start offset and limit, including start codes straddling word and buffer ends.
 */
class StartCodeSearchTest {
  @Test
  void matchesBytewiseSearchOnRandomZeroHeavyData() {
    Random random = new Random(20261125);
    for (int round = 0; round < 2000; round++) {
      byte[] data = new byte[random.nextInt(64)];
      for (int i = 0; i < data.length; i++) {
        int r = random.nextInt(8);
        // Mostly 0 and 1 so that start codes, 00 00 00 01 and near misses are everywhere.
        data[i] = (byte) (r < 4 ? 0 : r < 6 ? 1 : random.nextInt(256));
      }
      for (int from = 0; from <= data.length; from++) {
        for (int limit = from; limit <= data.length; limit++) {
          int f = from;
          int l = limit;
          assertEquals(StartCodeUnitReader.findStartCodeBytewise(data, f, l),
              StartCodeUnitReader.findStartCode(data, f, l),
              () -> "from " + f + " limit " + l + " in " + java.util.HexFormat.of().formatHex(data));
        }
      }
    }
  }

  @Test
  void findsStartCodeAfterLongRunWithoutZeros() {
    byte[] data = new byte[1000];
    java.util.Arrays.fill(data, (byte) 0x55);
    for (int at = 0; at + 3 <= data.length; at += 37) {
      byte[] copy = data.clone();
      copy[at] = 0;
      copy[at + 1] = 0;
      copy[at + 2] = 1;
      assertEquals(at, StartCodeUnitReader.findStartCode(copy, 0, copy.length));
      assertEquals(-1, StartCodeUnitReader.findStartCode(copy, 0, at + 2), "cut before the 01");
    }
    assertEquals(-1, StartCodeUnitReader.findStartCode(data, 0, data.length));
  }
}
