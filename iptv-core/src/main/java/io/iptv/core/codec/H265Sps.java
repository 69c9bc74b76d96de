package io.iptv.core.codec;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.EmulationPrevention;
import java.util.Locale;

/**
 * An HEVC sequence parameter set (ITU-T H.265 §7.3.2.2, profile_tier_level §7.3.3, VUI §E.2.1): what a track
 * format needs (profile, tier, level, picture size after the conformance window, frame rate) and what a slice
 * segment header parser needs (§7.4.3.2.1: picture order count width, CTB size, short-term reference picture
 * sets, long-term references, SAO, temporal MVP). One parser for the TS reader, the MP4 sample entries and the
 * sample encryption's slice-header walk. Immutable (do not modify the arrays); {@link #parse} is stateless and
 * thread-safe.
 *
 * <p>Everything up to {@code sps_seq_parameter_set_id} must parse, or {@link #parse} throws. A damaged rest
 * leaves {@link #complete()} false and keeps what was read before the damage (the picture size if it came
 * first: size 0 otherwise, no reference picture sets); a damaged VUI costs only the frame rate.
 *
 * <pre>{@code
 * H265Sps sps = H265Sps.parse(nal, 0, nal.length);      // the NAL unit, 2-byte header included
 * if (sps.plausibleSize()) {
 *   format.codecString(sps.codecString()).width((int) sps.width()).height((int) sps.height());
 * }
 * }</pre>
 *
 * @param profileSpace general_profile_space
 * @param tierFlag general_tier_flag
 * @param profileIdc general_profile_idc
 * @param compatibilityFlags general_profile_compatibility_flag[0..31], flag 0 in the most significant bit
 * @param constraintBytes the 48 bits from general_progressive_source_flag on, as 6 bytes
 * @param levelIdc general_level_idc
 * @param spsId sps_seq_parameter_set_id
 * @param chromaFormatIdc chroma_format_idc
 * @param separateColourPlane separate_colour_plane_flag
 * @param picWidth pic_width_in_luma_samples
 * @param picHeight pic_height_in_luma_samples
 * @param width {@code picWidth} minus the conformance window
 * @param height {@code picHeight} minus the conformance window
 * @param log2MaxPocLsb log2_max_pic_order_cnt_lsb_minus4 + 4
 * @param ctbLog2 CtbLog2SizeY (7-10)
 * @param sao sample_adaptive_offset_enabled_flag
 * @param shortTermRps the num_short_term_ref_pic_sets sets
 * @param longTermRefsPresent long_term_ref_pics_present_flag
 * @param usedByCurrPicLtSps used_by_curr_pic_lt_sps_flag[i], one per num_long_term_ref_pics_sps
 * @param temporalMvp sps_temporal_mvp_enabled_flag
 * @param frameRate vui_time_scale / vui_num_units_in_tick, or 0
 * @param complete whether everything up to sps_temporal_mvp_enabled_flag was read
 */
