package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.codec.H264Sps;
import io.iptv.core.io.BitCursor;

/**
 * Measures H.264 slice headers (ITU-T H.264 §7.3.3), so that ISO Common Encryption leaves exactly the NAL header
 * and the slice header clear (ISO/IEC 23001-7 §10.2, §10.4.2: the slice header stays unencrypted), as Shaka
 * Packager does. Keeps the fields of the sequence and picture parameter sets (§7.3.2.1.1, §7.3.2.2) that the
 * slice header syntax depends on, from the sample entry's {@code avcC} and from in-band SPS/PPS.
 *
 * <p>{@link #headerBytes} answers -1 when it cannot tell (unknown PPS or SPS, slice groups (FMO), truncated or
 * damaged header): the caller then falls back to a conservative clear leader. Only {@link MediaException} is
 * caught inside; nothing escapes.
 *
 * <p>Not thread-safe: one instance per encryptor; reuses its scratch array.
 *
 * <pre>{@code
 * H264SliceHeaders headers = new H264SliceHeaders();
 * headers.addParameterSets(format.codecConfig());
 * int clear = headers.headerBytes(sample, nalStart, nalSize);   // NAL header + slice header, escaped bytes
 * }</pre>
 */
final class H264SliceHeaders extends SliceHeaders {
  /** The escaped prefix of a slice NAL unit examined: slice headers are far shorter. */
  private static final int MAX_HEADER_BYTES = 512;

  private final H264Sps[] spsById = new H264Sps[32];
  private final Pps[] ppsById = new Pps[256];
  /** The slice NAL unit's examined prefix after its one-byte header, unescaped. */
  private final RbspPrefix prefix = new RbspPrefix(MAX_HEADER_BYTES);

  /** The fields of a picture parameter set the slice header needs (§7.4.2.2). */
  private record Pps(int spsId, boolean entropyCodingMode, boolean bottomFieldPicOrderInFramePresent,
      int numRefIdxL0Default, int numRefIdxL1Default, boolean weightedPred, int weightedBipredIdc,
      boolean deblockingFilterControlPresent, boolean redundantPicCntPresent) {}

  /** Reads {@code b[offset, offset + length)} if it is an SPS (7) or PPS (8) NAL unit. */
  @Override
  void addParameterSet(byte[] b, int offset, int length) {
    if (length < 2) {
      return;
    }
    int type = b[offset] & 0x1F;
    if (type != 7 && type != 8) {
      return;
    }
    try {
      if (type == 7) {
        H264Sps sps = H264Sps.parse(b, offset, length);
        if (sps.spsId() < spsById.length && sps.log2MaxFrameNum() <= 16 && sps.log2MaxPocLsb() <= 16) {
          spsById[sps.spsId()] = sps; // else out of range (§7.4.2.1.1): damaged
        }
      } else {
        readPps(new BitCursor(io.iptv.core.io.EmulationPrevention.unescape(b, offset + 1, length - 1)));
      }
    } catch (MediaException e) {
      // damaged parameter set: slices that need it fall back to the conservative leader
    }
  }

  private void readPps(BitCursor bits) throws MediaException {
    int ppsId = bits.readUnsignedExpGolomb(); // pic_parameter_set_id
    int spsId = bits.readUnsignedExpGolomb(); // seq_parameter_set_id
    if (ppsId >= ppsById.length || spsId >= spsById.length) {
      return;
    }
    boolean entropy = bits.readBit(); // entropy_coding_mode_flag
    boolean bottomField = bits.readBit(); // bottom_field_pic_order_in_frame_present_flag
    if (bits.readUnsignedExpGolomb() != 0) { // num_slice_groups_minus1: FMO slice headers are not measured
      ppsById[ppsId] = null;
      return;
    }
    int l0 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l0_default_active_minus1
    int l1 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l1_default_active_minus1
    boolean weightedPred = bits.readBit(); // weighted_pred_flag
    int weightedBipred = bits.readBits(2); // weighted_bipred_idc
    bits.readSignedExpGolomb(); // pic_init_qp_minus26
    bits.readSignedExpGolomb(); // pic_init_qs_minus26
    bits.readSignedExpGolomb(); // chroma_qp_index_offset
    boolean deblocking = bits.readBit(); // deblocking_filter_control_present_flag
    bits.readBit(); // constrained_intra_pred_flag
    boolean redundant = bits.readBit(); // redundant_pic_cnt_present_flag
    ppsById[ppsId] = new Pps(spsId, entropy, bottomField, l0, l1, weightedPred, weightedBipred, deblocking,
        redundant);
  }

