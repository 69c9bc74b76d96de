package io.iptv.core.codec;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.EmulationPrevention;
import java.util.Locale;

/**
 * An H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1, VUI §E.1.1): the fields a track format needs
 * (profile, level, cropped picture size, frame rate) and those a slice header parser needs (§7.4.3: frame_num
 * and picture order count widths, field coding). One parser for the TS reader, the MP4 sample entries and the
 * sample encryption's slice-header walk. Immutable; {@link #parse} is stateless and thread-safe.
 *
 * <pre>{@code
 * H264Sps sps = H264Sps.parse(nal, 0, nal.length);      // the NAL unit, header byte included
 * format.codecString(sps.codecString()).width(sps.width()).height(sps.height());
 * }</pre>
 *
 * @param profileIdc profile_idc
 * @param constraintFlags the byte of constraint_set0..5_flag and reserved_zero_2bits
 * @param levelIdc level_idc
 * @param spsId seq_parameter_set_id
 * @param chromaFormatIdc chroma_format_idc (1 when absent)
 * @param separateColourPlane separate_colour_plane_flag
 * @param log2MaxFrameNum log2_max_frame_num_minus4 + 4
 * @param pocType pic_order_cnt_type
 * @param log2MaxPocLsb log2_max_pic_order_cnt_lsb_minus4 + 4 (pic_order_cnt_type 0), else 0
 * @param deltaPicOrderAlwaysZero delta_pic_order_always_zero_flag (pic_order_cnt_type 1)
 * @param frameMbsOnly frame_mbs_only_flag
 * @param width picture width after frame cropping (may be implausible in a damaged SPS: see
 *     {@link #plausibleSize()})
 * @param height picture height after frame cropping
 * @param frameRate time_scale / (2 * num_units_in_tick) from VUI timing_info, or 0
 */
