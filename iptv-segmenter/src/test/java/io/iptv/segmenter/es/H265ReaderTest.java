package io.iptv.segmenter.es;

import static io.iptv.segmenter.es.EsTestSupport.concat;
import static io.iptv.segmenter.es.EsTestSupport.describe;
import static io.iptv.segmenter.es.EsTestSupport.feed;
import static io.iptv.segmenter.es.EsTestSupport.hex;
import static io.iptv.segmenter.es.EsTestSupport.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.codec.H265ShortTermRps;
import io.iptv.core.codec.H265Sps;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H265ReaderTest {
  /**
   * Parameter sets of {@code ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 1 -c:v libx265
   * -f hevc a.hevc} (ffmpeg 5.1, x265): Main profile, level 2 (level_idc 60), progressive + frame-only
   * constraint flags (0x90); ffprobe reports 320x240.
   */
  static final byte[] VPS = hex("40010c01ffff01600000030090000003000003003c959809");
  static final byte[] SPS = hex("42010101600000030090000003000003003ca00a080f165959a4932bc05a020000030002000003003210");
  static final byte[] PPS = hex("4401c172b46240");
  static final byte[] START4 = {0, 0, 0, 1};
  static final byte[] AUD = hex("460150");
  static final byte[] IDR_W_RADL = hex("2601 af 11 22 33"); // type 19, first_slice_segment_in_pic_flag 1
  static final byte[] TRAIL_R_FIRST = hex("0201 d0 44 55");  // type 1, first slice of a picture
  static final byte[] TRAIL_R_NEXT = hex("0201 40 66 77");   // type 1, a further slice segment

  @Test
  void parsesSpsAndBuildsCodecString() throws Exception {
    H265Sps sps = H265Sps.parse(SPS, 0, SPS.length);
    assertEquals(320, sps.width());
    assertEquals(240, sps.height());
    assertEquals("hvc1.1.6.L60.90", sps.codecString());
  }

  @Test
  void codecStringFollowsIso14496Part15AnnexE() {
    // The Annex E example: Main profile, compatibility flags 1 and 2, Main tier level 3.1, constraint byte B0.
    H265Sps sps = profile(0, false, 1, 0x60000000, new byte[] {(byte) 0xB0, 0, 0, 0, 0, 0}, 93);
    assertEquals("hvc1.1.6.L93.B0", sps.codecString());
    H265Sps main10High = profile(1, true, 2, 0x20000000, new byte[] {(byte) 0x90, 0, 0, 0, 0, 1}, 120);
    assertEquals("hvc1.A2.4.H120.90.00.00.00.00.01", main10High.codecString());
  }

  /** An SPS with only the profile_tier_level fields that the codec string shows. */
  private static H265Sps profile(int space, boolean tier, int profileIdc, int compatibility, byte[] constraints,
      int level) {
    return new H265Sps(space, tier, profileIdc, compatibility, constraints, level, 0, 1, false, 1, 1, 1, 1, 4, 4,
        false, new H265ShortTermRps[0], false, new boolean[0], false, 0, true);
  }

  @Test
  void splitsOnAudAndFirstSliceFlag() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.H265);
    List<StreamEvent> events = new ArrayList<>();
    byte[] au1 = concat(START4, AUD, START4, VPS, START4, SPS, START4, PPS, START4, IDR_W_RADL);
    byte[] au2 = concat(START4, AUD, START4, TRAIL_R_FIRST, START4, TRAIL_R_NEXT);
    byte[] au3 = concat(new byte[] {0, 0, 1}, TRAIL_R_FIRST);
    feed(reader, au1, 3600, events);
    feed(reader, concat(au2, au3), 7200, events);
    reader.flush(events::add);
    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals("hvc1.1.6.L60.90", format.codecString());
    assertEquals(3, format.codecConfig().size());
    assertArrayEquals(VPS, format.codecConfig().get(0).toByteArray());
    assertArrayEquals(PPS, format.codecConfig().get(2).toByteArray());
    List<MediaSample> samples = samples(events);
    assertEquals(3, samples.size(), describe(events));
    assertTrue(samples.get(0).keyframe());
    assertFalse(samples.get(1).keyframe());
    // HEVC (as FFmpeg) cuts at 00 00 01: the zero_byte of the next 4-byte start code ends the previous AU.
    assertArrayEquals(concat(au1, new byte[] {0}), samples.get(0).data().toByteArray());
    assertArrayEquals(au3, samples.get(2).data().toByteArray());
    assertEquals(7200 + 3600, samples.get(2).pts90k());
  }
}
