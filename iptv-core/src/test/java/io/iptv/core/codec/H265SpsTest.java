package io.iptv.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.testing.TestMedia;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class H265SpsTest {
  /**
   * The x265 SPS of the committed clip; expected values as {@code ffmpeg -bsf:v trace_headers} prints them:
   * general_profile_idc 1, general_level_idc 60, 320×184 luma samples, conf_win_bottom_offset 2,
   * log2_max_pic_order_cnt_lsb_minus4 4, CTB 2^(3+3), SAO on, no short-term sets in the SPS, no long-term
   * references, temporal MVP on, vui_time_scale 25 / vui_num_units_in_tick 1.
   */
  @Test
  void parsesTheFieldsOfARealSps() throws Exception {
    byte[] sps = firstSps(TestMedia.bytes("h265_ac3.ts"));
    H265Sps parsed = H265Sps.parse(sps, 0, sps.length);
    assertEquals(1, parsed.profileIdc());
    assertEquals(60, parsed.levelIdc());
    assertEquals(0, parsed.spsId());
    assertEquals(1, parsed.chromaArrayType());
    assertEquals(320, parsed.picWidth());
    assertEquals(184, parsed.picHeight());
    assertEquals(320, parsed.width());
    assertEquals(180, parsed.height()); // 184 − SubHeightC 2 × 2
    assertEquals(8, parsed.log2MaxPocLsb());
    assertEquals(6, parsed.ctbLog2());
    assertEquals(5 * 3, parsed.picSizeInCtbs()); // ceil(320 / 64) × ceil(184 / 64)
    assertTrue(parsed.sao());
    assertEquals(0, parsed.shortTermRps().length);
    assertFalse(parsed.longTermRefsPresent());
    assertTrue(parsed.temporalMvp());
    assertEquals(25.0, parsed.frameRate(), 1e-9);
    assertTrue(parsed.complete());
    assertFalse(parsed.screenContent());
    assertTrue(parsed.codecString().startsWith("hvc1.1.") && parsed.codecString().contains(".L60"),
        parsed.codecString());
  }

  @Test
  void aDamagedTailKeepsTheIdentificationAndTheSizeButIsNotComplete() throws Exception {
    byte[] sps = firstSps(TestMedia.bytes("h265_ac3.ts"));
    H265Sps cut = H265Sps.parse(sps, 0, 25); // ends after SAO, before the reference picture sets
    assertFalse(cut.complete());
    assertEquals(0, cut.spsId());
    assertEquals(180, cut.height());
    assertEquals(0, cut.shortTermRps().length);
    assertThrows(MediaException.class, () -> H265Sps.parse(sps, 0, 10)); // inside profile_tier_level
  }

  /**
   * Set 0 explicit: two earlier pictures (deltas −1, −2), both used. Set 1 predicted from it (§7.4.8) with
   * deltaRps −1 and every picture used: the reference's pictures shifted by −1, plus the reference picture
   * itself at −1, so −1, −2, −3.
   */
  @Test
  void shortTermSetsAreReadAndPredicted() throws Exception {
    // 011 1 | 1 1 | 1 1  then  1 (inter) 1 (sign) 1 (abs_delta_rps_minus1 0) 1 1 1 (used) 00
    BitCursor bits = new BitCursor(new byte[] {0x7F, (byte) 0xFC});
    H265ShortTermRps[] sets = new H265ShortTermRps[2];
    sets[0] = H265ShortTermRps.read(bits, 0, 2, sets);
    sets[1] = H265ShortTermRps.read(bits, 1, 2, sets);
    assertArrayEquals(new int[] {-1, -2}, sets[0].deltaPocS0());
    assertArrayEquals(new int[] {-1, -2, -3}, sets[1].deltaPocS0());
    assertEquals(0, sets[1].deltaPocS1().length);
    assertEquals(3, sets[1].usedByCurrPic());
  }

  /** The first SPS NAL unit (type 33) after a start code, up to the next start code. */
  static byte[] firstSps(byte[] ts) {
    for (int i = 0; i + 5 < ts.length; i++) {
      if (ts[i] == 0 && ts[i + 1] == 0 && ts[i + 2] == 1 && ((ts[i + 3] >> 1) & 0x3F) == 33) {
        int end = i + 5;
        while (end + 3 <= ts.length && !(ts[end] == 0 && ts[end + 1] == 0 && (ts[end + 2] == 1 || ts[end + 2] == 0))) {
          end++;
        }
        return Arrays.copyOfRange(ts, i + 3, end);
      }
    }
    throw new AssertionError("no SPS in the clip");
  }
}
