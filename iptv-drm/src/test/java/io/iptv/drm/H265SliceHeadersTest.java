package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.EmulationPrevention;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link H265SliceHeaders} on hand-assembled parameter sets and slice segment headers (ITU-T H.265 §7.3.2.2,
 * §7.3.2.3, §7.3.6), written field by field with {@link RbspBitWriter}: the measured length is the slice segment
 * header up to byte_alignment() in bits, and as clear bytes the NAL header plus the header through
 * byte_alignment(), counted with emulation prevention bytes. Reference picture sets predicted from other sets
 * (§7.4.8) are derived by hand in the comments; a wrong derivation changes NumPicTotalCurr and with it the
 * length of the list_entry fields.
 */
class H265SliceHeadersTest {
  private static final int TRAIL_R = 1;
  private static final int IDR_W_RADL = 19;

  /** The SPS fields the tests vary; the others are fixed. */
  private static final class SpsConfig {
    int profileIdc = 1;
    int chromaFormatIdc = 1;
    int width = 1920;
    int height = 1080;
    int log2Ctb = 6;
    int log2MaxPocLsb = 8;
    boolean sao = true;
    /** num_short_term_ref_pic_sets and the st_ref_pic_set()s. */
    Consumer<RbspBitWriter> shortTermRps = w -> w.ue(0);
    /** used_by_curr_pic_lt_sps_flag of the SPS long-term pictures; null: long_term_ref_pics_present_flag 0. */
    boolean[] longTermUsed;
    boolean temporalMvp = true;

    byte[] nal() {
      RbspBitWriter w = new RbspBitWriter();
      w.u(4, 0).u(3, 0).u(1, 1); // sps_video_parameter_set_id, sps_max_sub_layers_minus1, temporal_id_nesting
      w.u(2, 0).u(1, 0).u(5, profileIdc).u(32, 1L << (31 - profileIdc)).u(48, 0).u(8, 120); // profile_tier_level
      w.ue(0).ue(chromaFormatIdc); // sps_seq_parameter_set_id, chroma_format_idc
      if (chromaFormatIdc == 3) {
        w.u(1, 0); // separate_colour_plane_flag
      }
      w.ue(width).ue(height).u(1, 0); // no conformance window
      w.ue(0).ue(0).ue(log2MaxPocLsb - 4); // bit depths, log2_max_pic_order_cnt_lsb_minus4
      w.u(1, 1).ue(4).ue(2).ue(0); // sub_layer_ordering_info_present_flag, dpb size, reorder, latency
      w.ue(0).ue(log2Ctb - 3).ue(0).ue(3).ue(1).ue(1); // 8x8 min CB, CTB size, transform sizes and depths
      w.u(1, 0).u(1, 1).flag(sao).u(1, 0); // scaling_list_enabled, amp, SAO, pcm
      shortTermRps.accept(w);
      w.flag(longTermUsed != null);
      if (longTermUsed != null) {
        w.ue(longTermUsed.length);
        for (int i = 0; i < longTermUsed.length; i++) {
          w.u(log2MaxPocLsb, 10 + i).flag(longTermUsed[i]); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps
        }
      }
      w.flag(temporalMvp).u(1, 1).u(1, 0).u(1, 0); // strong_intra_smoothing, no VUI, no extension
      return nalUnit(33, 0, w.oneThenAlign().bytes());
    }
  }

  /** The PPS fields the tests vary; the others are fixed. */
  private static final class PpsConfig {
    int ppsId;
    boolean dependentSlices;
    boolean outputFlag;
    int extraBits;
    boolean cabacInit;
    int l0Default = 1;
    int l1Default = 1;
    boolean sliceChromaQpOffsets;
    boolean weightedPred;
    boolean weightedBipred;
    boolean tiles;
    boolean wavefronts;
    boolean loopFilterAcrossSlices = true;
    boolean deblockingOverride;
    boolean deblockingDisabled;
    boolean listsModification;
    boolean headerExtension;
    boolean chromaQpOffsetList;
    boolean screenContentExtension;

