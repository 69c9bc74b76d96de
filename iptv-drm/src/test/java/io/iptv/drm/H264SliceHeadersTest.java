package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.EmulationPrevention;
import io.iptv.core.media.Codec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link H264SliceHeaders} on hand-assembled parameter sets and slice headers (ITU-T H.264 §7.3.2, §7.3.3),
 * written field by field with {@link RbspBitWriter}: the measured header length is the NAL header plus the
 * slice header rounded up to whole bytes, counted with emulation prevention bytes; unknown PPS gives -1.
 */
class H264SliceHeadersTest {
  /** An SPS (High profile, 4:2:0) with the given frame_num and POC LSB lengths, poc type 0, frames only. */
  private static byte[] sps(int log2MaxFrameNum, int log2MaxPocLsb) {
    RbspBitWriter b = new RbspBitWriter().u(8, 100).u(8, 0).u(8, 30).ue(0); // profile_idc, flags, level_idc, sps_id
    b.ue(1).ue(0).ue(0).u(1, 0).u(1, 0); // chroma_format_idc, bit depths, qpprime, no scaling matrix
    b.ue(log2MaxFrameNum - 4).ue(0).ue(log2MaxPocLsb - 4); // log2_max_frame_num, poc type 0, log2_max_poc_lsb
    b.ue(2).u(1, 0).ue(39).ue(21).u(1, 1).u(1, 1).u(1, 0).u(1, 0).u(1, 1); // refs, gaps, size, frame_mbs_only...
    return nal(0x67, b.bytes());
  }

  /** A PPS: CABAC, no slice groups, 1 reference by default, no weighted prediction, deblocking control. */
  private static byte[] pps() {
    RbspBitWriter b = new RbspBitWriter().ue(0).ue(0).u(1, 1).u(1, 0).ue(0).ue(0).ue(0).u(1, 0).u(2, 0);
    b.se(0).se(0).se(0).u(1, 1).u(1, 0).u(1, 0).u(1, 1); // qp, qs, chroma offset, deblocking, ..., stop bit
    return nal(0x68, b.bytes());
  }

  private static byte[] nal(int header, byte[] rbsp) {
    byte[] escaped = EmulationPrevention.escape(rbsp, 0, rbsp.length);
    byte[] out = new byte[escaped.length + 1];
    out[0] = (byte) header;
    System.arraycopy(escaped, 0, out, 1, escaped.length);
    return out;
  }

  private record Slice(byte[] nal, int expectedHeaderBytes) {}

  /** A slice: header fields, then 40 bytes of slice data; the expected header length counts the escapes. */
  private static Slice slice(int header, RbspBitWriter fields) {
    int rbspHeaderBytes = (fields.bits() + 7) / 8;
    fields.u(8 * rbspHeaderBytes - fields.bits(), 0); // pad to the byte (cabac_alignment_one_bit stand-in)
    for (int i = 0; i < 40; i++) {
      fields.u(8, 0x41 + i); // slice data
    }
    byte[] rbsp = fields.bytes();
    byte[] nal = nal(header, rbsp);
    // the escaped length of the header bytes plus an escape inserted before the first data byte, if any
    int expected = 1 + EmulationPrevention.escape(rbsp, 0, rbspHeaderBytes + 1).length - 1;
    return new Slice(nal, expected);
  }

  private static H264SliceHeaders headers(int log2MaxFrameNum, int log2MaxPocLsb) {
    H264SliceHeaders h = new H264SliceHeaders();
    h.addParameterSets(List.of(ByteSlice.wrap(sps(log2MaxFrameNum, log2MaxPocLsb)), ByteSlice.wrap(pps())));
    return h;
  }

