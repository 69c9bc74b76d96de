package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.codec.H265ShortTermRps;
import io.iptv.core.codec.H265Sps;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.EmulationPrevention;
import java.util.Arrays;

/**
 * Measures HEVC slice segment headers (ITU-T H.265 §7.3.6.1, through byte_alignment()), so that ISO Common
 * Encryption leaves exactly the NAL header and the slice segment header clear (ISO/IEC 23001-7 §10.2, §10.4.2:
 * for {@code cbcs} a decoder must be able to parse the slice header before decrypting), as Shaka Packager does.
 * Keeps the fields of the sequence and picture parameter sets (§7.3.2.2, §7.3.2.3) that the slice header syntax
 * depends on, from the sample entry's {@code hvcC} and from in-band SPS/PPS; the VPS is not needed.
 *
 * <p>Handled: short-term reference picture sets, signalled in the SPS or the slice, with inter RPS prediction
 * (§7.3.7, §7.4.8), long-term references, temporal MVP, SAO, reference list modification (NumPicTotalCurr,
 * §7.4.7.2), weighted prediction tables (§7.3.6.3), deblocking overrides, tiles and wavefront entry points,
 * slice header extensions, dependent slice segments, and the range extension's chroma QP offset lists.
 *
 * <p>{@link #headerBytes} answers a negative lower bound when it cannot tell: unknown PPS or SPS, a layer other
 * than the base layer, the multilayer, 3D or screen content coding extensions (whose slice headers carry more
 * fields), reserved NAL unit types, truncated or damaged headers. Only {@link MediaException} is caught inside;
 * nothing escapes.
 *
 * <p>Not thread-safe: one instance per encryptor; reuses its scratch arrays.
 *
 * <pre>{@code
 * H265SliceHeaders headers = new H265SliceHeaders();
 * headers.addParameterSets(format.codecConfig());            // VPS, SPS, PPS
 * int clear = headers.headerBytes(sample, nalStart, nalSize); // NAL header + slice segment header, escaped bytes
 * }</pre>
 */
final class H265SliceHeaders extends SliceHeaders {
  /** The escaped prefix of a slice NAL unit examined first: nearly all slice headers are shorter. */
  private static final int FIRST_LOOK_BYTES = 512;
  /** The longest escaped prefix examined (many entry points with long offsets, a header extension). */
  private static final int MAX_HEADER_BYTES = 1 << 16;
  private static final int SPS_NUT = 33;
  private static final int PPS_NUT = 34;

  private final H265Sps[] spsById = new H265Sps[16];
  private final Pps[] ppsById = new Pps[64];
  /** The slice NAL unit's examined prefix after its two-byte header, unescaped. */
  private final RbspPrefix prefix = new RbspPrefix(FIRST_LOOK_BYTES);
  /** Reused for every slice over {@link RbspPrefix#rbsp()}. */
  private final BitCursor cursor = new BitCursor(prefix.rbsp());

  /** The fields of a picture parameter set the slice segment header needs (§7.4.3.3.1). */
  private record Pps(int spsId, boolean dependentSliceSegments, boolean outputFlagPresent, int numExtraSliceHeaderBits,
      boolean cabacInitPresent, int numRefIdxL0Default, int numRefIdxL1Default, boolean sliceChromaQpOffsetsPresent,
      boolean weightedPred, boolean weightedBipred, boolean tiles, boolean entropyCodingSync,
      boolean loopFilterAcrossSlices, boolean deblockingOverrideEnabled, boolean deblockingDisabled,
      boolean listsModificationPresent, boolean sliceHeaderExtensionPresent, boolean chromaQpOffsetList) {}

  @Override
  void addParameterSet(byte[] b, int offset, int length) {
    if (length < 3) {
      return;
    }
    int type = (b[offset] >> 1) & 0x3F; // nal_unit_type (6)
    int layerId = ((b[offset] & 1) << 5) | ((b[offset + 1] & 0xFF) >> 3); // nuh_layer_id (6)
    if ((type != SPS_NUT && type != PPS_NUT) || layerId != 0) {
      return;
    }
    try {
      if (type == SPS_NUT) {
        addSps(H265Sps.parse(b, offset, length));
      } else {
        readPps(new BitCursor(EmulationPrevention.unescape(b, offset + 2, length - 2)));
      }
    } catch (MediaException e) {
      // damaged parameter set: slices that need it fall back to the conservative leader
    }
  }

