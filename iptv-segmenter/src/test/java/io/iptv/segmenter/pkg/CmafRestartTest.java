package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.dvr.FileChannelStateStore;
import io.iptv.segmenter.fmp4.InBandParameterSets;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.PartialSegment;
import io.iptv.segmenter.slate.SilentAacFrame;
import io.iptv.segmenter.slate.SlateEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live CMAF packager restarted on the same {@link FileChannelStateStore} and sink continues the channel:
 * the still-present segments are listed again with their EXT-X-MAP, the DASH MPD lists the new run's
 * segments of the playlist window with the same numbers, Low-Latency parts are numbered from the restored
 * media sequence.
 */
class CmafRestartTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration PART_TARGET = Duration.ofMillis(300);
  private static final Pattern START_NUMBER = Pattern.compile("startNumber=\"(\\d+)\"");
  private static final Pattern TIMELINE_ENTRY = Pattern.compile("<S [^>]*?d=\"\\d+\"(?: r=\"(\\d+)\")?/>");
  private static final Pattern PART = Pattern.compile("part-(\\d+)\\.\\d+\\.m4s");

  private static HlsPackager.Builder live(FileChannelStateStore store, LiveClipFeed.ManualClock clock) {
    return HlsPackager.builder().segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE)
        .listSize(4).segmentFormat(SegmentFormat.FMP4).stateStore(store, "news").clock(clock);
  }

  @Test
  void lowLatencyPartsContinueTheRestoredNumbering(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).partTarget(PART_TARGET).build(files), 3, clock,
        EPOCH, 0);
    long restoredNext = store.load("news").nextMediaSequence();
    assertTrue(restoredNext > 6, "the first run numbered past the first few segments: " + restoredNext);

    VersionSink second = new VersionSink(files, "stream/index.m3u8");
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).partTarget(PART_TARGET).build(second), 2, clock,
        clock.instant(), 0);
    int newSegmentsWithParts = 0;
    for (String text : second.versions) {
      LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(text);
      for (Map.Entry<Long, List<PartialSegment>> e : ll.parts().entrySet()) {
        long msn = e.getKey();
        assertTrue(msn >= restoredNext, "only the new run's segments have parts, msn " + msn + ":\n" + text);
        for (PartialSegment p : e.getValue()) {
          assertEquals(msn, msnOf(p.uri()), "part " + p.uri() + " listed under msn " + msn + ":\n" + text);
          assertNotNull(files.get("stream/" + p.uri()), p.uri());
        }
      }
      if (ll.preloadHintUri() != null) {
        long hinted = msnOf(ll.preloadHintUri());
        assertTrue(hinted == ll.nextMediaSequence() || hinted == ll.nextMediaSequence() + 1,
            "hint " + ll.preloadHintUri() + ":\n" + text);
      }
    }
    LowLatencyPlaylist last = LowLatencyPlaylistParser.parse(second.versions.get(second.versions.size() - 1));
    for (long msn = last.base().mediaSequence(); msn < last.nextMediaSequence(); msn++) {
      // the new run's segments whose parts are still listed (three target durations, RFC 8216bis §4.4.3.7)
      if (msn >= Math.max(restoredNext, last.nextMediaSequence() - 3)) {
        assertTrue(last.parts().containsKey(msn), "parts of msn " + msn + " listed:\n" + second.versions.get(
            second.versions.size() - 1));
        newSegmentsWithParts++;
      }
    }
    assertTrue(newSegmentsWithParts >= 2, "new segments with parts: " + newSegmentsWithParts);
  }

  @Test
  void restoredPlaylistRelistsSegmentsWithTheirMapAndDashStaysConsistent(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    HlsPackager first = live(store, clock).dashManifestName("manifest.mpd").build(files);
    new LiveClipFeed("h264_aac.ts").feedLoops(first, 3, clock, EPOCH, 0);
    MediaPlaylist before = HlsPlaylistParser.builder().build().parseMedia(files.get("stream/index.m3u8")
        .toByteArray());
    long restoredNext = store.load("news").nextMediaSequence();

    VersionSink second = new VersionSink(files, "stream/index.m3u8", "manifest.mpd");
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).dashManifestName("manifest.mpd")
        .iFramePlaylistName("iframes.m3u8").build(second), 3, clock, clock.instant(), 0);
    // the first playlist of the second run lists the old segments again, each under the init segment
    MediaPlaylist junction = HlsPlaylistParser.builder().build().parseMedia(second.versions.get(0)
        .getBytes(StandardCharsets.UTF_8));
    List<MediaSegment> segments = junction.segments();
    assertEquals(before.segments().size(), segments.size(), "the window: old segments, then the new one");
    assertEquals(before.mediaSequence() + 1, junction.mediaSequence());
    for (int i = 0; i < segments.size(); i++) {
      MediaSegment s = segments.get(i);
      assertNotNull(s.map(), "EXT-X-MAP for " + s.uri());
      assertEquals(String.format("seg-%05d.m4s", junction.mediaSequence() + i), s.uri(), "numbering continues");
      assertNotNull(files.get("stream/" + s.map().uri()));
    }
    assertTrue(segments.get(segments.size() - 1).discontinuity(), "EXT-X-DISCONTINUITY at the junction");
    // every MPD lists the newest segments of the HLS playlist written with it, with the same numbers
    MediaPlaylist hls = null;
    int mpds = 0;
    for (int i = 0; i < second.versions.size(); i++) {
      String text = second.versions.get(i);
      if (!second.names.get(i).equals("manifest.mpd")) {
        hls = HlsPlaylistParser.builder().build().parseMedia(text.getBytes(StandardCharsets.UTF_8));
        continue;
      }
      assertNotNull(hls);
      Matcher start = START_NUMBER.matcher(text);
      assertTrue(start.find(), text);
      long startNumber = Long.parseLong(start.group(1));
      long count = 0;
      String video = text.substring(0, text.indexOf("</SegmentTimeline>"));
      for (Matcher m = TIMELINE_ENTRY.matcher(video); m.find(); ) {
        count += 1 + (m.group(1) == null ? 0 : Long.parseLong(m.group(1)));
      }
      long hlsLast = hls.mediaSequence() + hls.segments().size() - 1;
      assertEquals(hlsLast, startNumber + count - 1, "the MPD ends where the playlist ends:\n" + text);
      assertTrue(startNumber >= Math.max(hls.mediaSequence(), restoredNext), "the MPD lists the new run's"
          + " segments of the playlist window:\n" + text);
      for (long n = startNumber; n < startNumber + count; n++) {
        assertNotNull(files.get(String.format("stream/seg-%05d.m4s", n)), "MPD segment " + n);
      }
      mpds++;
    }
    assertTrue(mpds >= 8, "MPD versions: " + mpds);
    // the I-frame playlist, like the MPD, follows the window once the old segments left it
    assertTrue(hls.mediaSequence() > restoredNext, "the old segments left the window");
    MediaPlaylist iFrames = HlsPlaylistParser.builder().build().parseMedia(files.get("stream/iframes.m3u8")
        .toByteArray());
    assertEquals(hls.segments().stream().map(MediaSegment::uri).toList(),
        iFrames.segments().stream().map(MediaSegment::uri).distinct().toList(), "I-frames of the listed segments");
  }

  /**
   * The channel restarts on another encoder (other SPS): the segments of the previous run listed again keep the
   * init segment they were made with, unchanged, and the new run's segments get their own. A third run keeps
   * both: the state file records which init each listed segment needs. The DASH MPD follows the current run.
   */
  @Test
  void aRestartLeavesEachListedSegmentTheInitItWasMadeWith(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir.resolve("state"));
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).build(files), 3, clock, EPOCH, 0);
    byte[] firstInit = files.get("stream/init.mp4").toByteArray();
    long secondRun = store.load("news").nextMediaSequence();
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    Path oldSegment = save(disk, files, String.format("seg-%05d.m4s", secondRun - 1));

    VersionSink second = new VersionSink(files, "stream/index.m3u8");
    feedOtherEncoder(live(store, clock).build(second), new LiveClipFeed("h264_aac.ts"), clock, 6);
    String secondInit = "init-" + secondRun + ".mp4";
    assertArrayEquals(firstInit, files.get("stream/init.mp4").toByteArray(), "the old init is left alone");
    MediaPlaylist junction = HlsPlaylistParser.builder().build().parseMedia(second.versions.get(0)
        .getBytes(StandardCharsets.UTF_8));
    for (MediaSegment s : junction.segments()) {
      boolean old = sequenceOf(s.uri()) < secondRun;
      assertEquals(old ? "init.mp4" : secondInit, s.map().uri(), s.uri());
    }
    byte[] newInit = files.get("stream/" + secondInit).toByteArray();
    assertFalse(Arrays.equals(Fmp4InputLossSlateTest.avcCSps(firstInit), Fmp4InputLossSlateTest.avcCSps(newInit)),
        "the two encoders' SPS differ, so the wrong init would be a wrong decoder configuration");
    long thirdRun = store.load("news").nextMediaSequence();
    // each init decodes with its own run's segments
    Fmp4InputLossSlateTest.assertDecodes(disk, save(disk, files, "init.mp4"), oldSegment, "320x180");
    Fmp4InputLossSlateTest.assertDecodes(disk, save(disk, files, secondInit),
        save(disk, files, String.format("seg-%05d.m4s", thirdRun - 1)), "320x180");

    VersionSink third = new VersionSink(files, "stream/index.m3u8", "manifest.mpd");
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).dashManifestName("manifest.mpd").build(third), 1,
        clock, clock.instant(), 0);
    MediaPlaylist again = HlsPlaylistParser.builder().build().parseMedia(third.versions.get(0)
        .getBytes(StandardCharsets.UTF_8));
    for (MediaSegment s : again.segments()) {
      long n = sequenceOf(s.uri());
      String expected = n < secondRun ? "init.mp4" : n < thirdRun ? secondInit : "init-" + thirdRun + ".mp4";
      assertEquals(expected, s.map().uri(), s.uri() + " in\n" + third.versions.get(0));
    }
    assertTrue(again.segments().stream().anyMatch(s -> s.map().uri().equals(secondInit)), "second-run segments");
    String mpd = third.versions.get(third.names.lastIndexOf("manifest.mpd"));
    assertTrue(mpd.contains("stream/init-" + thirdRun + ".mp4"), mpd);
  }

  /**
   * {@code seconds} of another encoder (jcodec's, as the slate uses) at 25 fps with an IDR every second, and
   * silent AAC, with the tracks of {@code feed}; the clock follows the media time.
   */
  private static void feedOtherEncoder(HlsPackager packager, LiveClipFeed feed, LiveClipFeed.ManualClock clock,
      int seconds) throws Exception {
    List<ByteSlice> gop = SlateEncoder.encodeGop(320, 180, 25);
    ByteSlice silence = SilentAacFrame.adts(48_000, 2);
    Instant start = clock.instant();
    for (StreamEvent t : feed.tracks) {
      TrackFormat f = ((StreamEvent.TrackAdded) t).format();
      packager.emit(f.codec() != Codec.H264 ? t : new StreamEvent.TrackAdded(f.toBuilder()
          .codecConfig(InBandParameterSets.of(Codec.H264, gop.get(0))).build())); // as a demuxer announces it
    }
    long audio = 0;
    for (int frame = 0; frame < seconds * 25; frame++) {
      long pts = frame * 3600L;
      clock.set(start.plusMillis(pts / 90));
      packager.emit(new MediaSample(256, pts, pts, frame % 25 == 0, gop.get(frame % 25)));
      for (; audio * 1920 < pts + 3600; audio++) {
        packager.emit(new MediaSample(257, audio * 1920, audio * 1920, true, silence));
      }
    }
    packager.finish();
  }

  private static long sequenceOf(String segmentUri) {
    Matcher m = Pattern.compile("seg-(\\d+)\\.m4s").matcher(segmentUri);
    assertTrue(m.matches(), segmentUri);
    return Long.parseLong(m.group(1));
  }

  private static Path save(Path dir, InMemorySegmentSink files, String name) throws Exception {
    Path out = dir.resolve(name);
    Files.write(out, files.get("stream/" + name).toByteArray());
    return out;
  }

  /** The parent Media Sequence Number in a part's name ({@code part-SEQUENCE.INDEX.m4s}). */
  private static long msnOf(String partUri) {
    Matcher m = PART.matcher(partUri);
    assertTrue(m.matches(), partUri);
    return Long.parseLong(m.group(1));
  }

  /** Passes writes to {@code files} and keeps every version of the {@code recorded} resources, in order. */
  private static final class VersionSink implements SegmentSink {
    final InMemorySegmentSink files;
    final List<String> recorded;
    final List<String> names = new ArrayList<>();
    final List<String> versions = new ArrayList<>();

    VersionSink(InMemorySegmentSink files, String... recorded) {
      this.files = files;
      this.recorded = List.of(recorded);
    }

    @Override
    public void write(String name, ByteSlice bytes) {
      files.write(name, bytes);
      if (recorded.contains(name)) {
        names.add(name);
        versions.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      }
    }

    @Override
    public void delete(String name) {
      files.delete(name);
    }

    @Override
    public boolean exists(String name) {
      return files.exists(name);
    }
  }
}