  @Test
  void idrSliceHeader() {
    // first_mb 0, slice_type 7 (I), pps 0, frame_num (4), idr_pic_id 0, poc lsb (6), dec_ref_pic_marking (2),
    // slice_qp_delta, disable_deblocking_filter_idc 0, alpha, beta: 26 bits -> 4 bytes
    RbspBitWriter f = new RbspBitWriter().ue(0).ue(7).ue(0).u(4, 0).ue(0).u(6, 0).u(2, 0).se(0).ue(0).se(0).se(0);
    assertEquals(26, f.bits());
    Slice s = slice(0x65, f);
    assertEquals(5, s.expectedHeaderBytes());
    assertEquals(5, headers(4, 6).headerBytes(s.nal(), 0, s.nal().length));
  }

  @Test
  void pSliceHeaderWithCabacAndAdaptiveMarking() {
    RbspBitWriter f = new RbspBitWriter().ue(0).ue(5).ue(0).u(4, 3).u(6, 6); // P, frame_num 3, poc lsb 6
    f.u(1, 1).ue(1); // num_ref_idx_active_override_flag, num_ref_idx_l0_active_minus1 = 1
    f.u(1, 1).ue(0).ue(2).ue(3); // ref_pic_list_modification: one entry, end
    f.u(1, 1).ue(1).ue(4).ue(0); // adaptive_ref_pic_marking: mmco 1 (difference 4), end
    f.ue(2).se(-3).ue(1); // cabac_init_idc, slice_qp_delta, disable_deblocking_filter_idc 1 (no offsets)
    Slice s = slice(0x41, f);
    assertEquals(s.expectedHeaderBytes(), headers(4, 6).headerBytes(s.nal(), 0, s.nal().length));
  }

  @Test
  void emulationPreventionBytesInsideTheHeaderAreCounted() {
    // 16-bit frame_num and POC LSB of zero make "00 00 00" in the RBSP: escaped as 00 00 03 00
    RbspBitWriter f = new RbspBitWriter().ue(0).ue(5).ue(0).u(16, 0).u(16, 0).u(1, 0).u(1, 0).u(1, 0).ue(0).se(0).ue(0).se(0).se(0);
    int headerRbspBytes = (f.bits() + 7) / 8;
    Slice s = slice(0x41, f);
    int measured = headers(16, 16).headerBytes(s.nal(), 0, s.nal().length);
    assertEquals(s.expectedHeaderBytes(), measured);
    assertTrue(measured > 1 + headerRbspBytes, "an escape byte is inside the header: " + measured);
  }

  @Test
  void unknownPictureParameterSetIsUnknown() {
    RbspBitWriter f = new RbspBitWriter().ue(0).ue(7).ue(3).u(4, 0).ue(0).u(6, 0).u(2, 0).se(0).ue(0).se(0).se(0); // pps_id 3
    Slice s = slice(0x65, f);
    assertEquals(-1, headers(4, 6).headerBytes(s.nal(), 0, s.nal().length));
    assertEquals(-1, new H264SliceHeaders().headerBytes(s.nal(), 0, s.nal().length), "no parameter sets at all");
  }

  @Test
  void subsamplesUseTheMeasuredHeaderAndInBandParameterSets() {
    RbspBitWriter f = new RbspBitWriter().ue(0).ue(7).ue(0).u(4, 0).ue(0).u(6, 0).u(2, 0).se(0).ue(0).se(0).se(0);
    Slice slice = slice(0x65, f);
    byte[] big = Arrays.copyOf(slice.nal(), slice.nal().length + 200); // more slice data
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    for (byte[] nal : List.of(sps(4, 6), pps(), big)) {
      sample.writeBytes(ByteBuffer.allocate(4).putInt(nal.length).array());
      sample.writeBytes(nal);
    }
    byte[] b = sample.toByteArray();
    int[] pairs = new NalSubsamples().compute(Codec.H264, b, 0, b.length, 4, false, new H264SliceHeaders());
    int parameterSets = 4 + sps(4, 6).length + 4 + pps().length;
    assertEquals(parameterSets + 4 + 5, pairs[0], "SPS, PPS, length field, NAL header + 4-byte slice header");
    assertEquals(big.length - 5, pairs[1]);
  }
}
