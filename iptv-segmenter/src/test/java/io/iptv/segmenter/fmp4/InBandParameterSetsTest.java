package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.segmenter.slate.SlateEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link InBandParameterSets} on a real encoder's IDR and on hand-made Annex B access units. */
class InBandParameterSetsTest {
  @Test
  void findsTheSlateEncodersSpsAndPps() {
    List<ByteSlice> gop = SlateEncoder.encodeGop(320, 180, 2);
    List<ByteSlice> sets = InBandParameterSets.of(Codec.H264, gop.get(0));
    assertEquals(2, sets.size(), "SPS and PPS");
    assertEquals(7, sets.get(0).byteAt(0) & 0x1F);
    assertEquals(8, sets.get(1).byteAt(0) & 0x1F);
    assertEquals(List.of(), InBandParameterSets.of(Codec.H264, gop.get(1)), "a P frame carries none");
  }

  @Test
  void handlesFourByteStartCodesTrailingZerosAndOtherPayloads() {
    byte[] au = {0, 0, 0, 1, 0x09, (byte) 0xF0, // AUD
        0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1E, 0, 0, // SPS + trailing_zero_8bits
        0, 0, 1, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80, // PPS
        0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84}; // IDR slice
    List<ByteSlice> sets = InBandParameterSets.of(Codec.H264, ByteSlice.wrap(au));
    assertEquals(List.of(ByteSlice.wrap(new byte[] {0x67, 0x42, 0x00, 0x1E}),
        ByteSlice.wrap(new byte[] {0x68, (byte) 0xCE, 0x3C, (byte) 0x80})), sets);
    byte[] hevc = {0, 0, 1, 0x40, 0x01, 0x0C, 0, 0, 1, 0x42, 0x01, 0x01, 0, 0, 1, 0x44, 0x01, (byte) 0xC1,
        0, 0, 1, 0x26, 0x01, (byte) 0xAF}; // VPS, SPS, PPS, IDR_W_RADL
    assertEquals(3, InBandParameterSets.of(Codec.H265, ByteSlice.wrap(hevc)).size());
    assertEquals(List.of(), InBandParameterSets.of(Codec.AAC, ByteSlice.wrap(au)));
    assertEquals(List.of(), InBandParameterSets.of(Codec.H264, ByteSlice.wrap(new byte[] {0x67, 1, 2})),
        "not Annex B");
    assertEquals(List.of(), InBandParameterSets.of(Codec.H264, ByteSlice.wrap(new byte[0])));
  }
}