    byte[] nal() {
      RbspBitWriter w = new RbspBitWriter();
      w.ue(ppsId).ue(0).flag(dependentSlices).flag(outputFlag).u(3, extraBits).u(1, 1).flag(cabacInit);
      w.ue(l0Default - 1).ue(l1Default - 1).se(-3).u(1, 0).u(1, 1); // init_qp, constrained_intra, transform_skip
      w.u(1, 1).ue(1).se(1).se(-1).flag(sliceChromaQpOffsets); // cu_qp_delta (depth 1), cb/cr offsets
      w.flag(weightedPred).flag(weightedBipred).u(1, 0).flag(tiles).flag(wavefronts);
      if (tiles) {
        w.ue(2).ue(1).u(1, 0).ue(9).ue(9).ue(7).u(1, 1); // 3x2 tiles, explicit widths and height, filter across
      }
      w.flag(loopFilterAcrossSlices);
      w.flag(deblockingOverride || deblockingDisabled); // deblocking_filter_control_present_flag
      if (deblockingOverride || deblockingDisabled) {
        w.flag(deblockingOverride).flag(deblockingDisabled);
        if (!deblockingDisabled) {
          w.se(2).se(-2); // pps_beta_offset_div2, pps_tc_offset_div2
        }
      }
      w.u(1, 0).flag(listsModification).ue(0).flag(headerExtension); // no scaling list, parallel merge level
      boolean extension = chromaQpOffsetList || screenContentExtension;
      w.flag(extension);
      if (extension) {
        w.flag(chromaQpOffsetList).u(1, 0).u(1, 0).flag(screenContentExtension).u(4, 0);
        if (chromaQpOffsetList) { // pps_range_extension()
          w.ue(1).u(1, 0).u(1, 1).ue(0).ue(1).se(1).se(-1).se(2).se(-2).ue(0).ue(0);
        }
        if (screenContentExtension) {
          w.u(1, 1).u(1, 0).u(1, 0).u(1, 0); // curr_pic_ref, no act, no palette initialiser, ...
        }
      }
      return nalUnit(34, 0, w.oneThenAlign().bytes());
    }
  }

  /** A NAL unit: 2-byte header (temporal id 0) and the escaped RBSP. */
  private static byte[] nalUnit(int type, int layerId, byte[] rbsp) {
    byte[] escaped = EmulationPrevention.escape(rbsp, 0, rbsp.length);
    byte[] out = new byte[escaped.length + 2];
    out[0] = (byte) (type << 1 | layerId >> 5); // forbidden_zero_bit, nal_unit_type, nuh_layer_id high bit
    out[1] = (byte) ((layerId & 31) << 3 | 1); // nuh_layer_id low bits, nuh_temporal_id_plus1
    System.arraycopy(escaped, 0, out, 2, escaped.length);
    return out;
  }

  private record Slice(byte[] nal, int headerBits, int expectedHeaderBytes) {}

  /** A slice segment: the header fields, byte_alignment(), then {@code dataBytes} of slice data. */
  private static Slice slice(int type, RbspBitWriter fields, int dataBytes) {
    int headerBits = fields.bits();
    fields.oneThenAlign();
    int rbspHeaderBytes = fields.bits() / 8;
    for (int i = 0; i < dataBytes; i++) {
      fields.u(8, 0x41 + i % 64); // slice data
    }
    byte[] rbsp = fields.bytes();
    // the escaped header bytes plus an escape inserted before the first data byte, if any
    int expected = 2 + EmulationPrevention.escape(rbsp, 0, rbspHeaderBytes + 1).length - 1;
    return new Slice(nalUnit(type, 0, rbsp), headerBits, expected);
  }

  private static H265SliceHeaders headers(SpsConfig sps, PpsConfig pps) {
    H265SliceHeaders h = new H265SliceHeaders();
    h.addParameterSets(List.of(ByteSlice.wrap(new byte[] {0x40, 0x01, 0x0C}), ByteSlice.wrap(sps.nal()),
        ByteSlice.wrap(pps.nal()))); // a (dummy) VPS is ignored
    return h;
  }

