package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PesPacketizerTest {
  @Test
  void ptsOnlyHeader() {
    PesPacketizer pes = new PesPacketizer();
    pes.begin(0xC0, 0x1_2345_6789L, 0x1_2345_6789L);
    pes.append(new byte[] {9, 8, 7}, 0, 3);
    pes.finish(false);
    byte[] b = pes.toByteArray();
    // 0x1_2345_6789 = bits 32..30 '100', 29..15 = 0x2345_6789 >> 15 & 0x7FFF, 14..0
    long v = 0x1_2345_6789L;
    byte[] expected = {0, 0, 1, (byte) 0xC0, 0, 11, (byte) 0x84, (byte) 0x80, 5,
        (byte) (0x20 | (v >> 29 & 0x0E) | 1), (byte) (v >> 22), (byte) ((v >> 14 & 0xFE) | 1), (byte) (v >> 7),
        (byte) ((v << 1 & 0xFE) | 1), 9, 8, 7};
    assertArrayEquals(expected, b);
  }

  @Test
  void ptsAndDtsAreRewrappedTo33Bits() {
    PesPacketizer pes = new PesPacketizer();
    long wrap = 1L << 33;
    pes.begin(0xE0, wrap + 7200, wrap + 3600);
    pes.finish(true);
    byte[] b = pes.toByteArray();
    assertEquals(19, b.length);
    assertEquals(0, b[4] | b[5], "unbounded PES_packet_length");
    assertEquals(0xC0, b[7] & 0xFF, "PTS_DTS_flags '11'");
    assertEquals(10, b[8]);
    assertEquals(0x3, (b[9] & 0xF0) >> 4, "PTS prefix '0011'");
    assertEquals(0x1, (b[14] & 0xF0) >> 4, "DTS prefix '0001'");
    MuxTestSupport.Pes parsed = MuxTestSupport.pes(MuxTestSupport.packets(packetize(b)), 0x100).get(0);
    assertEquals(7200, parsed.pts33());
    assertEquals(3600, parsed.dts33());
  }

  @Test
  void boundedPacketMustFit() {
    PesPacketizer pes = new PesPacketizer();
    pes.begin(0xC0, 0, 0);
    pes.append(new byte[70_000], 0, 70_000);
    assertThrows(IllegalStateException.class, () -> pes.finish(false));
  }

  private static byte[] packetize(byte[] pes) {
    TsPacketWriter w = new TsPacketWriter();
    w.writePes(0x100, new ContinuityCounter(), pes, 0, pes.length, TsPacketWriter.NO_PCR, false, false);
    return w.takeOut().toByteArray();
  }
}