  /**
   * Keeps {@code sps} if its slice-header fields are complete and in range (§7.4.3.2.1); otherwise forgets any
   * earlier SPS of its id, so that slices referring to it take the conservative leader.
   */
  private void addSps(H265Sps sps) {
    if (sps.spsId() >= spsById.length) {
      return;
    }
    boolean usable = sps.complete() && !sps.screenContent() // SCC: use_integer_mv_flag (§7.3.6.1), not measured
        && sps.log2MaxPocLsb() <= 16 && sps.ctbLog2() >= 4 && sps.ctbLog2() <= 6 && sps.picWidth() > 0
        && sps.picHeight() > 0 && sps.picWidth() <= 65535 && sps.picHeight() <= 65535;
    spsById[sps.spsId()] = usable ? sps : null;
  }

  /** pic_parameter_set_rbsp() (§7.3.2.3.1) with pps_range_extension() (§7.3.2.3.2). */
  private void readPps(BitCursor bits) throws MediaException {
    int ppsId = bits.readUnsignedExpGolomb(); // pps_pic_parameter_set_id
    int spsId = bits.readUnsignedExpGolomb(); // pps_seq_parameter_set_id
    if (ppsId >= ppsById.length || spsId >= spsById.length) {
      return;
    }
    ppsById[ppsId] = null; // replaced below if this one is readable and supported
    boolean dependentSliceSegments = bits.readBit(); // dependent_slice_segments_enabled_flag
    boolean outputFlagPresent = bits.readBit(); // output_flag_present_flag
    int extraSliceHeaderBits = bits.readBits(3); // num_extra_slice_header_bits (3)
    bits.skipBits(1); // sign_data_hiding_enabled_flag
    boolean cabacInitPresent = bits.readBit(); // cabac_init_present_flag
    int l0 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l0_default_active_minus1
    int l1 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l1_default_active_minus1
    bits.readSignedExpGolomb(); // init_qp_minus26
    bits.skipBits(1); // constrained_intra_pred_flag
    boolean transformSkip = bits.readBit(); // transform_skip_enabled_flag
    if (bits.readBit()) { // cu_qp_delta_enabled_flag
      bits.readUnsignedExpGolomb(); // diff_cu_qp_delta_depth
    }
    bits.readSignedExpGolomb(); // pps_cb_qp_offset
    bits.readSignedExpGolomb(); // pps_cr_qp_offset
    boolean sliceChromaQpOffsets = bits.readBit(); // pps_slice_chroma_qp_offsets_present_flag
    boolean weightedPred = bits.readBit(); // weighted_pred_flag
    boolean weightedBipred = bits.readBit(); // weighted_bipred_flag
    bits.skipBits(1); // transquant_bypass_enabled_flag
    boolean tiles = bits.readBit(); // tiles_enabled_flag
    boolean entropyCodingSync = bits.readBit(); // entropy_coding_sync_enabled_flag
    if (tiles) {
      int columns = bits.readUnsignedExpGolomb(); // num_tile_columns_minus1
      int rows = bits.readUnsignedExpGolomb(); // num_tile_rows_minus1
      if (columns > 1024 || rows > 1024) {
        return; // far beyond PicWidthInCtbsY of any level (§7.4.3.3.1): damaged
      }
      if (!bits.readBit()) { // uniform_spacing_flag
        for (int i = 0; i < columns + rows; i++) {
          bits.readUnsignedExpGolomb(); // column_width_minus1[i], then row_height_minus1[i]
        }
      }
      bits.skipBits(1); // loop_filter_across_tiles_enabled_flag
    }
    boolean loopFilterAcrossSlices = bits.readBit(); // pps_loop_filter_across_slices_enabled_flag
    boolean deblockingOverride = false;
    boolean deblockingDisabled = false;
    if (bits.readBit()) { // deblocking_filter_control_present_flag
      deblockingOverride = bits.readBit(); // deblocking_filter_override_enabled_flag
      deblockingDisabled = bits.readBit(); // pps_deblocking_filter_disabled_flag
      if (!deblockingDisabled) {
        bits.readSignedExpGolomb(); // pps_beta_offset_div2
        bits.readSignedExpGolomb(); // pps_tc_offset_div2
      }
    }
    if (bits.readBit()) { // pps_scaling_list_data_present_flag
      H265Sps.skipScalingListData(bits);
    }
    boolean listsModification = bits.readBit(); // lists_modification_present_flag
    bits.readUnsignedExpGolomb(); // log2_parallel_merge_level_minus2
    boolean headerExtension = bits.readBit(); // slice_segment_header_extension_present_flag
    boolean chromaQpOffsetList = false;
    if (bits.readBit()) { // pps_extension_present_flag
      boolean range = bits.readBit(); // pps_range_extension_flag
      boolean multilayer = bits.readBit(); // pps_multilayer_extension_flag
      boolean threeD = bits.readBit(); // pps_3d_extension_flag
      boolean screenContent = bits.readBit(); // pps_scc_extension_flag
      bits.skipBits(4); // pps_extension_4bits
      if (multilayer || threeD || screenContent) {
        return; // extensions whose slice headers are not measured here (SCC adds slice fields, §7.3.6.1)
      }
      if (range) { // pps_range_extension() (§7.3.2.3.2)
        if (transformSkip) {
          bits.readUnsignedExpGolomb(); // log2_max_transform_skip_block_size_minus2
        }
        bits.skipBits(1); // cross_component_prediction_enabled_flag
        chromaQpOffsetList = bits.readBit(); // chroma_qp_offset_list_enabled_flag
      }
    }
    if (l0 > 15 || l1 > 15) {
      return; // out of range (§7.4.3.3.1): damaged
    }
    ppsById[ppsId] = new Pps(spsId, dependentSliceSegments, outputFlagPresent, extraSliceHeaderBits,
        cabacInitPresent, l0, l1, sliceChromaQpOffsets, weightedPred, weightedBipred, tiles, entropyCodingSync,
        loopFilterAcrossSlices, deblockingOverride, deblockingDisabled, listsModification, headerExtension,
        chromaQpOffsetList);
  }