  private static void assertMeasured(Slice s, H265SliceHeaders headers) {
    assertEquals(s.headerBits(), headers.sliceSegmentHeaderBits(s.nal(), 0, s.nal().length), "header bits");
    assertEquals(s.expectedHeaderBytes(), headers.headerBytes(s.nal(), 0, s.nal().length), "clear bytes");
  }

  /**
   * Two SPS short-term sets: set 0 explicit, S0 {-1 used, -3 used}, S1 {+2 unused}; set 1 predicted from set 0
   * with deltaRps -1 (§7.4.8): S0 {-1 used, -2 used, -4 unused}, S1 {+1 used}: NumDeltaPocs 4, 3 used.
   */
  private static void twoShortTermSets(RbspBitWriter w) {
    w.ue(2); // num_short_term_ref_pic_sets
    w.ue(2).ue(1); // set 0: num_negative_pics, num_positive_pics
    w.ue(0).u(1, 1).ue(1).u(1, 1); // delta_poc_s0_minus1 0 (-1) used, 1 (-3) used
    w.ue(1).u(1, 0); // delta_poc_s1_minus1 1 (+2) unused
    w.u(1, 1).u(1, 1).ue(0); // set 1: inter_ref_pic_set_prediction_flag, delta_rps_sign 1, abs_delta_rps_minus1 0
    w.u(1, 1); // j 0 (-1 - 1 = -2): used
    w.u(1, 0).u(1, 1); // j 1 (-3 - 1 = -4): not used, use_delta_flag
    w.u(1, 1); // j 2 (+2 - 1 = +1): used
    w.u(1, 1); // j 3 (deltaRps itself, -1): used
  }

  @Test
  void idrIntraSlice() {
    SpsConfig sps = new SpsConfig();
    PpsConfig pps = new PpsConfig();
    RbspBitWriter f = new RbspBitWriter().u(1, 1).u(1, 0).ue(0); // first slice, no_output_of_prior_pics, PPS 0
    f.ue(2).u(1, 1).u(1, 1).se(3).u(1, 1); // I, SAO luma and chroma, slice_qp_delta, loop filter across slices
    assertEquals(14, f.bits());
    Slice s = slice(IDR_W_RADL, f, 40);
    assertEquals(4, s.expectedHeaderBytes());
    assertMeasured(s, headers(sps, pps));
  }

  /** An SPS with two short-term sets (one predicted) and three long-term pictures. */
  private static SpsConfig richSps() {
    SpsConfig sps = new SpsConfig();
    sps.shortTermRps = H265SliceHeadersTest::twoShortTermSets;
    sps.longTermUsed = new boolean[] {true, false, true};
    return sps;
  }

  /** A PPS that makes nearly every slice segment header field present. */
  private static PpsConfig richPps() {
    PpsConfig pps = new PpsConfig();
    pps.dependentSlices = true;
    pps.outputFlag = true;
    pps.extraBits = 2;
    pps.cabacInit = true;
    pps.sliceChromaQpOffsets = true;
    pps.weightedPred = true;
    pps.weightedBipred = true;
    pps.tiles = true;
    pps.wavefronts = true;
    pps.deblockingOverride = true;
    pps.listsModification = true;
    pps.headerExtension = true;
    pps.chromaQpOffsetList = true;
    return pps;
  }