  /**
   * The size in bytes, as stored (with emulation prevention bytes), of the NAL header and slice header of the
   * coded slice {@code b[offset, offset + length)} (nal_unit_type 1 or 5), or -1 if unknown.
   */
  @Override
  int headerBytes(byte[] b, int offset, int length) {
    int header = b[offset] & 0xFF;
    int nalRefIdc = (header >> 5) & 3; // nal_ref_idc (2)
    int nalType = header & 0x1F; // nal_unit_type (5)
    if (nalType != 1 && nalType != 5) {
      return -1;
    }
    int rbspLength = prefix.unescape(b, offset + 1, Math.min(length - 1, MAX_HEADER_BYTES));
    try {
      BitCursor bits = new BitCursor(prefix.rbsp(), 0, rbspLength);
      long headerBits = sliceHeaderBits(bits, nalType == 5, nalRefIdc);
      if (headerBits < 0) {
        return -1;
      }
      int rbspBytes = (int) ((headerBits + 7) / 8);
      if (rbspBytes >= rbspLength) {
        return -1; // the header runs to the end of what was examined: no slice data seen
      }
      return 1 + prefix.escapedIndex(rbspBytes); // NAL header + the escaped bytes up to the end of the slice header
    } catch (MediaException e) {
      return -1;
    }
  }

