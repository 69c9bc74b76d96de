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

import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264ReaderTest {
  /**
   * SPS and PPS of {@code ffmpeg -f lavfi -i testsrc2=size=320x180:rate=30000/1001 -frames:v 1 -c:v libx264
   * -f h264 crop.h264} (ffmpeg 5.1, x264): High profile, level 1.3, 320x192 coded, cropped to 320x180,
   * VUI timing 60000/1001 → 29.97 fps.
   */
  static final byte[] SPS = hex("6764000dacd941419f9f011000003e90000ea600f1429960");
  static final byte[] PPS = hex("68ebe3cb22c0");
  static final byte[] START4 = {0, 0, 0, 1};
  static final byte[] START3 = {0, 0, 1};
  static final byte[] AUD = hex("09f0");
  // Slices: NAL header, then first_mb_in_slice = 0 ('1' bit) or 5 ('00110'), then filler bytes.
  static final byte[] IDR = hex("65 88 84 21 a0 ff ee dd");
  static final byte[] P_SLICE_MB0 = hex("41 9a 11 22 33 44");
  static final byte[] P_SLICE_MB5 = hex("41 30 55 66 77 88");
  static final byte[] SEI_RECOVERY = hex("06 06 01 c4 80"); // recovery_point, payloadSize 1, trailing bits

  @Test
  void parsesSpsWithCroppingAndFrameRate() throws Exception {
    io.iptv.core.codec.H264Sps sps = io.iptv.core.codec.H264Sps.parse(SPS, 0, SPS.length);
    assertEquals(320, sps.width());
    assertEquals(180, sps.height());
    assertEquals(30000 / 1001.0, sps.frameRate(), 1e-9);
    assertEquals("avc1.64000d", sps.codecString());
  }

  @Test
  void emitsFormatThenSamplesSplitAtAudAndFirstMb() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.H264);
    List<StreamEvent> events = new ArrayList<>();
    byte[] au1 = concat(START4, AUD, START4, SPS, START4, PPS, START4, IDR);
    byte[] au2 = concat(START4, AUD, START3, P_SLICE_MB0, START3, P_SLICE_MB5);
    byte[] au3 = concat(START3, P_SLICE_MB0); // no AUD: a slice with first_mb 0 starts the access unit
    feed(reader, au1, 1000, events);
    feed(reader, concat(au2, au3), 4000, events);
    reader.flush(events::add);

    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals(320, format.width());
    assertEquals(180, format.height());
    assertEquals("avc1.64000d", format.codecString());
    assertEquals("eng", format.language());
    assertEquals(2, format.codecConfig().size());
    assertArrayEquals(SPS, format.codecConfig().get(0).toByteArray());
    assertArrayEquals(PPS, format.codecConfig().get(1).toByteArray());

    List<MediaSample> samples = samples(events);
    assertEquals(3, samples.size(), describe(events));
    assertArrayEquals(au1, samples.get(0).data().toByteArray());
    assertArrayEquals(au2, samples.get(1).data().toByteArray());
    assertArrayEquals(au3, samples.get(2).data().toByteArray());
    assertTrue(samples.get(0).keyframe());
    assertFalse(samples.get(1).keyframe());
    assertEquals(1000, samples.get(0).pts90k());
    assertEquals(4000, samples.get(1).pts90k());
    // au3 starts in the same PES as au2: no PES timestamp of its own, so previous + 1/29.97 s.
    assertEquals(4000 + 3003, samples.get(2).pts90k());
  }

  @Test
  void sameOutputWhenFedOneByteAtATime() throws Exception {
    byte[] pes1 = concat(START4, AUD, START4, SPS, START4, PPS, START4, IDR);
    byte[] pes2 = concat(START4, AUD, START4, SEI_RECOVERY, START3, P_SLICE_MB0);
    byte[] pes3 = concat(START4, AUD, START3, P_SLICE_MB0);
    List<StreamEvent> whole = new ArrayList<>();
    ElementaryStreamReader a = EsTestSupport.reader(Codec.H264);
    feed(a, pes1, 0, whole);
    feed(a, pes2, 3003, whole);
    feed(a, pes3, 6006, whole);
    a.flush(whole::add);
    List<StreamEvent> bytewise = new ArrayList<>();
    ElementaryStreamReader b = EsTestSupport.reader(Codec.H264);
    EsTestSupport.feedBytewise(b, pes1, 0, bytewise);
    EsTestSupport.feedBytewise(b, pes2, 3003, bytewise);
    EsTestSupport.feedBytewise(b, pes3, 6006, bytewise);
    b.flush(bytewise::add);
    assertEquals(describe(whole), describe(bytewise));
    List<MediaSample> samples = samples(whole);
    assertEquals(3, samples.size());
    assertTrue(samples.get(1).keyframe(), "recovery point SEI makes a keyframe");
    assertFalse(samples.get(2).keyframe());
  }

  @Test
  void dropsAccessUnitsBeforeFirstSpsAndResyncsAfterSeek() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.H264);
    List<StreamEvent> events = new ArrayList<>();
    feed(reader, concat(hex("12345678"), START4, AUD, START3, P_SLICE_MB0), 0, events);
    feed(reader, concat(START4, AUD, START4, SPS, START4, PPS, START4, IDR), 3003, events);
    feed(reader, concat(START4, AUD, START3, P_SLICE_MB0, START3), 6006, events);
    reader.seek();
    feed(reader, concat(hex("aabbcc"), START4, AUD, START4, SPS, START4, PPS, START4, IDR), 9009, events);
    reader.flush(events::add);
    List<MediaSample> samples = samples(events);
    assertEquals(2, samples.size(), describe(events));
    assertEquals(3003, samples.get(0).pts90k());
    assertEquals(9009, samples.get(1).pts90k());
    assertTrue(samples.get(1).keyframe());
    assertEquals(1, events.stream().filter(e -> e instanceof StreamEvent.TrackAdded).count());
  }

  @Test
  void newResolutionEmitsTrackChanged() throws Exception {
    // SPS of the same command with size=640x360 (level 3.0).
    byte[] otherSps = hex("6764001eacd940a02ff9701100000303e90000ea600f162d96");
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.H264);
    List<StreamEvent> events = new ArrayList<>();
    feed(reader, concat(START4, AUD, START4, SPS, START4, PPS, START4, IDR), 0, events);
    feed(reader, concat(START4, AUD, START4, otherSps, START4, PPS, START4, IDR), 3003, events);
    feed(reader, concat(START4, AUD, START4, SPS, START4, PPS, START4, IDR), 6006, events);
    reader.flush(events::add);
    assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0));
    assertInstanceOf(MediaSample.class, events.get(1));
    assertInstanceOf(StreamEvent.TrackChanged.class, events.get(2));
    assertEquals(640, ((StreamEvent.TrackChanged) events.get(2)).format().width());
    assertEquals(360, ((StreamEvent.TrackChanged) events.get(2)).format().height());
    assertEquals("avc1.64001e", ((StreamEvent.TrackChanged) events.get(2)).format().codecString());
    assertInstanceOf(StreamEvent.TrackChanged.class, events.get(4));
    assertEquals(320, ((StreamEvent.TrackChanged) events.get(4)).format().width());
  }
}