  /** Most of §7.3.6.1 at once, for {@link #richSps()} and {@link #richPps()}. */
  private static Slice richBSlice() {
    RbspBitWriter f = new RbspBitWriter().u(1, 0).ue(0); // not the first slice segment, PPS 0
    f.u(1, 0).u(9, 77); // dependent_slice_segment_flag, slice_segment_address: 30x17 CTBs of 64 -> 9 bits
    f.u(2, 0).ue(0).u(1, 1); // slice_reserved_flag x2, slice_type B, pic_output_flag
    f.u(8, 37).u(1, 0); // slice_pic_order_cnt_lsb, short_term_ref_pic_set_sps_flag 0: st_ref_pic_set(2)
    // predicted from set 1 (delta_idx_minus1 0) with deltaRps +1, every picture used: -1+1 = 0 is dropped,
    // S0 {-1, -3}, S1 {+1 (deltaRps), +2}: 4 pictures used
    f.u(1, 1).ue(0).u(1, 0).ue(0).u(5, 0b11111);
    f.ue(1).ue(1); // num_long_term_sps, num_long_term_pics
    f.u(2, 1).u(1, 1).ue(2); // lt_idx_sps 1 (unused), delta_poc_msb_present_flag, delta_poc_msb_cycle_lt
    f.u(8, 200).u(1, 0).u(1, 0); // poc_lsb_lt, used_by_curr_pic_lt_flag 0, no msb: NumPicTotalCurr = 4
    f.u(1, 1).u(1, 0).u(1, 1); // slice_temporal_mvp_enabled_flag, SAO luma off, chroma on
    f.u(1, 1).ue(2).ue(1); // num_ref_idx_active_override_flag: 3 in L0, 2 in L1
    f.u(1, 1).u(2, 3).u(2, 0).u(2, 2); // ref_pic_list_modification_flag_l0, list_entry_l0 (Ceil(Log2(4)) bits)
    f.u(1, 1).u(2, 1).u(2, 3); // ref_pic_list_modification_flag_l1, list_entry_l1
    f.u(1, 1).u(1, 0).u(1, 0).ue(1); // mvd_l1_zero, cabac_init, collocated_from_l0 0, collocated_ref_idx
    f.ue(6).se(-2); // pred_weight_table: luma_log2_weight_denom, delta_chroma_log2_weight_denom
    f.u(3, 0b101).u(3, 0b010); // L0 luma_weight_flags (0, 2), chroma_weight_flags (1)
    f.se(3).se(-5).se(1).se(1).se(1).se(1).se(0).se(1); // L0[0] luma, L0[1] chroma x4, L0[2] luma
    f.u(2, 0b01).u(2, 0b11); // L1 luma (1), chroma (0, 1)
    f.se(-1).se(-1).se(-1).se(-1).se(2).se(2).se(0).se(0).se(0).se(0); // L1[0] chroma, L1[1] luma + chroma
    f.ue(1).se(-4).se(2).se(-3).u(1, 1); // five_minus_max_num_merge_cand, QP delta, cb/cr, cu_chroma_qp_offset
    f.u(1, 1).u(1, 0).se(1).se(-1); // deblocking_filter_override_flag, not disabled, beta, tc
    f.u(1, 0); // slice_loop_filter_across_slices_enabled_flag (SAO chroma on)
    f.ue(5).ue(11).u(60, 0x123456789ABCDEFL); // num_entry_point_offsets, offset_len_minus1, 5 x 12 bits
    f.ue(3).u(24, 0xA5A5A5); // slice_segment_header_extension_length, data bytes
    return slice(TRAIL_R, f, 64);
  }

  /** Every field of {@link #richBSlice()} is present, and each changes the length if misparsed. */
  @Test
  void bSliceWithPredictedShortTermSetLongTermPicturesListModificationWeightsTilesAndExtension() {
    SpsConfig sps = richSps();
    PpsConfig pps = richPps();
    assertMeasured(richBSlice(), headers(sps, pps));

    // a slice-level set predicted from set 0 (delta_idx_minus1 1) gives other pictures, hence other list_entry
    // lengths: with deltaRps -2 and only the (-3 - 2) picture used, NumPicTotalCurr is 1 -> no modification
    RbspBitWriter g = new RbspBitWriter().u(1, 1).ue(0).u(2, 0).ue(1).u(1, 0); // first, PPS 0, P, pic_output
    g.u(8, 5).u(1, 0).u(1, 1).ue(1).u(1, 1).ue(1); // POC, st_ref_pic_set(2): inter, delta_idx 1, sign -, abs 2
    g.u(1, 0).u(1, 0).u(1, 1).u(1, 0).u(1, 0).u(1, 0).u(1, 0); // j 0 unused; j 1 used; j 2, j 3 dropped
    g.ue(0).ue(0); // no long-term pictures
    g.u(1, 0).u(1, 0).u(1, 0).u(1, 0); // no TMVP, no SAO, no override: 1 reference; no list modification
    g.u(1, 0).ue(0).u(1, 1).u(1, 0).u(1, 0); // cabac_init, weights: denom, chroma delta, L0 flags
    g.ue(0).se(0).se(0).se(0).u(1, 0).u(1, 0).u(1, 1); // merge, QP, cb/cr, cu_chroma, override, loop filter
    g.ue(0).ue(0); // no entry points, no extension bytes
    Slice p = slice(TRAIL_R, g, 40);
    assertMeasured(p, headers(sps, pps));
  }

