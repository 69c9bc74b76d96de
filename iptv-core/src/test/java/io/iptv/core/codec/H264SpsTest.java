package io.iptv.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.testing.TestMedia;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class H264SpsTest {
  /**
   * The x264 SPS of the committed clip; expected values as {@code ffmpeg -bsf:v trace_headers} prints them:
   * profile_idc 100, level_idc 12, chroma_format_idc 1, log2_max_frame_num_minus4 0, pic_order_cnt_type 0,
   * log2_max_pic_order_cnt_lsb_minus4 2, 20×12 macroblocks, frame_crop_bottom_offset 6, time_scale 50 /
   * num_units_in_tick 1.
   */
  @Test
  void parsesTheFieldsOfARealSps() throws Exception {
    byte[] sps = firstSps(TestMedia.bytes("h264_aac.ts"));
    H264Sps parsed = H264Sps.parse(sps, 0, sps.length);
    assertEquals(100, parsed.profileIdc());
    assertEquals(12, parsed.levelIdc());
    assertEquals(0, parsed.spsId());
    assertEquals(1, parsed.chromaArrayType());
    assertEquals(4, parsed.log2MaxFrameNum());
    assertEquals(0, parsed.pocType());
    assertEquals(6, parsed.log2MaxPocLsb());
    assertTrue(parsed.frameMbsOnly());
    assertEquals(320, parsed.width());
    assertEquals(180, parsed.height()); // 12 × 16 − 2 × 6
    assertEquals(25.0, parsed.frameRate(), 1e-9);
    assertEquals("avc1.64000c", parsed.codecString());
    assertTrue(parsed.plausibleSize());
  }

  @Test
  void truncatedAndAbsurdSpsAreRefusedOrFlagged() throws Exception {
    byte[] sps = firstSps(TestMedia.bytes("h264_aac.ts"));
    assertThrows(MediaException.class, () -> H264Sps.parse(sps, 0, 6)); // cut inside the macroblock counts
    // Baseline SPS with pic_width_in_mbs_minus1 = 2^20 - 1 (Exp-Golomb: 20 zeros, a one, 20 zeros): 16 Mi pixels wide
    byte[] huge = HexFormat.of().parseHex("6742c01ef80000200001c8");
    H264Sps absurd = H264Sps.parse(huge, 0, huge.length);
    assertFalse(absurd.plausibleSize(), absurd.width() + "x" + absurd.height());
  }

  /** The first SPS NAL unit (type 7) after a start code, up to the next start code. */
  static byte[] firstSps(byte[] ts) {
    for (int i = 0; i + 4 < ts.length; i++) {
      if (ts[i] == 0 && ts[i + 1] == 0 && ts[i + 2] == 1 && (ts[i + 3] & 0x1F) == 7) {
        int end = i + 4;
        while (end + 3 <= ts.length && !(ts[end] == 0 && ts[end + 1] == 0 && (ts[end + 2] == 1 || ts[end + 2] == 0))) {
          end++;
        }
        return Arrays.copyOfRange(ts, i + 3, end);
      }
    }
    throw new AssertionError("no SPS in the clip");
  }
}