  @Override
  int headerBytes(byte[] b, int offset, int length) {
    if (length < 3) {
      return -Math.max(1, length);
    }
    int type = (b[offset] >> 1) & 0x3F; // nal_unit_type (6)
    int layerId = ((b[offset] & 1) << 5) | ((b[offset + 1] & 0xFF) >> 3); // nuh_layer_id (6)
    if (layerId != 0 || !(type <= 9 || (type >= 16 && type <= 21))) {
      return -2; // other layers' and reserved VCL NAL unit types: syntax not measured
    }
    int payload = length - 2;
    int examined = Math.min(payload, FIRST_LOOK_BYTES);
    while (true) {
      int rbspLength = prefix.unescape(b, offset + 2, examined);
      BitCursor bits = cursor;
      bits.reset(prefix.rbsp(), 0, rbspLength);
      long headerBits;
      try {
        headerBits = sliceSegmentHeaderBits(bits, type);
      } catch (MediaException e) {
        if (e.kind() == MediaException.Kind.TRUNCATED && examined < Math.min(payload, MAX_HEADER_BYTES)) {
          examined = Math.min(payload, MAX_HEADER_BYTES); // a long header: look further
          continue;
        }
        if (e.kind() == MediaException.Kind.TRUNCATED && examined == payload) {
          return -length; // the header claims more than the NAL unit holds: all of it is header
        }
        return -lowerBound(bits.bitPosition());
      }
      if (headerBits < 0) {
        return -lowerBound(-headerBits);
      }
      int rbspBytes = (int) ((headerBits + 1 + 7) / 8); // byte_alignment(): a one bit, then zero bits
      if (rbspBytes >= rbspLength) { // the header runs to the end of what was examined: no slice data seen
        if (examined < Math.min(payload, MAX_HEADER_BYTES)) {
          examined = Math.min(payload, MAX_HEADER_BYTES);
          continue;
        }
        return -lowerBound(headerBits);
      }
      return 2 + prefix.escapedIndex(rbspBytes); // NAL header + the escaped bytes up to the end of the slice header
    }
  }

