package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PesReaderTest {
  private final List<long[]> timestamps = new ArrayList<>();
  private final PesReader reader = new PesReader((d, o, l, pts, dts, ra) -> timestamps.add(new long[] {pts, dts, l}),
      1 << 16);

  @Test
  void parsesPtsAndDtsWithAll33Bits() throws Exception {
    long pts = (1L << 33) - 1;
    long dts = 0x1_2345_6789L;
    byte[] pes = TsTestStream.pesBytes(0xE0, pts, dts, new byte[10], true);
    reader.consume(pes, 0, pes.length, true, false);
    assertEquals(1, timestamps.size());
    assertEquals(pts, timestamps.get(0)[0]);
    assertEquals(dts, timestamps.get(0)[1]);
    assertEquals(10, timestamps.get(0)[2]);
  }

  @Test
  void badMarkerBitDropsThePacket() throws Exception {
    byte[] pes = TsTestStream.pesBytes(0xC0, 1234, -1, new byte[10], true);
    pes[11] &= (byte) 0xFE; // marker_bit after PTS[29..15]
    reader.consume(pes, 0, pes.length, true, false);
    assertEquals(0, timestamps.size());
    assertEquals(1, reader.dropped);
  }

  @Test
  void boundedPacketIsDeliveredWithoutWaitingForTheNextStart() throws Exception {
    byte[] pes = TsTestStream.pesBytes(0xC0, 1234, -1, new byte[300], true);
    reader.consume(pes, 0, 184, true, false);
    assertEquals(0, timestamps.size());
    reader.consume(pes, 184, pes.length - 184, false, false);
    assertEquals(1, timestamps.size());
    assertEquals(-1, timestamps.get(0)[1]);
  }
}
