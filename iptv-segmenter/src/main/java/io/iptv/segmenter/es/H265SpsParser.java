package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.EmulationPrevention;

/**
 * Parses an HEVC sequence parameter set (ITU-T H.265 §7.3.2.2, profile_tier_level §7.3.3, VUI §E.2.1) far
 * enough for a track format: profile/tier/level for the codec string, the picture size after the
 * conformance window, and the VUI frame rate. Stateless.
 */
final class H265SpsParser {
  private H265SpsParser() {}

  /**
   * What a track format needs from an SPS.
   *
   * @param profileSpace general_profile_space
   * @param tierFlag general_tier_flag
   * @param profileIdc general_profile_idc
   * @param compatibilityFlags general_profile_compatibility_flag[0..31], flag 0 in the most significant bit
   * @param constraintBytes the 48 bits from general_progressive_source_flag on, as 6 bytes
   * @param levelIdc general_level_idc
   * @param width pic_width_in_luma_samples minus the conformance window
   * @param height pic_height_in_luma_samples minus the conformance window
   * @param frameRate vui_time_scale / vui_num_units_in_tick, or 0
   */
  record Sps(int profileSpace, boolean tierFlag, int profileIdc, int compatibilityFlags, byte[] constraintBytes,
      int levelIdc, int width, int height, double frameRate) {

    /**
     * RFC 6381 / ISO/IEC 14496-15 Annex E codec string, e.g. {@code hvc1.1.6.L93.B0}: profile space
     * letter (none, A, B, C) and profile_idc, the compatibility flags in reverse bit order as hex, tier
     * letter and level_idc, then the constraint bytes in hex with trailing zero bytes omitted.
     */
    String codecString() {
      StringBuilder s = new StringBuilder("hvc1.");
      if (profileSpace > 0) {
        s.append((char) ('A' + profileSpace - 1));
      }
      s.append(profileIdc).append('.');
      s.append(Integer.toHexString(Integer.reverse(compatibilityFlags)).toUpperCase());
      s.append('.').append(tierFlag ? 'H' : 'L').append(levelIdc);
      int last = constraintBytes.length;
      while (last > 0 && constraintBytes[last - 1] == 0) {
        last--;
      }
      for (int i = 0; i < last; i++) {
        s.append('.').append(String.format("%02X", constraintBytes[i] & 0xFF));
      }
      return s.toString();
    }
  }

