package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsPacketWriterTest {
  @Test
  void everyPayloadLengthEndsExactlyAtAPacketBoundary() {
    for (int length = 1; length <= 3 * 184 + 10; length++) {
      for (long pcr : new long[] {TsPacketWriter.NO_PCR, 123_456_789L}) {
        byte[] pes = new byte[length];
        for (int i = 0; i < length; i++) {
          pes[i] = (byte) (i * 31 + 7);
        }
        TsPacketWriter writer = new TsPacketWriter();
        ContinuityCounter cc = new ContinuityCounter();
        writer.writePes(0x123, cc, pes, 0, length, pcr, true, false);
        List<MuxTestSupport.Packet> packets = MuxTestSupport.packets(writer.takeOut().toByteArray());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
          MuxTestSupport.Packet p = packets.get(i);
          assertEquals(0x123, p.pid());
          assertEquals(i == 0, p.unitStart());
          assertEquals(i % 16, p.continuityCounter());
          assertEquals(i == 0, p.randomAccess(), "RAI only on the first packet");
          assertEquals(i == 0 && pcr != TsPacketWriter.NO_PCR ? pcr : -1, p.pcr90k());
          payload.writeBytes(p.payload());
        }
        assertArrayEquals(pes, payload.toByteArray(), "length " + length);
      }
    }
  }

  @Test
  void pcrOnlyPacketKeepsTheCounterAndCarriesNoPayload() {
    TsPacketWriter writer = new TsPacketWriter();
    ContinuityCounter cc = new ContinuityCounter();
    writer.writePes(0x100, cc, new byte[10], 0, 10, TsPacketWriter.NO_PCR, false, false);
    writer.writePcrOnly(0x100, cc, (1L << 33) + 5, true);
    List<MuxTestSupport.Packet> packets = MuxTestSupport.packets(writer.takeOut().toByteArray());
    MuxTestSupport.Packet pcrOnly = packets.get(1);
    assertEquals(0b10, pcrOnly.adaptationFieldControl());
    assertFalse(pcrOnly.hasPayload());
    assertEquals(0, pcrOnly.continuityCounter(), "same CC as the last payload packet");
    assertEquals(5, pcrOnly.pcr90k(), "PCR re-wrapped to 33 bits");
    assertTrue(pcrOnly.discontinuity());
    assertEquals(1, cc.next());
  }

  @Test
  void sectionIsPrecededByPointerFieldAndPaddedWithFf() {
    TsPacketWriter writer = new TsPacketWriter();
    byte[] section = {1, 2, 3};
    writer.writeSection(0, new ContinuityCounter(), section, 0, 3);
    byte[] ts = writer.takeOut().toByteArray();
    assertEquals(188, ts.length);
    assertEquals(0x40, ts[1] & 0xFF, "payload_unit_start_indicator, PID 0");
    assertEquals(0x10, ts[3] & 0xFF, "payload only, CC 0");
    assertEquals(0, ts[4], "pointer_field");
    assertArrayEquals(section, java.util.Arrays.copyOfRange(ts, 5, 8));
    for (int i = 8; i < 188; i++) {
      assertEquals((byte) 0xFF, ts[i]);
    }
  }

  @Test
  void resetKeepsNothing() {
    TsPacketWriter writer = new TsPacketWriter();
    writer.writePes(0x100, new ContinuityCounter(), new byte[500], 0, 500, TsPacketWriter.NO_PCR, false, false);
    assertEquals(3 * 188, writer.size());
    writer.reset();
    assertEquals(0, writer.size());
    assertEquals(0, writer.takeOut().length());
  }

  @Test
  void takeOutHandsOverTheSegmentAndStartsAfresh() {
    TsPacketWriter writer = new TsPacketWriter();
    ContinuityCounter cc = new ContinuityCounter();
    byte[] pes = new byte[100_000];
    java.util.Arrays.fill(pes, (byte) 0x5A);
    writer.writePes(0x100, cc, pes, 0, pes.length, TsPacketWriter.NO_PCR, false, false);
    int size = writer.size();
    io.iptv.core.io.ByteSlice first = writer.takeOut();
    assertEquals(size, first.length());
    assertEquals(0, writer.size(), "empty after takeOut");
    byte[] before = first.toByteArray();
    java.util.Arrays.fill(pes, (byte) 0x11);
    writer.writePes(0x100, cc, pes, 0, pes.length, TsPacketWriter.NO_PCR, false, false);
    io.iptv.core.io.ByteSlice second = writer.takeOut();
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, first.toByteArray(),
        "the first segment is not overwritten by the next");
    assertEquals(size, second.length());
    org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
  }

  @Test
  void gatheredPesIsWrittenLikeTheContiguousPacket() {
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 300; round++) {
      PesPacketizer pes = new PesPacketizer();
      boolean withDts = random.nextBoolean();
      pes.begin(0xE0, 900_000, withDts ? 896_400 : 900_000);
      int pieces = random.nextInt(6);
      for (int k = 0; k < pieces; k++) {
        byte[] piece = new byte[random.nextInt(k == 0 ? 3 : 400)];
        random.nextBytes(piece);
        int from = piece.length == 0 ? 0 : random.nextInt(piece.length);
        pes.append(piece, from, piece.length - from); // pieces of 0..399 bytes, cut anywhere
      }
      pes.finish(/* unbounded= */ true);
      long pcr = random.nextBoolean() ? TsPacketWriter.NO_PCR : 812_345L;
      boolean randomAccess = random.nextBoolean();
      TsPacketWriter gathered = new TsPacketWriter();
      gathered.writePes(0x100, new ContinuityCounter(), pes, pcr, randomAccess, false);
      byte[] contiguous = pes.toByteArray();
      TsPacketWriter reference = new TsPacketWriter();
      reference.writePes(0x100, new ContinuityCounter(), contiguous, 0, contiguous.length, pcr, randomAccess,
          false);
      assertArrayEquals(reference.takeOut().toByteArray(), gathered.takeOut().toByteArray(), "round " + round);
    }
  }

  @Test
  void reserveChangesNoOutputAndSurvivesUnderestimates() {
    byte[] pes = new byte[50_000];
    java.util.Arrays.fill(pes, (byte) 0x33);
    TsPacketWriter plain = new TsPacketWriter();
    plain.writePes(0x100, new ContinuityCounter(), pes, 0, pes.length, TsPacketWriter.NO_PCR, false, false);
    byte[] expected = plain.takeOut().toByteArray();
    for (int reserve : new int[] {0, 188, 10_000, 60_000, 1 << 20}) {
      TsPacketWriter writer = new TsPacketWriter();
      writer.takeOut(); // the buffer is allocated lazily after a takeOut
      writer.reserve(reserve);
      writer.writePes(0x100, new ContinuityCounter(), pes, 0, pes.length, TsPacketWriter.NO_PCR, false, false);
      writer.reserve(reserve); // reserving with bytes written keeps them
      assertArrayEquals(expected, writer.takeOut().toByteArray(), "reserve " + reserve);
    }
  }
}