  /** slice_header() (§7.3.3): its length in bits, or -1 without the parameter sets it needs. */
  private long sliceHeaderBits(BitCursor bits, boolean idr, int nalRefIdc) throws MediaException {
    bits.readUnsignedExpGolomb(); // first_mb_in_slice
    int sliceType = bits.readUnsignedExpGolomb() % 5; // slice_type: 0 P, 1 B, 2 I, 3 SP, 4 SI
    int ppsId = bits.readUnsignedExpGolomb(); // pic_parameter_set_id
    Pps pps = ppsId < ppsById.length ? ppsById[ppsId] : null;
    H264Sps sps = pps == null ? null : spsById[pps.spsId()];
    if (sps == null) {
      return -1;
    }
    if (sps.separateColourPlane()) {
      bits.skipBits(2); // colour_plane_id
    }
    bits.skipBits(sps.log2MaxFrameNum()); // frame_num
    boolean field = false;
    if (!sps.frameMbsOnly()) {
      field = bits.readBit(); // field_pic_flag
      if (field) {
        bits.readBit(); // bottom_field_flag
      }
    }
    if (idr) {
      bits.readUnsignedExpGolomb(); // idr_pic_id
    }
    if (sps.pocType() == 0) {
      bits.skipBits(sps.log2MaxPocLsb()); // pic_order_cnt_lsb
      if (pps.bottomFieldPicOrderInFramePresent() && !field) {
        bits.readSignedExpGolomb(); // delta_pic_order_cnt_bottom
      }
    } else if (sps.pocType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
      bits.readSignedExpGolomb(); // delta_pic_order_cnt[0]
      if (pps.bottomFieldPicOrderInFramePresent() && !field) {
        bits.readSignedExpGolomb(); // delta_pic_order_cnt[1]
      }
    }
    if (pps.redundantPicCntPresent()) {
      bits.readUnsignedExpGolomb(); // redundant_pic_cnt
    }
    boolean p = sliceType == 0 || sliceType == 3;
    boolean bSlice = sliceType == 1;
    if (bSlice) {
      bits.readBit(); // direct_spatial_mv_pred_flag
    }
    int l0 = pps.numRefIdxL0Default();
    int l1 = pps.numRefIdxL1Default();
    if (p || bSlice) {
      if (bits.readBit()) { // num_ref_idx_active_override_flag
        l0 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l0_active_minus1
        if (bSlice) {
          l1 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l1_active_minus1
        }
      }
      if (l0 > 32 || l1 > 32) {
        return -1;
      }
      skipRefPicListModification(bits); // ref_pic_list_modification() l0 (§7.3.3.1)
      if (bSlice) {
        skipRefPicListModification(bits); // l1
      }
    }
    if ((pps.weightedPred() && p) || (pps.weightedBipredIdc() == 1 && bSlice)) {
      skipPredWeightTable(bits, sps.chromaArrayType(), l0, bSlice ? l1 : 0); // pred_weight_table() (§7.3.3.2)
    }
    if (nalRefIdc != 0) { // dec_ref_pic_marking() (§7.3.3.3)
      if (idr) {
        bits.readBit(); // no_output_of_prior_pics_flag
        bits.readBit(); // long_term_reference_flag
      } else if (bits.readBit()) { // adaptive_ref_pic_marking_mode_flag
        for (int n = 0; n < 64; n++) {
          int mmco = bits.readUnsignedExpGolomb(); // memory_management_control_operation
          if (mmco == 0) {
            break;
          }
          if (mmco == 1 || mmco == 3) {
            bits.readUnsignedExpGolomb(); // difference_of_pic_nums_minus1
          }
          if (mmco == 2) {
            bits.readUnsignedExpGolomb(); // long_term_pic_num
          }
          if (mmco == 3 || mmco == 6) {
            bits.readUnsignedExpGolomb(); // long_term_frame_idx
          }
          if (mmco == 4) {
            bits.readUnsignedExpGolomb(); // max_long_term_frame_idx_plus1
          }
        }
      }
    }
    if (pps.entropyCodingMode() && sliceType != 2 && sliceType != 4) {
      bits.readUnsignedExpGolomb(); // cabac_init_idc
    }
    bits.readSignedExpGolomb(); // slice_qp_delta
    if (sliceType == 3 || sliceType == 4) {
      if (sliceType == 3) {
        bits.readBit(); // sp_for_switch_flag
      }
      bits.readSignedExpGolomb(); // slice_qs_delta
    }
    if (pps.deblockingFilterControlPresent()) {
      if (bits.readUnsignedExpGolomb() != 1) { // disable_deblocking_filter_idc
        bits.readSignedExpGolomb(); // slice_alpha_c0_offset_div2
        bits.readSignedExpGolomb(); // slice_beta_offset_div2
      }
    }
    return bits.bitPosition();
  }

  private static void skipRefPicListModification(BitCursor bits) throws MediaException {
    if (!bits.readBit()) { // ref_pic_list_modification_flag_lX
      return;
    }
    for (int n = 0; n < 66; n++) {
      int idc = bits.readUnsignedExpGolomb(); // modification_of_pic_nums_idc
      if (idc == 3) {
        return;
      }
      bits.readUnsignedExpGolomb(); // abs_diff_pic_num_minus1 or long_term_pic_num
    }
    throw MediaException.malformed("ref_pic_list_modification without end");
  }

  private static void skipPredWeightTable(BitCursor bits, int chromaArrayType, int l0, int l1)
      throws MediaException {
    bits.readUnsignedExpGolomb(); // luma_log2_weight_denom
    if (chromaArrayType != 0) {
      bits.readUnsignedExpGolomb(); // chroma_log2_weight_denom
    }
    for (int list = 0; list < 2; list++) {
      int count = list == 0 ? l0 : l1;
      for (int i = 0; i < count; i++) {
        if (bits.readBit()) { // luma_weight_lX_flag
          bits.readSignedExpGolomb(); // luma_weight_lX
          bits.readSignedExpGolomb(); // luma_offset_lX
        }
        if (chromaArrayType != 0 && bits.readBit()) { // chroma_weight_lX_flag
          for (int j = 0; j < 4; j++) {
            bits.readSignedExpGolomb(); // chroma_weight_lX[i][j], chroma_offset_lX[i][j]
          }
        }
      }
    }
  }

}