public record H264Sps(int profileIdc, int constraintFlags, int levelIdc, int spsId, int chromaFormatIdc,
    boolean separateColourPlane, int log2MaxFrameNum, int pocType, int log2MaxPocLsb,
    boolean deltaPicOrderAlwaysZero, boolean frameMbsOnly, long width, long height, double frameRate) {

  /** ChromaArrayType (§7.4.2.1.1): 0 with separate colour planes, else chroma_format_idc. */
  public int chromaArrayType() {
    return separateColourPlane ? 0 : chromaFormatIdc;
  }

  /** RFC 6381 codec string {@code avc1.PPCCLL}, lower-case hex as FFmpeg's HLS muxer writes it. */
  public String codecString() {
    return String.format(Locale.ROOT, "avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
  }

  /** Whether the cropped picture size is one a real stream has (1..65535 in each dimension). */
  public boolean plausibleSize() {
    return width > 0 && height > 0 && width <= 65535 && height <= 65535;
  }

  /** Parses the SPS NAL unit {@code nal[offset..offset+length)}, starting with its NAL header byte. */
  public static H264Sps parse(byte[] nal, int offset, int length) throws MediaException {
    BitCursor bits = new BitCursor(EmulationPrevention.unescape(nal, offset, length));
    bits.skipBits(8); // forbidden_zero_bit (1), nal_ref_idc (2), nal_unit_type (5)
    int profileIdc = bits.readBits(8); // profile_idc (8)
    int constraintFlags = bits.readBits(8); // constraint_set0..5_flag (6), reserved_zero_2bits (2)
    int levelIdc = bits.readBits(8); // level_idc (8)
    int spsId = bits.readUnsignedExpGolomb(); // seq_parameter_set_id
    int chromaFormatIdc = 1;
    boolean separateColourPlane = false;
    if (profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 244 || profileIdc == 44
        || profileIdc == 83 || profileIdc == 86 || profileIdc == 118 || profileIdc == 128 || profileIdc == 138
        || profileIdc == 139 || profileIdc == 134 || profileIdc == 135) {
      chromaFormatIdc = bits.readUnsignedExpGolomb(); // chroma_format_idc
      if (chromaFormatIdc == 3) {
        separateColourPlane = bits.readBit(); // separate_colour_plane_flag
      }
      bits.readUnsignedExpGolomb(); // bit_depth_luma_minus8
      bits.readUnsignedExpGolomb(); // bit_depth_chroma_minus8
      bits.skipBits(1); // qpprime_y_zero_transform_bypass_flag
      if (bits.readBit()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormatIdc != 3 ? 8 : 12;
        for (int i = 0; i < lists; i++) {
          if (bits.readBit()) { // seq_scaling_list_present_flag[i]
            skipScalingList(bits, i < 6 ? 16 : 64);
          }
        }
      }
    }
    int log2MaxFrameNum = bits.readUnsignedExpGolomb() + 4; // log2_max_frame_num_minus4
    int pocType = bits.readUnsignedExpGolomb(); // pic_order_cnt_type
    int log2MaxPocLsb = 0;
    boolean deltaAlwaysZero = false;
    if (pocType == 0) {
      log2MaxPocLsb = bits.readUnsignedExpGolomb() + 4; // log2_max_pic_order_cnt_lsb_minus4
    } else if (pocType == 1) {
      deltaAlwaysZero = bits.readBit(); // delta_pic_order_always_zero_flag
      bits.readSignedExpGolomb(); // offset_for_non_ref_pic
      bits.readSignedExpGolomb(); // offset_for_top_to_bottom_field
      int cycle = bits.readUnsignedExpGolomb(); // num_ref_frames_in_pic_order_cnt_cycle
      if (cycle > 255) {
        throw MediaException.malformed("num_ref_frames_in_pic_order_cnt_cycle " + cycle);
      }
      for (int i = 0; i < cycle; i++) {
        bits.readSignedExpGolomb(); // offset_for_ref_frame[i]
      }
    }
    bits.readUnsignedExpGolomb(); // max_num_ref_frames
    bits.skipBits(1); // gaps_in_frame_num_value_allowed_flag
    long widthInMbs = bits.readUnsignedExpGolomb() + 1L; // pic_width_in_mbs_minus1
    long heightInMapUnits = bits.readUnsignedExpGolomb() + 1L; // pic_height_in_map_units_minus1
    boolean frameMbsOnly = bits.readBit(); // frame_mbs_only_flag
    if (!frameMbsOnly) {
      bits.skipBits(1); // mb_adaptive_frame_field_flag
    }
    bits.skipBits(1); // direct_8x8_inference_flag
    long width = widthInMbs * 16;
    long height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
    if (bits.readBit()) { // frame_cropping_flag
      long left = bits.readUnsignedExpGolomb(); // frame_crop_left_offset
      long right = bits.readUnsignedExpGolomb(); // frame_crop_right_offset
      long top = bits.readUnsignedExpGolomb(); // frame_crop_top_offset
      long bottom = bits.readUnsignedExpGolomb(); // frame_crop_bottom_offset
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      // CropUnitX/CropUnitY, H.264 equations (7-19) .. (7-22)
      int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      int subHeightC = chromaArrayType == 1 ? 2 : 1;
      long cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
      long cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
      width -= cropUnitX * (left + right);
      height -= cropUnitY * (top + bottom);
    }
    double frameRate = 0;
    if (bits.readBit()) { // vui_parameters_present_flag
      frameRate = vuiFrameRate(bits);
    }
    return new H264Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, separateColourPlane,
        log2MaxFrameNum, pocType, log2MaxPocLsb, deltaAlwaysZero, frameMbsOnly, width, height, frameRate);
  }

  /** The frame rate of vui_parameters() (§E.1.1) up to timing_info, or 0; a truncated VUI only costs that. */
  private static double vuiFrameRate(BitCursor bits) {
    try {
      VuiPrefix.skip(bits);
      if (bits.readBit()) { // timing_info_present_flag
        long numUnitsInTick = bits.readBitsLong(32); // num_units_in_tick
        long timeScale = bits.readBitsLong(32); // time_scale
        if (numUnitsInTick > 0 && timeScale > 0) {
          double rate = timeScale / (2.0 * numUnitsInTick);
          return rate <= 1000 ? rate : 0;
        }
      }
    } catch (MediaException e) {
      // A truncated VUI only costs the frame rate.
    }
    return 0;
  }

  /** scaling_list() (§7.3.2.1.1.1), values discarded. */
  private static void skipScalingList(BitCursor bits, int size) throws MediaException {
    int lastScale = 8;
    int nextScale = 8;
    for (int j = 0; j < size; j++) {
      if (nextScale != 0) {
        int deltaScale = bits.readSignedExpGolomb(); // delta_scale
        nextScale = Math.floorMod(lastScale + deltaScale + 256, 256);
      }
      lastScale = nextScale == 0 ? lastScale : nextScale;
    }
  }
}