  @Test
  void dependentSliceSegmentCarriesOnlyAddressEntryPointsAndExtension() {
    PpsConfig pps = new PpsConfig();
    pps.dependentSlices = true;
    pps.wavefronts = true;
    pps.headerExtension = true;
    RbspBitWriter f = new RbspBitWriter().u(1, 0).ue(0).u(1, 1).u(9, 300); // dependent, slice_segment_address
    f.ue(2).ue(19).u(40, 0xFFFFF00000L).ue(1).u(8, 0); // 2 entry points of 20 bits, 1 extension byte
    assertMeasured(slice(TRAIL_R, f, 40), headers(new SpsConfig(), pps));
  }

  @Test
  void spsShortTermSetIndexMonochromeWeightedPSlice() {
    SpsConfig sps = new SpsConfig();
    sps.chromaFormatIdc = 0;
    sps.shortTermRps = H265SliceHeadersTest::twoShortTermSets;
    sps.temporalMvp = false;
    PpsConfig pps = new PpsConfig();
    pps.weightedPred = true;
    pps.listsModification = true;
    pps.l0Default = 2;
    RbspBitWriter f = new RbspBitWriter().u(1, 1).ue(0).ue(1); // first, PPS 0, P
    f.u(8, 9).u(1, 1).u(1, 1); // POC, short_term_ref_pic_set_sps_flag, short_term_ref_pic_set_idx 1 (3 used)
    f.u(1, 1).u(1, 0); // slice_sao_luma_flag (no chroma flag in 4:0:0), no override: 2 references
    f.u(1, 1).u(2, 2).u(2, 0); // list modification: 2 entries of Ceil(Log2(3)) bits
    f.ue(3).u(2, 0b11).se(1).se(2).se(-1).se(0); // luma denom, no chroma denom or flags, 2 luma weights
    f.ue(2).se(1).u(1, 1); // merge candidates, QP delta, loop filter across slices
    assertMeasured(slice(TRAIL_R, f, 40), headers(sps, pps));
  }

  @Test
  void headerLongerThanTheFirstLookIsMeasured() {
    SpsConfig sps = new SpsConfig();
    sps.log2Ctb = 4; // 120 x 68 CTBs
    PpsConfig pps = new PpsConfig();
    pps.wavefronts = true;
    RbspBitWriter f = new RbspBitWriter().u(1, 1).u(1, 0).ue(0).ue(2).u(1, 0).u(1, 0).se(0).u(1, 1);
    f.ue(1000).ue(19); // 1000 entry points of 20 bits: 2500 bytes
    for (int i = 0; i < 1000; i++) {
      f.u(20, 0x10000 + i);
    }
    Slice s = slice(IDR_W_RADL, f, 100);
    assertTrue(s.expectedHeaderBytes() > 2500);
    assertMeasured(s, headers(sps, pps));

    // cut inside the entry points: everything is header, so all of it stays clear
    byte[] cut = Arrays.copyOf(s.nal(), 900);
    H265SliceHeaders headers = headers(sps, pps);
    assertEquals(-900, headers.headerBytes(cut, 0, cut.length));
    byte[] sample = lengthPrefixed(cut);
    assertArrayEquals(new int[] {sample.length, 0},
        new NalSubsamples().compute(Codec.H265, sample, 0, sample.length, 4, true, headers));
  }