public record H265Sps(int profileSpace, boolean tierFlag, int profileIdc, int compatibilityFlags,
    byte[] constraintBytes, int levelIdc, int spsId, int chromaFormatIdc, boolean separateColourPlane,
    long picWidth, long picHeight, long width, long height, int log2MaxPocLsb, int ctbLog2, boolean sao,
    H265ShortTermRps[] shortTermRps, boolean longTermRefsPresent, boolean[] usedByCurrPicLtSps,
    boolean temporalMvp, double frameRate, boolean complete) {

  /** Most short-term reference picture sets in an SPS (num_short_term_ref_pic_sets, §7.4.3.2.1). */
  public static final int MAX_SHORT_TERM_RPS = 64;
  /** Most long-term reference pictures signalled in an SPS (num_long_term_ref_pics_sps). */
  public static final int MAX_LONG_TERM_REFS = 32;

  /** ChromaArrayType (§7.4.3.2.1): 0 with separate colour planes, else chroma_format_idc. */
  public int chromaArrayType() {
    return separateColourPlane ? 0 : chromaFormatIdc;
  }

  /** PicSizeInCtbsY (7-19): CTBs in a picture. */
  public long picSizeInCtbs() {
    long ctbSize = 1L << ctbLog2;
    return ((picWidth + ctbSize - 1) / ctbSize) * ((picHeight + ctbSize - 1) / ctbSize);
  }

  /** Whether the cropped picture size is one a real stream has (1..65535 in each dimension). */
  public boolean plausibleSize() {
    return width > 0 && height > 0 && width <= 65535 && height <= 65535;
  }

  /**
   * Whether the general profile is a screen content coding one (general_profile_idc or compatibility flag 9
   * or 11, Annex A.3.7 and A.3.8): its slice headers may carry fields of the SCC extension.
   */
  public boolean screenContent() {
    boolean sccFlag = (compatibilityFlags & (1 << (31 - 9))) != 0 || (compatibilityFlags & (1 << (31 - 11))) != 0;
    return profileIdc == 9 || profileIdc == 11 || sccFlag;
  }

  /**
   * RFC 6381 / ISO/IEC 14496-15 Annex E codec string, e.g. {@code hvc1.1.6.L93.B0}: profile space letter (none,
   * A, B, C) and profile_idc, the compatibility flags in reverse bit order as hex, tier letter and level_idc,
   * then the constraint bytes in hex with trailing zero bytes omitted.
   */
  public String codecString() {
    StringBuilder s = new StringBuilder("hvc1.");
    if (profileSpace > 0) {
      s.append((char) ('A' + profileSpace - 1));
    }
    s.append(profileIdc).append('.');
    s.append(Integer.toHexString(Integer.reverse(compatibilityFlags)).toUpperCase(Locale.ROOT));
    s.append('.').append(tierFlag ? 'H' : 'L').append(levelIdc);
    int last = constraintBytes.length;
    while (last > 0 && constraintBytes[last - 1] == 0) {
      last--;
    }
    for (int i = 0; i < last; i++) {
      s.append('.').append(String.format(Locale.ROOT, "%02X", constraintBytes[i] & 0xFF));
    }
    return s.toString();
  }

  /** Parses the SPS NAL unit {@code nal[offset..offset+length)}, starting with its 2-byte NAL header. */
  public static H265Sps parse(byte[] nal, int offset, int length) throws MediaException {
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
        bits.skipBits(88); // sub_layer_profile_space .. sub_layer_inbld_flag (88)
      }
      if (subLayerLevelPresent[i]) {
        bits.skipBits(8); // sub_layer_level_idc[i]
      }
    }
    int spsId = bits.readUnsignedExpGolomb(); // sps_seq_parameter_set_id
    Rest r = new Rest();
    try {
      r.read(bits, maxSubLayersMinus1);
    } catch (MediaException e) {
      // damaged: what was read before stays (the picture size, for a track format), complete() is false
    }
    return new H265Sps(profileSpace, tierFlag, profileIdc, compatibilityFlags, constraints, levelIdc, spsId,
        r.chromaFormatIdc, r.separateColourPlane, r.picWidth, r.picHeight, r.width, r.height, r.log2MaxPocLsb,
        r.ctbLog2, r.sao, r.sets, r.longTermRefsPresent, r.usedLt, r.temporalMvp, r.frameRate, r.complete);
  }

  /** The SPS after sps_seq_parameter_set_id, as far as it was read. */
  private static final class Rest {
    int chromaFormatIdc = 1;
    boolean separateColourPlane;
    long picWidth;
    long picHeight;
    long width;
    long height;
    int log2MaxPocLsb;
    int ctbLog2;
    boolean sao;
    H265ShortTermRps[] sets = new H265ShortTermRps[0];
    boolean longTermRefsPresent;
    boolean[] usedLt = new boolean[0];
    boolean temporalMvp;
    double frameRate;
    boolean complete;

    void read(BitCursor bits, int maxSubLayersMinus1) throws MediaException {
      chromaFormatIdc = bits.readUnsignedExpGolomb(); // chroma_format_idc
      if (chromaFormatIdc == 3) {
        separateColourPlane = bits.readBit(); // separate_colour_plane_flag
      }
      picWidth = bits.readUnsignedExpGolomb(); // pic_width_in_luma_samples
      picHeight = bits.readUnsignedExpGolomb(); // pic_height_in_luma_samples
      long croppedWidth = picWidth;
      long croppedHeight = picHeight;
      if (bits.readBit()) { // conformance_window_flag
        long left = bits.readUnsignedExpGolomb(); // conf_win_left_offset
        long right = bits.readUnsignedExpGolomb(); // conf_win_right_offset
        long top = bits.readUnsignedExpGolomb(); // conf_win_top_offset
        long bottom = bits.readUnsignedExpGolomb(); // conf_win_bottom_offset
        int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1; // Table 6-1
        int subHeightC = chromaArrayType == 1 ? 2 : 1;
        croppedWidth -= subWidthC * (left + right);
        croppedHeight -= subHeightC * (top + bottom);
      }
      width = croppedWidth; // known from here on, even if the rest is damaged
      height = croppedHeight;
      bits.readUnsignedExpGolomb(); // bit_depth_luma_minus8
      bits.readUnsignedExpGolomb(); // bit_depth_chroma_minus8
      log2MaxPocLsb = bits.readUnsignedExpGolomb() + 4; // log2_max_pic_order_cnt_lsb_minus4
      boolean orderingInfoPresent = bits.readBit(); // sps_sub_layer_ordering_info_present_flag
      for (int i = orderingInfoPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
        bits.readUnsignedExpGolomb(); // sps_max_dec_pic_buffering_minus1[i]
        bits.readUnsignedExpGolomb(); // sps_max_num_reorder_pics[i]
        bits.readUnsignedExpGolomb(); // sps_max_latency_increase_plus1[i]
      }
      int minCbLog2 = bits.readUnsignedExpGolomb() + 3; // log2_min_luma_coding_block_size_minus3
      ctbLog2 = minCbLog2 + bits.readUnsignedExpGolomb(); // log2_diff_max_min_luma_coding_block_size
      bits.readUnsignedExpGolomb(); // log2_min_luma_transform_block_size_minus2
      bits.readUnsignedExpGolomb(); // log2_diff_max_min_luma_transform_block_size
      bits.readUnsignedExpGolomb(); // max_transform_hierarchy_depth_inter
      bits.readUnsignedExpGolomb(); // max_transform_hierarchy_depth_intra
      if (bits.readBit() && bits.readBit()) { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
        skipScalingListData(bits);
      }
      bits.skipBits(1); // amp_enabled_flag
      sao = bits.readBit(); // sample_adaptive_offset_enabled_flag
      if (bits.readBit()) { // pcm_enabled_flag
        bits.skipBits(8); // pcm_sample_bit_depth_luma_minus1 (4), pcm_sample_bit_depth_chroma_minus1 (4)
        bits.readUnsignedExpGolomb(); // log2_min_pcm_luma_coding_block_size_minus3
        bits.readUnsignedExpGolomb(); // log2_diff_max_min_pcm_luma_coding_block_size
        bits.skipBits(1); // pcm_loop_filter_disabled_flag
      }
      int count = bits.readUnsignedExpGolomb(); // num_short_term_ref_pic_sets
      if (count > MAX_SHORT_TERM_RPS) {
        throw MediaException.malformed("num_short_term_ref_pic_sets " + count);
      }
      H265ShortTermRps[] read = new H265ShortTermRps[count];
      for (int i = 0; i < count; i++) {
        read[i] = H265ShortTermRps.read(bits, i, count, read);
      }
      longTermRefsPresent = bits.readBit(); // long_term_ref_pics_present_flag
      boolean[] used = new boolean[0];
      if (longTermRefsPresent) {
        int refs = bits.readUnsignedExpGolomb(); // num_long_term_ref_pics_sps
        if (refs > MAX_LONG_TERM_REFS) {
          throw MediaException.malformed("num_long_term_ref_pics_sps " + refs);
        }
        used = new boolean[refs];
        for (int i = 0; i < refs; i++) {
          bits.skipBits(log2MaxPocLsb); // lt_ref_pic_poc_lsb_sps[i] (u(v))
          used[i] = bits.readBit(); // used_by_curr_pic_lt_sps_flag[i]
        }
      }
      temporalMvp = bits.readBit(); // sps_temporal_mvp_enabled_flag
      sets = read;
      usedLt = used;
      complete = true;
      try {
        bits.skipBits(1); // strong_intra_smoothing_enabled_flag
        if (bits.readBit()) { // vui_parameters_present_flag
          frameRate = vuiFrameRate(bits);
        }
      } catch (MediaException e) {
        // A damaged VUI only costs the frame rate.
      }
    }
  }

  /** vui_parameters() (§E.2.1) up to the timing info: the frame rate, or 0. */
  private static double vuiFrameRate(BitCursor bits) throws MediaException {
    VuiPrefix.skip(bits);
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

  /** Skips scaling_list_data() (§7.3.4), which an SPS and a PPS may carry; the values are discarded. */
  public static void skipScalingListData(BitCursor bits) throws MediaException {
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