  /** Parses the SPS NAL unit {@code nal[offset..offset+length)} (starting with its 2-byte NAL header). */
  static Sps parse(byte[] nal, int offset, int length) throws MediaException {
    BitCursor bits = new BitCursor(EmulationPrevention.unescape(nal, offset, length));
    bits.skipBits(16); // nal_unit_header()
    bits.skipBits(4); // sps_video_parameter_set_id (4)
    int maxSubLayersMinus1 = bits.readBits(3); // sps_max_sub_layers_minus1 (3)
    bits.skipBits(1); // sps_temporal_id_nesting_flag (1)
    // profile_tier_level(1, sps_max_sub_layers_minus1)
    int profileSpace = bits.readBits(2); // general_profile_space (2)
    boolean tierFlag = bits.readBit(); // general_tier_flag (1)
    int profileIdc = bits.readBits(5); // general_profile_idc (5)
    int compatibilityFlags = bits.readBits(32); // general_profile_compatibility_flag[32]
    byte[] constraints = new byte[6]; // general_progressive_source_flag .. general_inbld/reserved (48)
    for (int i = 0; i < 6; i++) {
      constraints[i] = (byte) bits.readBits(8);
    }
    int levelIdc = bits.readBits(8); // general_level_idc (8)
    boolean[] subLayerProfilePresent = new boolean[8];
    boolean[] subLayerLevelPresent = new boolean[8];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      subLayerProfilePresent[i] = bits.readBit(); // sub_layer_profile_present_flag[i]
      subLayerLevelPresent[i] = bits.readBit(); // sub_layer_level_present_flag[i]
    }
    if (maxSubLayersMinus1 > 0) {
      bits.skipBits(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (subLayerProfilePresent[i]) {
        bits.skipBits(88); // sub_layer profile space .. inbld flags
      }
      if (subLayerLevelPresent[i]) {
        bits.skipBits(8); // sub_layer_level_idc[i]
      }
    }
    bits.readUnsignedExpGolomb(); // sps_seq_parameter_set_id
    int chromaFormatIdc = bits.readUnsignedExpGolomb(); // chroma_format_idc
    boolean separateColourPlane = false;
    if (chromaFormatIdc == 3) {
      separateColourPlane = bits.readBit(); // separate_colour_plane_flag
    }
    long width = bits.readUnsignedExpGolomb(); // pic_width_in_luma_samples
    long height = bits.readUnsignedExpGolomb(); // pic_height_in_luma_samples
    if (bits.readBit()) { // conformance_window_flag
      long left = bits.readUnsignedExpGolomb(); // conf_win_left_offset
      long right = bits.readUnsignedExpGolomb(); // conf_win_right_offset
      long top = bits.readUnsignedExpGolomb(); // conf_win_top_offset
      long bottom = bits.readUnsignedExpGolomb(); // conf_win_bottom_offset
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1; // Table 6-1
      int subHeightC = chromaArrayType == 1 ? 2 : 1;
      width -= subWidthC * (left + right);
      height -= subHeightC * (top + bottom);
    }
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
      throw MediaException.malformed("implausible HEVC picture size " + width + "x" + height);
    }
    double frameRate = 0;
    try {
      frameRate = parseFrameRate(bits, maxSubLayersMinus1);
    } catch (MediaException e) {
      // The rest of the SPS only yields the frame rate; a damaged tail costs just that.
    }
    return new Sps(profileSpace, tierFlag, profileIdc, compatibilityFlags, constraints, levelIdc, (int) width,
        (int) height, frameRate);
  }

  private static double parseFrameRate(BitCursor bits, int maxSubLayersMinus1) throws MediaException {
    bits.readUnsignedExpGolomb(); // bit_depth_luma_minus8
    bits.readUnsignedExpGolomb(); // bit_depth_chroma_minus8
    int log2MaxPocLsb = bits.readUnsignedExpGolomb() + 4; // log2_max_pic_order_cnt_lsb_minus4
    boolean orderingInfoPresent = bits.readBit(); // sps_sub_layer_ordering_info_present_flag
    for (int i = orderingInfoPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
      bits.readUnsignedExpGolomb(); // sps_max_dec_pic_buffering_minus1[i]
      bits.readUnsignedExpGolomb(); // sps_max_num_reorder_pics[i]
      bits.readUnsignedExpGolomb(); // sps_max_latency_increase_plus1[i]
    }
    bits.readUnsignedExpGolomb(); // log2_min_luma_coding_block_size_minus3
    bits.readUnsignedExpGolomb(); // log2_diff_max_min_luma_coding_block_size
    bits.readUnsignedExpGolomb(); // log2_min_luma_transform_block_size_minus2
    bits.readUnsignedExpGolomb(); // log2_diff_max_min_luma_transform_block_size
    bits.readUnsignedExpGolomb(); // max_transform_hierarchy_depth_inter
    bits.readUnsignedExpGolomb(); // max_transform_hierarchy_depth_intra
    if (bits.readBit() && bits.readBit()) { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
      skipScalingListData(bits);
    }
    bits.skipBits(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
    if (bits.readBit()) { // pcm_enabled_flag
      bits.skipBits(8); // pcm_sample_bit_depth_luma_minus1 (4), pcm_sample_bit_depth_chroma_minus1 (4)
      bits.readUnsignedExpGolomb(); // log2_min_pcm_luma_coding_block_size_minus3
      bits.readUnsignedExpGolomb(); // log2_diff_max_min_pcm_luma_coding_block_size
      bits.skipBits(1); // pcm_loop_filter_disabled_flag
    }
    int numShortTermRefPicSets = bits.readUnsignedExpGolomb(); // num_short_term_ref_pic_sets
    if (numShortTermRefPicSets > 64) {
      throw MediaException.malformed("num_short_term_ref_pic_sets " + numShortTermRefPicSets);
    }
    int[] numDeltaPocs = new int[numShortTermRefPicSets];
    for (int i = 0; i < numShortTermRefPicSets; i++) {
      numDeltaPocs[i] = skipShortTermRefPicSet(bits, i, numDeltaPocs);
    }
    if (bits.readBit()) { // long_term_ref_pics_present_flag
      int count = bits.readUnsignedExpGolomb(); // num_long_term_ref_pics_sps
      for (int i = 0; i < count && i < 33; i++) {
        bits.skipBits(log2MaxPocLsb + 1L); // lt_ref_pic_poc_lsb_sps[i], used_by_curr_pic_lt_sps_flag[i]
      }
    }
    bits.skipBits(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
    if (!bits.readBit()) { // vui_parameters_present_flag
      return 0;
    }
    // vui_parameters() (§E.2.1)
    if (bits.readBit()) { // aspect_ratio_info_present_flag
      if (bits.readBits(8) == 255) { // aspect_ratio_idc == EXTENDED_SAR
        bits.skipBits(32); // sar_width (16), sar_height (16)
      }
    }
    if (bits.readBit()) { // overscan_info_present_flag
      bits.skipBits(1); // overscan_appropriate_flag
    }
    if (bits.readBit()) { // video_signal_type_present_flag
      bits.skipBits(4); // video_format (3), video_full_range_flag (1)
      if (bits.readBit()) { // colour_description_present_flag
        bits.skipBits(24);
      }
    }
    if (bits.readBit()) { // chroma_loc_info_present_flag
      bits.readUnsignedExpGolomb();
      bits.readUnsignedExpGolomb();
    }
    bits.skipBits(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
    if (bits.readBit()) { // default_display_window_flag
      for (int i = 0; i < 4; i++) {
        bits.readUnsignedExpGolomb(); // def_disp_win_*_offset
      }
    }
    if (bits.readBit()) { // vui_timing_info_present_flag
      long numUnitsInTick = bits.readBitsLong(32); // vui_num_units_in_tick
      long timeScale = bits.readBitsLong(32); // vui_time_scale
      if (numUnitsInTick > 0 && timeScale > 0) {
        double rate = (double) timeScale / numUnitsInTick;
        return rate <= 1000 ? rate : 0;
      }
    }
    return 0;
  }

  /** st_ref_pic_set(stRpsIdx) (§7.3.7) for stRpsIdx < num_short_term_ref_pic_sets; returns NumDeltaPocs. */
  private static int skipShortTermRefPicSet(BitCursor bits, int index, int[] numDeltaPocs) throws MediaException {
    if (index != 0 && bits.readBit()) { // inter_ref_pic_set_prediction_flag
      bits.skipBits(1); // delta_rps_sign
      bits.readUnsignedExpGolomb(); // abs_delta_rps_minus1
      int reference = numDeltaPocs[index - 1]; // RefRpsIdx = stRpsIdx - 1 in an SPS
      int count = 0;
      for (int j = 0; j <= reference; j++) {
        boolean used = bits.readBit(); // used_by_curr_pic_flag[j]
        boolean useDelta = used || bits.readBit(); // use_delta_flag[j]
        if (useDelta) {
          count++;
        }
      }
      return count;
    }
    int negative = bits.readUnsignedExpGolomb(); // num_negative_pics
    int positive = bits.readUnsignedExpGolomb(); // num_positive_pics
    if (negative > 16 || positive > 16) {
      throw MediaException.malformed("too many pictures in st_ref_pic_set");
    }
    for (int i = 0; i < negative + positive; i++) {
      bits.readUnsignedExpGolomb(); // delta_poc_s0/s1_minus1[i]
      bits.skipBits(1); // used_by_curr_pic_s0/s1_flag[i]
    }
    return negative + positive;
  }

  /** scaling_list_data() (§7.3.4), values discarded. */
  private static void skipScalingListData(BitCursor bits) throws MediaException {
    for (int sizeId = 0; sizeId < 4; sizeId++) {
      for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
        if (!bits.readBit()) { // scaling_list_pred_mode_flag
          bits.readUnsignedExpGolomb(); // scaling_list_pred_matrix_id_delta
        } else {
          int coefficients = Math.min(64, 1 << (4 + (sizeId << 1)));
          if (sizeId > 1) {
            bits.readSignedExpGolomb(); // scaling_list_dc_coef_minus8
          }
          for (int i = 0; i < coefficients; i++) {
            bits.readSignedExpGolomb(); // scaling_list_delta_coef
          }
        }
      }
    }
  }
}
