package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SectionReaderTest {
  private final List<byte[]> sections = new ArrayList<>();
  private final SectionReader reader = new SectionReader((s, o, l) -> sections.add(Arrays.copyOfRange(s, o, o + l)));

  private static byte[] section(int size, int seed) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) seed);
    return TsTestStream.section(0x02, seed, 0, body);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] all = new byte[length];
    int position = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, position, p.length);
      position += p.length;
    }
    return all;
  }

  @Test
  void sectionSpanningPacketsThenTwoInOnePacketAfterPointer() throws Exception {
    byte[] a = section(300, 1);
    byte[] b = section(20, 2);
    byte[] c = section(30, 3);
    // packet 1: pointer 0, first 183 bytes of a
    reader.consume(concat(new byte[] {0}, Arrays.copyOf(a, 183)), 0, 184, true);
    // packet 2: rest of a (no start)
    byte[] rest = Arrays.copyOfRange(a, 183, a.length);
    reader.consume(rest, 0, rest.length, false);
    assertEquals(1, sections.size());
    // packet 3: pointer 0, b then c then stuffing
    byte[] stuffing = new byte[40];
    Arrays.fill(stuffing, (byte) 0xFF);
    byte[] p3 = concat(new byte[] {0}, b, c, stuffing);
    reader.consume(p3, 0, p3.length, true);
    assertEquals(3, sections.size());
    assertArrayEquals(a, sections.get(0));
    assertArrayEquals(b, sections.get(1));
    assertArrayEquals(c, sections.get(2));
  }

  @Test
  void pointerFieldSkipsTheTailOfALostSectionAndCompletesAKnownOne() throws Exception {
    byte[] a = section(200, 1);
    byte[] b = section(10, 2);
    reader.consume(concat(new byte[] {0}, Arrays.copyOf(a, 183)), 0, 184, true);
    byte[] tail = Arrays.copyOfRange(a, 183, a.length);
    byte[] p2 = concat(new byte[] {(byte) tail.length}, tail, b);
    reader.consume(p2, 0, p2.length, true);
    assertEquals(2, sections.size());
    assertArrayEquals(a, sections.get(0));
    assertArrayEquals(b, sections.get(1));

    sections.clear();
    reader.reset(); // lost packets
    reader.consume(p2, 0, p2.length, true);
    assertEquals(1, sections.size());
    assertArrayEquals(b, sections.get(0));
  }

  @Test
  void badCrcAndBadPointerAreCounted() throws Exception {
    byte[] a = section(10, 1);
    a[12] ^= 0x40;
    byte[] p = concat(new byte[] {0}, a);
    reader.consume(p, 0, p.length, true);
    assertEquals(0, sections.size());
    assertEquals(1, reader.crcErrors);
    reader.consume(new byte[] {(byte) 200, 1, 2}, 0, 3, true);
    assertEquals(1, reader.malformedSections);
  }
}