  /**
   * The length in bits of slice_segment_header() in the RBSP of {@code b[offset, offset + length)} up to, not
   * including, its byte_alignment(); -1 if unknown (for tests: compare with a reference parser's trace).
   */
  long sliceSegmentHeaderBits(byte[] b, int offset, int length) {
    int type = (b[offset] >> 1) & 0x3F; // nal_unit_type (6)
    int header = headerBytes(b, offset, length);
    if (header <= 0) {
      return -1;
    }
    int rbspLength = prefix.unescape(b, offset + 2, header - 2);
    try {
      cursor.reset(prefix.rbsp(), 0, rbspLength);
      long bits = sliceSegmentHeaderBits(cursor, type);
      return bits < 0 ? -1 : bits;
    } catch (MediaException e) {
      return -1;
    }
  }

  /** NAL header plus the whole RBSP bytes of {@code bits} read, as escaped bytes: a lower bound of the header. */
  private int lowerBound(long bits) {
    return 2 + prefix.escapedIndex((int) Math.min(bits / 8, Integer.MAX_VALUE));
  }

  /**
   * slice_segment_header() (§7.3.6.1) up to byte_alignment(): its length in bits, or minus the bits read when
   * the parameter sets it needs are unknown.
   */
  private long sliceSegmentHeaderBits(BitCursor bits, int nalType) throws MediaException {
    boolean firstSliceSegment = bits.readBit(); // first_slice_segment_in_pic_flag
    if (nalType >= 16 && nalType <= 23) { // BLA_W_LP .. RSV_IRAP_VCL23
      bits.skipBits(1); // no_output_of_prior_pics_flag
    }
    int ppsId = bits.readUnsignedExpGolomb(); // slice_pic_parameter_set_id
    Pps pps = ppsId < ppsById.length ? ppsById[ppsId] : null;
    H265Sps sps = pps == null ? null : spsById[pps.spsId()];
    if (sps == null) {
      return -bits.bitPosition();
    }
    boolean dependent = false;
    if (!firstSliceSegment) {
      if (pps.dependentSliceSegments()) {
        dependent = bits.readBit(); // dependent_slice_segment_flag
      }
      long address = bits.readBitsLong(ceilLog2(sps.picSizeInCtbs())); // slice_segment_address (u(v))
      if (address >= sps.picSizeInCtbs()) {
        throw MediaException.malformed("slice_segment_address " + address);
      }
    }
    if (!dependent) {
      bits.skipBits(pps.numExtraSliceHeaderBits()); // slice_reserved_flag[i]
      int sliceType = bits.readUnsignedExpGolomb(); // slice_type: 0 B, 1 P, 2 I
      if (sliceType > 2) {
        throw MediaException.malformed("slice_type " + sliceType);
      }
      boolean bSlice = sliceType == 0;
      if (pps.outputFlagPresent()) {
        bits.skipBits(1); // pic_output_flag
      }
      if (sps.separateColourPlane()) {
        bits.skipBits(2); // colour_plane_id
      }
      boolean sliceTemporalMvp = false;
      int numPicTotalCurr = 0; // (7-55); pps_curr_pic_ref_enabled_flag (SCC) is not supported
      if (nalType != 19 && nalType != 20) { // not IDR_W_RADL, IDR_N_LP
        bits.skipBits(sps.log2MaxPocLsb()); // slice_pic_order_cnt_lsb
        H265ShortTermRps[] sets = sps.shortTermRps();
        H265ShortTermRps current;
        if (!bits.readBit()) { // short_term_ref_pic_set_sps_flag
          current = H265ShortTermRps.read(bits, sets.length, sets.length, sets);
        } else {
          int index = sets.length > 1 ? bits.readBits(ceilLog2(sets.length)) : 0; // short_term_ref_pic_set_idx
          if (index >= sets.length) {
            throw MediaException.malformed("short_term_ref_pic_set_idx " + index);
          }
          current = sets[index];
        }
        numPicTotalCurr += current.usedByCurrPic();
        if (sps.longTermRefsPresent()) {
          boolean[] usedLtSps = sps.usedByCurrPicLtSps();
          int numLtSps = usedLtSps.length > 0 ? bits.readUnsignedExpGolomb() : 0; // num_long_term_sps
          int numLtPics = bits.readUnsignedExpGolomb(); // num_long_term_pics
          if (numLtSps > usedLtSps.length || numLtPics > 32) {
            throw MediaException.malformed("long-term pictures " + numLtSps + "+" + numLtPics);
          }
          for (int i = 0; i < numLtSps + numLtPics; i++) {
            if (i < numLtSps) {
              int ltIdx = usedLtSps.length > 1 ? bits.readBits(ceilLog2(usedLtSps.length)) : 0; // lt_idx_sps[i]
              if (ltIdx >= usedLtSps.length) {
                throw MediaException.malformed("lt_idx_sps " + ltIdx);
              }
              numPicTotalCurr += usedLtSps[ltIdx] ? 1 : 0;
            } else {
              bits.skipBits(sps.log2MaxPocLsb()); // poc_lsb_lt[i]
              numPicTotalCurr += bits.readBit() ? 1 : 0; // used_by_curr_pic_lt_flag[i]
            }
            if (bits.readBit()) { // delta_poc_msb_present_flag[i]
              bits.readUnsignedExpGolomb(); // delta_poc_msb_cycle_lt[i]
            }
          }
        }
        if (sps.temporalMvp()) {
          sliceTemporalMvp = bits.readBit(); // slice_temporal_mvp_enabled_flag
        }
      }
      boolean saoLuma = false;
      boolean saoChroma = false;
      if (sps.sao()) {
        saoLuma = bits.readBit(); // slice_sao_luma_flag
        if (sps.chromaArrayType() != 0) {
          saoChroma = bits.readBit(); // slice_sao_chroma_flag
        }
      }
      if (sliceType != 2) { // P or B
        int l0 = pps.numRefIdxL0Default();
        int l1 = pps.numRefIdxL1Default();
        if (bits.readBit()) { // num_ref_idx_active_override_flag
          l0 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l0_active_minus1
          if (bSlice) {
            l1 = bits.readUnsignedExpGolomb() + 1; // num_ref_idx_l1_active_minus1
          }
        }
        if (l0 > 15 || l1 > 15) {
          throw MediaException.malformed("num_ref_idx_active " + l0 + "/" + l1);
        }
        if (pps.listsModificationPresent() && numPicTotalCurr > 1) { // ref_pic_lists_modification() (§7.3.6.2)
          int entryBits = ceilLog2(numPicTotalCurr);
          if (bits.readBit()) { // ref_pic_list_modification_flag_l0
            bits.skipBits((long) l0 * entryBits); // list_entry_l0[i]
          }
          if (bSlice && bits.readBit()) { // ref_pic_list_modification_flag_l1
            bits.skipBits((long) l1 * entryBits); // list_entry_l1[i]
          }
        }
        if (bSlice) {
          bits.skipBits(1); // mvd_l1_zero_flag
        }
        if (pps.cabacInitPresent()) {
          bits.skipBits(1); // cabac_init_flag
        }
        if (sliceTemporalMvp) {
          boolean collocatedFromL0 = true;
          if (bSlice) {
            collocatedFromL0 = bits.readBit(); // collocated_from_l0_flag
          }
          if ((collocatedFromL0 && l0 > 1) || (!collocatedFromL0 && l1 > 1)) {
            bits.readUnsignedExpGolomb(); // collocated_ref_idx
          }
        }
        if ((pps.weightedPred() && !bSlice) || (pps.weightedBipred() && bSlice)) {
          skipPredWeightTable(bits, sps.chromaArrayType(), l0, bSlice ? l1 : 0);
        }
        bits.readUnsignedExpGolomb(); // five_minus_max_num_merge_cand
      }
      bits.readSignedExpGolomb(); // slice_qp_delta
      if (pps.sliceChromaQpOffsetsPresent()) {
        bits.readSignedExpGolomb(); // slice_cb_qp_offset
        bits.readSignedExpGolomb(); // slice_cr_qp_offset
      }
      if (pps.chromaQpOffsetList()) {
        bits.skipBits(1); // cu_chroma_qp_offset_enabled_flag
      }
      boolean deblockingOverride = false;
      if (pps.deblockingOverrideEnabled()) {
        deblockingOverride = bits.readBit(); // deblocking_filter_override_flag
      }
      boolean deblockingDisabled = pps.deblockingDisabled();
      if (deblockingOverride) {
        deblockingDisabled = bits.readBit(); // slice_deblocking_filter_disabled_flag
        if (!deblockingDisabled) {
          bits.readSignedExpGolomb(); // slice_beta_offset_div2
          bits.readSignedExpGolomb(); // slice_tc_offset_div2
        }
      }
      if (pps.loopFilterAcrossSlices() && (saoLuma || saoChroma || !deblockingDisabled)) {
        bits.skipBits(1); // slice_loop_filter_across_slices_enabled_flag
      }
    }
    if (pps.tiles() || pps.entropyCodingSync()) {
      int entryPoints = bits.readUnsignedExpGolomb(); // num_entry_point_offsets
      if (entryPoints > sps.picSizeInCtbs()) {
        throw MediaException.malformed("num_entry_point_offsets " + entryPoints);
      }
      if (entryPoints > 0) {
        int offsetBits = bits.readUnsignedExpGolomb() + 1; // offset_len_minus1
        if (offsetBits > 32) {
          throw MediaException.malformed("offset_len_minus1 " + (offsetBits - 1));
        }
        bits.skipBits((long) entryPoints * offsetBits); // entry_point_offset_minus1[i]
      }
    }
    if (pps.sliceHeaderExtensionPresent()) {
      int extension = bits.readUnsignedExpGolomb(); // slice_segment_header_extension_length
      if (extension > 256) {
        throw MediaException.malformed("slice_segment_header_extension_length " + extension);
      }
      bits.skipBits(8L * extension); // slice_segment_header_extension_data_byte[i]
    }
    return bits.bitPosition();
  }

