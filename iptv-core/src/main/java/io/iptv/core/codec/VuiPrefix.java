package io.iptv.core.codec;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;

/**
 * The start of vui_parameters(), the same in H.264 (§E.1.1) and HEVC (§E.2.1): aspect ratio, overscan, video
 * signal type and chroma sample location, all skipped. Stateless.
 */
final class VuiPrefix {
  private VuiPrefix() {}

  /** Skips from aspect_ratio_info_present_flag through the chroma_loc_info fields. */
  static void skip(BitCursor bits) throws MediaException {
    if (bits.readBit()) { // aspect_ratio_info_present_flag
      if (bits.readBits(8) == 255) { // aspect_ratio_idc == Extended_SAR
        bits.skipBits(32); // sar_width (16), sar_height (16)
      }
    }
    if (bits.readBit()) { // overscan_info_present_flag
      bits.skipBits(1); // overscan_appropriate_flag
    }
    if (bits.readBit()) { // video_signal_type_present_flag
      bits.skipBits(4); // video_format (3), video_full_range_flag (1)
      if (bits.readBit()) { // colour_description_present_flag
        bits.skipBits(24); // colour_primaries, transfer_characteristics, matrix_coefficients
      }
    }
    if (bits.readBit()) { // chroma_loc_info_present_flag
      bits.readUnsignedExpGolomb(); // chroma_sample_loc_type_top_field
      bits.readUnsignedExpGolomb(); // chroma_sample_loc_type_bottom_field
    }
  }
}