  @Test
  void emulationPreventionBytesInsideTheHeaderAreCounted() {
    SpsConfig sps = new SpsConfig();
    sps.log2MaxPocLsb = 16;
    sps.shortTermRps = w -> w.ue(1).ue(0).ue(0); // one empty set
    sps.longTermUsed = new boolean[0];
    sps.temporalMvp = false;
    sps.sao = false;
    PpsConfig pps = new PpsConfig();
    pps.loopFilterAcrossSlices = false;
    RbspBitWriter f = new RbspBitWriter().u(1, 1).ue(0).ue(2).u(16, 0).u(1, 1); // I, POC 0, the SPS set
    f.ue(2).u(16, 0).u(2, 0).u(16, 0).u(2, 0); // 2 long-term pictures, POC LSB 0: runs of zero bytes
    f.se(0);
    int rbspHeaderBytes = (f.bits() + 8) / 8;
    Slice s = slice(TRAIL_R, f, 40);
    assertTrue(s.expectedHeaderBytes() > 2 + rbspHeaderBytes, "an escape byte is inside the header");
    assertMeasured(s, headers(sps, pps));
  }

  @Test
  void unmeasurableSlicesAreUnknownWithALowerBound() {
    RbspBitWriter f = new RbspBitWriter().u(1, 1).u(1, 0).ue(3).ue(2).u(1, 1).u(1, 1).se(3).u(1, 1); // PPS 3
    Slice unknownPps = slice(IDR_W_RADL, f, 40);
    int measured = headers(new SpsConfig(), new PpsConfig()).headerBytes(unknownPps.nal(), 0, unknownPps.nal().length);
    assertTrue(measured < 0 && -measured >= 2, "unknown PPS: " + measured);
    assertEquals(-1, new H265SliceHeaders().sliceSegmentHeaderBits(unknownPps.nal(), 0, unknownPps.nal().length));

    PpsConfig scc = new PpsConfig();
    scc.screenContentExtension = true; // adds slice header fields not measured here
    Slice intra = slice(IDR_W_RADL, new RbspBitWriter().u(1, 1).u(1, 0).ue(0).ue(2).u(2, 3).se(3).u(1, 1), 40);
    assertTrue(headers(new SpsConfig(), scc).headerBytes(intra.nal(), 0, intra.nal().length) < 0, "SCC PPS");
    SpsConfig sccProfile = new SpsConfig();
    sccProfile.profileIdc = 9;
    assertTrue(headers(sccProfile, new PpsConfig()).headerBytes(intra.nal(), 0, intra.nal().length) < 0);
    assertMeasured(intra, headers(new SpsConfig(), new PpsConfig()));

    byte[] layer1 = intra.nal().clone();
    layer1[1] = (byte) (1 << 3 | 1); // nuh_layer_id 1
    assertTrue(headers(new SpsConfig(), new PpsConfig()).headerBytes(layer1, 0, layer1.length) < 0, "layer 1");

    // NalSubsamples falls back to the 32-byte leader
    byte[] big = Arrays.copyOf(unknownPps.nal(), 300);
    byte[] sample = lengthPrefixed(big);
    int[] pairs = new NalSubsamples().compute(Codec.H265, sample, 0, sample.length, 4, false,
        headers(new SpsConfig(), new PpsConfig()));
    assertArrayEquals(new int[] {4 + NalSubsamples.SLICE_CLEAR_LEADER, 300 - NalSubsamples.SLICE_CLEAR_LEADER},
        pairs);
  }

  @Test
  void subsamplesKeepInBandParameterSetsAndTheMeasuredHeaderClear() {
    SpsConfig sps = new SpsConfig();
    sps.log2Ctb = 4;
    PpsConfig pps = new PpsConfig();
    pps.wavefronts = true;
    RbspBitWriter f = new RbspBitWriter().u(1, 1).u(1, 0).ue(0).ue(2).u(1, 0).u(1, 0).se(0).u(1, 1);
    f.ue(40).ue(15); // 40 entry points of 16 bits: an 85-byte header
    for (int i = 0; i < 40; i++) {
      f.u(16, 0x5A5A + i);
    }
    Slice s = slice(IDR_W_RADL, f, 1000);
    byte[] vps = {0x40, 0x01, 0x0C, 0x01};
    byte[] sample = lengthPrefixed(vps, sps.nal(), pps.nal(), s.nal());
    int parameterSets = 4 + vps.length + 4 + sps.nal().length + 4 + pps.nal().length;
    int rest = s.nal().length - s.expectedHeaderBytes();
    assertTrue(s.expectedHeaderBytes() > 80);

    int[] cbcs = new NalSubsamples().compute(Codec.H265, sample, 0, sample.length, 4, false,
        new H265SliceHeaders());
    assertArrayEquals(new int[] {parameterSets + 4 + s.expectedHeaderBytes(), rest}, cbcs);
    int[] cenc = new NalSubsamples().compute(Codec.H265, sample, 0, sample.length, 4, true,
        new H265SliceHeaders());
    assertArrayEquals(new int[] {parameterSets + 4 + s.expectedHeaderBytes() + rest % 16, rest / 16 * 16}, cenc);
  }