  /** pred_weight_table() (§7.3.6.3), single layer without the current picture as reference: only skipped. */
  private static void skipPredWeightTable(BitCursor bits, int chromaArrayType, int l0, int l1)
      throws MediaException {
    bits.readUnsignedExpGolomb(); // luma_log2_weight_denom
    if (chromaArrayType != 0) {
      bits.readSignedExpGolomb(); // delta_chroma_log2_weight_denom
    }
    for (int list = 0; list < 2; list++) {
      int count = list == 0 ? l0 : l1;
      int lumaFlags = bits.readBits(count); // luma_weight_lX_flag[i]
      int chromaFlags = chromaArrayType != 0 ? bits.readBits(count) : 0; // chroma_weight_lX_flag[i]
      for (int i = count - 1; i >= 0; i--) { // flag of entry 0 in the most significant bit
        if ((lumaFlags >> i & 1) != 0) {
          bits.readSignedExpGolomb(); // delta_luma_weight_lX[i]
          bits.readSignedExpGolomb(); // luma_offset_lX[i]
        }
        if ((chromaFlags >> i & 1) != 0) {
          for (int j = 0; j < 4; j++) {
            bits.readSignedExpGolomb(); // delta_chroma_weight_lX[i][j], delta_chroma_offset_lX[i][j]
          }
        }
      }
    }
  }

  /** Ceil(Log2(n)) for n >= 1. */
  private static int ceilLog2(long n) {
    return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
  }

}
