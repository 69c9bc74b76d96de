package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.testing.DumpAsserts;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HlsPackagerTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-05-01T12:00:00Z"));

  private static InMemorySegmentSink run(String clip, HlsPackager.Builder builder) throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = builder.build(sink);
    try (MediaInput in = MediaInputs.open(TestMedia.path(clip))) {
      in.readAll(packager);
    }
    packager.finish();
    return sink;
  }

  private static String text(InMemorySegmentSink sink, String name) {
    ByteSlice b = sink.get(name);
    assertNotNull(b, name + " missing; have " + sink.snapshot().keySet());
    return new String(b.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void vodGoldens() throws MediaException {
    InMemorySegmentSink sink = run("h264_aac.ts", HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .clock(CLOCK));
    DumpAsserts.assertMatchesGolden("goldens/hls/h264_aac_vod_1s/master.m3u8", text(sink, "master.m3u8"));
    DumpAsserts.assertMatchesGolden("goldens/hls/h264_aac_vod_1s/stream/index.m3u8",
        text(sink, "stream/index.m3u8"));
  }

  @Test
  void vodMergesShortTailAndComputesTargetFromSegments() throws Exception {
    // 3 s clip, 1 s GOP, first keyframe at 1.4 s, 2 s target: cuts at 2.4 (first keyframe ≥ 2 s); the 1 s
    // tail [3.4, 4.4) is not shorter than half the target, so three... segments: [1.4,2.4) [2.4,4.4).
    InMemorySegmentSink sink = run("h264_aac.ts", HlsPackager.builder().segmentDuration(Duration.ofSeconds(2))
        .clock(CLOCK));
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
    assertEquals(2, p.segments().size(), text(sink, "stream/index.m3u8"));
    assertEquals(2, p.targetDuration());
    HlsOutput.assertTargetDurationRule(p);
    // 5 s target: everything in one segment (no tiny tail).
    sink = run("h264_aac.ts", HlsPackager.builder().segmentDuration(Duration.ofSeconds(5)).clock(CLOCK));
    p = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
    assertEquals(1, p.segments().size());
    assertEquals(3, p.targetDuration());
  }

  @Test
  void eventGoldenWithProgramDateTime() throws MediaException {
    InMemorySegmentSink sink = run("h264_aac_multilang.ts", HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.EVENT).clock(CLOCK));
    DumpAsserts.assertMatchesGolden("goldens/hls/h264_aac_multilang_event_1s/master.m3u8",
        text(sink, "master.m3u8"));
    DumpAsserts.assertMatchesGolden("goldens/hls/h264_aac_multilang_event_1s/stream/index.m3u8",
        text(sink, "stream/index.m3u8"));
    DumpAsserts.assertMatchesGolden("goldens/hls/h264_aac_multilang_event_1s/stream-audio-deu/index.m3u8",
        text(sink, "stream-audio-deu/index.m3u8"));
  }

  @Test
  void liveWindowSlidesAndDeletesAfterGrace() throws Exception {
    List<String> playlists = new ArrayList<>();
    InMemorySegmentSink sink = new InMemorySegmentSink();
    SegmentSink recording = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) {
        sink.write(name, bytes);
        if (name.equals("stream/index.m3u8")) {
          playlists.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
      }

      @Override
      public void delete(String name) {
        sink.delete(name);
      }
    };
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofMillis(500))
        .playlistType(HlsPlaylistType.LIVE).listSize(2).segmentRetention(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).clock(CLOCK).firstMediaSequence(100).build(recording);
    // Two copies of the clip spliced: a discontinuity in the middle.
    byte[] a = TestMedia.bytes("h264_aac.ts");
    io.iptv.segmenter.ts.TsDemuxer demuxer = io.iptv.segmenter.ts.TsDemuxer.builder().build(packager);
    demuxer.feed(a, 0, a.length);
    demuxer.feed(TestMedia.bytes("h264_aac_pts_wrap.ts"), 0, a.length);
    demuxer.finish();
    // 6 segments of 1 s (GOP 1 s > 0.5 s target); TD fixed at ceil(0.5 + 1) = 2.
    assertEquals(6 + 1, playlists.size(), "one rewrite per segment plus the final one");
    MediaPlaylist last = HlsPlaylistParser.builder().build().parseMedia(playlists.get(playlists.size() - 1)
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(2, last.segments().size());
    assertEquals(104, last.mediaSequence());
    assertEquals(1, last.discontinuitySequence(), "the discontinuity left the window");
    assertNull(last.playlistType());
    assertTrue(last.endList());
    assertEquals(2, last.targetDuration());
    for (String text : playlists) {
      MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(text.getBytes(StandardCharsets.UTF_8));
      HlsOutput.assertTargetDurationRule(p);
      assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:0"), text);
      assertTrue(text.contains("#EXT-X-INDEPENDENT-SEGMENTS"));
      assertTrue(text.contains("#EXT-X-VERSION:3"));
    }
    MediaPlaylist third = HlsPlaylistParser.builder().build().parseMedia(playlists.get(3)
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(102, third.mediaSequence());
    assertTrue(third.segments().get(1).discontinuity(), playlists.get(3));
    assertEquals(0, third.discontinuitySequence());
    // Retention: 1 s of media time after leaving the window; the oldest are gone, recent leavers kept.
    Map<String, ByteSlice> files = sink.snapshot();
    assertFalse(files.containsKey("stream/seg-00100.ts"), files.keySet().toString());
    assertTrue(files.containsKey("stream/seg-00103.ts"), "within its grace period");
    assertTrue(files.containsKey("stream/seg-00105.ts"));
  }

  @Test
  void liveFailsLoudlyWhenAGopExceedsTheFixedTargetDuration() {
    // Keyframes every 3 s at 25 fps, 2 s segments, no declared keyframe interval: TD would be 2, a segment
    // lasts 3 s. Cutting at a non-keyframe is not an option, so packaging stops with a clear message.
    MediaException e = assertThrows(MediaException.class, () -> feedSynthetic(HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(2)).playlistType(HlsPlaylistType.LIVE).clock(CLOCK), 3));
    assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind());
    assertTrue(e.getMessage().contains("EXT-X-TARGETDURATION 2"), e.getMessage());
    assertTrue(e.getMessage().contains("maxKeyframeInterval"), e.getMessage());
  }

  @Test
  void liveWithDeclaredKeyframeIntervalKeepsTheTargetDuration() throws Exception {
    InMemorySegmentSink sink = feedSynthetic(HlsPackager.builder().segmentDuration(Duration.ofSeconds(2))
        .maxKeyframeInterval(Duration.ofSeconds(3)).playlistType(HlsPlaylistType.LIVE).clock(CLOCK), 3);
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
    assertEquals(5, p.targetDuration());
    HlsOutput.assertTargetDurationRule(p);
  }

  @Test
  void builderRejectsDoubleAndInvalidSettings() {
    assertThrows(IllegalStateException.class,
        () -> HlsPackager.builder().segmentDuration(Duration.ofSeconds(2)).segmentDuration(Duration.ofSeconds(4)));
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().listSize(0));
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().segmentNameTemplate("seg.ts"));
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().segmentNameTemplate("$Foo$.ts"));
  }

  @Test
  void liveRunsInBoundedMemoryAndKeepsTheWholeStreamsPeak() throws Exception {
    // 1 hour of 1 s GOPs in 1 s segments; one burst of big frames early on sets the peak forever.
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(5).clock(CLOCK).build(sink);
    TrackFormat video = TrackFormat.builder(256, Codec.H264).codecString("avc1.64000d").width(320).height(180)
        .frameRate(25).build();
    packager.emit(new StreamEvent.TrackAdded(video));
    byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00};
    byte[] p = {0, 0, 0, 1, 0x41, (byte) 0x9a, 0x02, 0x00};
    byte[] big = new byte[20_000];
    System.arraycopy(p, 0, big, 0, p.length);
    int frames = 25 * 3600;
    for (int i = 0; i < frames; i++) {
      boolean key = i % 25 == 0;
      long t = 126_000 + i * 3600L;
      byte[] payload = key ? idr : (i >= 250 && i < 275 ? big : p);
      packager.emit(new MediaSample(256, t, t, key, ByteSlice.wrap(payload)));
      if (i % 25_000 == 0) {
        assertTrue(packager.timings().size() <= 5, "timings bounded by listSize: " + packager.timings().size());
        for (int retained : packager.retainedSizes()) {
          assertTrue(retained <= 2, "sizes bounded by 1.5 target durations: " + retained);
        }
      }
    }
    packager.emit(new StreamEvent.EndOfStream());
    assertEquals(new HlsPackager.SampleCounts(frames, frames, 0), packager.sampleCounts());
    // The burst second (24 P-frames of 20 kB, in TS packets) is the peak, although it left the window long ago.
    long peak = packager.renditions().get(0).bitRates().peak();
    assertTrue(peak > 24 * 20_000 * 8 && peak < 24 * 20_000 * 8 * 1.2, "peak " + peak);
    String master = text(sink, "master.m3u8");
    assertTrue(master.contains("BANDWIDTH=" + peak + ","), master);
  }

  @Test
  void sampleCountsCountDroppedVideoBeforeTheFirstKeyframe() throws Exception {
    HlsPackager packager = HlsPackager.builder().build(new InMemorySegmentSink());
    TrackFormat video = TrackFormat.builder(256, Codec.H264).codecString("avc1.64000d").width(320).height(180)
        .frameRate(25).build();
    packager.emit(new StreamEvent.TrackAdded(video));
    byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00};
    byte[] p = {0, 0, 0, 1, 0x41, (byte) 0x9a, 0x02, 0x00};
    for (int i = 0; i < 60; i++) {
      long t = 126_000 + i * 3600L;
      boolean key = i == 10;
      packager.emit(new MediaSample(256, t, t, key, ByteSlice.wrap(key ? idr : p)));
    }
    packager.finish();
    HlsPackager.SampleCounts counts = packager.sampleCounts();
    assertEquals(new HlsPackager.SampleCounts(60, 50, 10), counts);
    assertEquals(counts.received(), counts.chunked() + counts.dropped());
  }

  /** 30 s of synthetic H.264-like video (25 fps) with a keyframe every {@code gopSeconds}. */
  private static InMemorySegmentSink feedSynthetic(HlsPackager.Builder builder, int gopSeconds)
      throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = builder.build(sink);
    TrackFormat video = TrackFormat.builder(256, Codec.H264).codecString("avc1.64000d").width(320).height(180)
        .frameRate(25).build();
    packager.emit(new StreamEvent.TrackAdded(video));
    byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00};
    byte[] p = {0, 0, 0, 1, 0x41, (byte) 0x9a, 0x02, 0x00};
    for (int i = 0; i < 25 * 30; i++) {
      boolean key = i % (25 * gopSeconds) == 0;
      long t = 126_000 + i * 3600L;
      packager.emit(new MediaSample(256, t, t, key, ByteSlice.wrap(key ? idr : p)));
    }
    packager.emit(new StreamEvent.EndOfStream());
    return sink;
  }
}