  /** The encryptor reads the VPS/SPS/PPS of the sample entry (hvcC), as fMP4 samples carry none in band. */
  @Test
  void cencAndCbcsEncryptorsTakeTheParameterSetsFromTheSampleEntry() throws Exception {
    TrackFormat hevc = TrackFormat.builder(1, Codec.H265).type(TrackType.VIDEO).codecConfig(List.of(
        ByteSlice.wrap(new byte[] {0x40, 0x01, 0x0C, 0x01}), ByteSlice.wrap(richSps().nal()),
        ByteSlice.wrap(richPps().nal()))).build();
    Slice slice = richBSlice();
    byte[] nal = Arrays.copyOf(slice.nal(), slice.nal().length + 500); // more slice data
    byte[] sample = lengthPrefixed(nal);
    int rest = nal.length - slice.expectedHeaderBytes();
    assertTrue(slice.expectedHeaderBytes() > NalSubsamples.SLICE_CLEAR_LEADER, "longer than the old leader");
    for (SampleEncryptionScheme scheme : List.of(SampleEncryptionScheme.CENC, SampleEncryptionScheme.CBCS)) {
      SegmentSampleEncryptor encryptor = CencSampleEncryption.builder(
              KeyProvider.fixed(ContentKey.parse("0123456789abcdef0123456789abcdef:3c1f0e2d4b5a69788796a5b4c3d2e1f0")))
          .scheme(scheme).channel("news").build()
          .forSegment(new SegmentContext("video", 1, Set.of(TrackType.VIDEO)));
      EncryptedSample out = encryptor.encrypt(hevc, ByteSlice.wrap(sample), 4);
      boolean cenc = scheme == SampleEncryptionScheme.CENC;
      assertArrayEquals(cenc ? new int[] {4 + slice.expectedHeaderBytes() + rest % 16, rest / 16 * 16}
          : new int[] {4 + slice.expectedHeaderBytes(), rest}, out.subsamples(), scheme.toString());
      byte[] encrypted = out.bytes().toByteArray();
      assertArrayEquals(Arrays.copyOf(sample, 4 + slice.expectedHeaderBytes()),
          Arrays.copyOf(encrypted, 4 + slice.expectedHeaderBytes()), "the slice header is written clear");
    }
  }

  @Test
  void damagedSlicesNeverThrowAndStayWithinTheNalUnit() {
    H265SliceHeaders headers = headers(richSps(), richPps());
    byte[] valid = richBSlice().nal();
    assertTrue(headers.headerBytes(valid, 0, valid.length) > 0);
    Random random = new Random(5);
    for (int round = 0; round < 5000; round++) {
      byte[] damaged = Arrays.copyOf(valid, 3 + random.nextInt(valid.length - 2));
      for (int i = random.nextInt(4); i >= 0; i--) {
        damaged[2 + random.nextInt(damaged.length - 2)] = (byte) random.nextInt(256);
      }
      int measured = headers.headerBytes(damaged, 0, damaged.length);
      assertTrue(measured != 0 && Math.abs(measured) <= damaged.length, "round " + round + ": " + measured);
    }
  }

  private static byte[] lengthPrefixed(byte[]... nals) {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    for (byte[] nal : nals) {
      sample.writeBytes(ByteBuffer.allocate(4).putInt(nal.length).array());
      sample.writeBytes(nal);
    }
    return sample.toByteArray();
  }
}
