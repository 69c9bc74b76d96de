package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.slate.InputLossGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InputLossGuard} in front of a live CMAF {@link HlsPackager}: the slate's SPS/PPS are not the live
 * encoder's, so the slate period and the return to live each get a new init segment ({@code EXT-X-MAP} after
 * the {@code EXT-X-DISCONTINUITY}, RFC 8216 §4.3.2.5), with and without Low-Latency parts.
 */
class Fmp4InputLossSlateTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");
  private static final String DISCONTINUITY_AND_MAP = "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"";

  @Test
  void slateAndReturnToLiveEachGetANewInitSegment(@TempDir Path dir) throws Exception {
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(40).segmentFormat(SegmentFormat.FMP4)
        .clock(clock).build(DirectorySegmentSink.of(dir));
    runWithGap(packager);

    String text = Files.readString(dir.resolve("stream/index.m3u8"));
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(text.getBytes(StandardCharsets.UTF_8));
    List<Integer> discontinuities = new ArrayList<>();
    for (int i = 0; i < p.segments().size(); i++) {
      if (p.segments().get(i).discontinuity()) {
        discontinuities.add(i);
      }
    }
    assertEquals(2, discontinuities.size(), "slate bracketed by discontinuities: " + text);
    assertEquals(2, count(text, DISCONTINUITY_AND_MAP), "a new EXT-X-MAP after each discontinuity: " + text);
    MediaSegment lastLive = p.segments().get(discontinuities.get(0) - 1);
    MediaSegment firstSlate = p.segments().get(discontinuities.get(0));
    MediaSegment lastSlate = p.segments().get(discontinuities.get(1) - 1);
    MediaSegment resumed = p.segments().get(discontinuities.get(1));
    String liveInit = lastLive.map().uri();
    String slateInit = firstSlate.map().uri();
    String resumedInit = resumed.map().uri();
    assertEquals(SegmentFormat.INIT_SEGMENT_NAME, liveInit);
    assertEquals(slateInit, lastSlate.map().uri(), "one init for the whole slate");
    assertEquals(3, java.util.Set.of(liveInit, slateInit, resumedInit).size(),
        "distinct init names, the old ones still served: " + text);
    Path stream = dir.resolve("stream");
    byte[] liveSps = avcCSps(Files.readAllBytes(stream.resolve(liveInit)));
    byte[] slateSps = avcCSps(Files.readAllBytes(stream.resolve(slateInit)));
    assertFalse(Arrays.equals(liveSps, slateSps), "the slate init carries the slate encoder's SPS");
    assertArrayEquals(liveSps, avcCSps(Files.readAllBytes(stream.resolve(resumedInit))),
        "back to the live encoder's SPS");

    // each period decodes with its own init; the slate also with the first init (a DASH client's: in-band SPS)
    assertDecodes(dir, stream.resolve(slateInit), stream.resolve(firstSlate.uri()), "320x180");
    assertDecodes(dir, stream.resolve(slateInit), stream.resolve(lastSlate.uri()), "320x180");
    assertDecodes(dir, stream.resolve(resumedInit), stream.resolve(resumed.uri()), "320x180");
    assertDecodes(dir, stream.resolve(liveInit), stream.resolve(lastLive.uri()), "320x180");
    assertDecodes(dir, stream.resolve(liveInit), stream.resolve(firstSlate.uri()), "320x180");

    // the audio track's configuration does not change: its rendition keeps its init
    Path audioPlaylist = Files.list(dir).filter(d -> d.getFileName().toString().startsWith("stream-audio"))
        .map(d -> d.resolve("index.m3u8")).findFirst().orElseThrow();
    String audio = Files.readString(audioPlaylist);
    assertEquals(2, count(audio, "#EXT-X-DISCONTINUITY"), audio);
    assertEquals(1, count(audio, "#EXT-X-MAP:"), audio);
  }

  @Test
  void lowLatencyPartsOfTheSlateFollowTheirInitSegment(@TempDir Path dir) throws Exception {
    List<String> versions = new ArrayList<>();
    SegmentSink files = DirectorySegmentSink.of(dir);
    SegmentSink sink = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) throws IOException {
        files.write(name, bytes);
        if (name.equals("stream/index.m3u8")) {
          versions.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
      }

      @Override
      public void delete(String name) throws IOException {
        files.delete(name);
      }
    };
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(40).segmentFormat(SegmentFormat.FMP4)
        .partTarget(Duration.ofMillis(300)).clock(clock).build(sink);
    runWithGap(packager);

    Path stream = dir.resolve("stream");
    List<String[]> firstParts = new ArrayList<>(); // {map, part} of the first part after each new map
    int inProgressSwitches = 0;
    for (String v : versions) {
      LowLatencyPlaylistParser.parse(v); // every version parses
      int lastUri = v.lastIndexOf("\n#EXTINF:");
      String tail = lastUri < 0 ? v : v.substring(v.indexOf('\n', v.indexOf('\n', lastUri + 1) + 1));
      if (tail.contains(DISCONTINUITY_AND_MAP) && tail.contains("#EXT-X-PART:")) {
        inProgressSwitches++; // a slate (or resumed) segment's parts published before the segment
      }
      String map = null;
      boolean newMap = false;
      for (String line : v.split("\n")) {
        if (line.startsWith("#EXT-X-MAP:URI=\"")) {
          map = line.substring(16, line.indexOf('"', 16));
          newMap = true;
        } else if (line.startsWith("#EXT-X-PART:") && newMap) {
          int at = line.indexOf("URI=\"") + 5;
          String part = line.substring(at, line.indexOf('"', at));
          newMap = false;
          String mapNow = map;
          if (!mapNow.equals(SegmentFormat.INIT_SEGMENT_NAME)
              && firstParts.stream().noneMatch(e -> e[0].equals(mapNow))) {
            firstParts.add(new String[] {map, part});
          }
        } else if (line.startsWith("#EXTINF:")) {
          newMap = false;
        }
      }
    }
    assertTrue(inProgressSwitches >= 2, "parts in progress after DISCONTINUITY + EXT-X-MAP: " + inProgressSwitches);
    assertEquals(2, firstParts.size(), "the slate's and the resumed live's first parts under their maps");
    for (String[] e : firstParts) {
      assertDecodes(dir, stream.resolve(e[0]), stream.resolve(e[1]), "320x180");
    }
    assertFalse(Arrays.equals(avcCSps(Files.readAllBytes(stream.resolve(firstParts.get(0)[0]))),
        avcCSps(Files.readAllBytes(stream.resolve(SegmentFormat.INIT_SEGMENT_NAME)))));
  }

  @Test
  void anInitSegmentIsDeletedAfterItsLastSegmentLeftTheWindow(@TempDir Path dir) throws Exception {
    List<String> inits = new ArrayList<>();
    SegmentSink files = DirectorySegmentSink.of(dir);
    SegmentSink sink = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) throws IOException {
        files.write(name, bytes);
        if (name.matches("stream/init-\\d+\\.mp4")) {
          inits.add(name);
        }
      }

      @Override
      public void delete(String name) throws IOException {
        files.delete(name);
      }
    };
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(3).segmentFormat(SegmentFormat.FMP4).clock(clock)
        .build(sink);
    runWithGap(packager, 5); // 15 s after the gap: the slate's segments left the window 3 s + 3 s grace ago
    assertEquals(2, inits.size(), "the slate's and the resumed live's init: " + inits);
    assertFalse(Files.exists(dir.resolve(inits.get(0))), "the slate's init is gone with its segments");
    assertTrue(Files.exists(dir.resolve(inits.get(1))), "the live init in force stays");
    String text = Files.readString(dir.resolve("stream/index.m3u8"));
    assertTrue(text.contains("#EXT-X-MAP:URI=\"" + inits.get(1).substring(7) + "\""), text);
    assertTrue(Files.exists(dir.resolve("stream/" + SegmentFormat.INIT_SEGMENT_NAME)),
        "the first init stays: DASH and DVR playlists reference it");
  }

  @Test
  void aDiscontinuityWithTheSameParameterSetsKeepsTheInitAndOneWithoutAnyReturnsToTheFirst(@TempDir Path dir)
      throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(40).segmentFormat(SegmentFormat.FMP4).clock(clock)
        .build(DirectorySegmentSink.of(dir));
    feed.feedLoops(packager, 1, clock, EPOCH, 0);
    // the same encoder after a signalled discontinuity: the init in force fits
    packager.emit(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED,
        io.iptv.core.time.Timestamps.NO_TIMESTAMP, io.iptv.core.time.Timestamps.NO_TIMESTAMP));
    feed.feedLoops(packager, 1, clock, EPOCH, 90_000L);
    String text = Files.readString(dir.resolve("stream/index.m3u8"));
    assertEquals(1, count(text, "#EXT-X-DISCONTINUITY\n"), text);
    assertEquals(1, count(text, "#EXT-X-MAP:"), "no new init for the same SPS/PPS: " + text);
    // a slate, then the live video without in-band SPS/PPS: back to the track's own parameter sets
    int video = -1;
    int audio = -1;
    for (StreamEvent e : feed.tracks) {
      io.iptv.core.media.TrackFormat f = ((StreamEvent.TrackAdded) e).format();
      if (f.type() == io.iptv.core.media.TrackType.VIDEO) {
        video = f.trackId();
      } else {
        audio = f.trackId();
      }
    }
    packager.emit(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED,
        io.iptv.core.time.Timestamps.NO_TIMESTAMP, io.iptv.core.time.Timestamps.NO_TIMESTAMP));
    List<ByteSlice> gop = io.iptv.segmenter.slate.SlateEncoder.encodeGop(320, 180, 25);
    long start90k = feed.shifted(feed.samples.get(feed.samples.size() - 1), 3, 0).dts90k();
    ByteSlice silence = io.iptv.segmenter.slate.SilentAacFrame.adts(48_000, 2);
    for (int i = 0, a = 0; i < 75; i++) { // 3 s of slate: video at 25 fps, silent AAC frames of 1920 ticks
      long pts = start90k + i * 3600L;
      packager.emit(new MediaSample(video, pts, pts, i % 25 == 0, gop.get(i % 25)));
      for (; start90k + a * 1920L < pts + 3600; a++) {
        packager.emit(new MediaSample(audio, start90k + a * 1920L, start90k + a * 1920L, true, silence));
      }
    }
    packager.emit(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED,
        io.iptv.core.time.Timestamps.NO_TIMESTAMP, io.iptv.core.time.Timestamps.NO_TIMESTAMP));
    int videoTrack = video;
    for (MediaSample s : feed.samples) {
      MediaSample m = feed.shifted(s, 6, 0);
      packager.emit(m.trackId() != videoTrack ? m
          : new MediaSample(m.trackId(), m.pts90k(), m.dts90k(), m.keyframe(), withoutParameterSets(m.data())));
    }
    packager.finish();
    text = Files.readString(dir.resolve("stream/index.m3u8"));
    assertEquals(3, count(text, "#EXT-X-DISCONTINUITY\n"), text);
    assertEquals(2, count(text, DISCONTINUITY_AND_MAP), text);
    List<String> maps = text.lines().filter(l -> l.startsWith("#EXT-X-MAP:")).toList();
    assertEquals(3, maps.size(), text);
    Path stream = dir.resolve("stream");
    byte[] first = Files.readAllBytes(stream.resolve(SegmentFormat.INIT_SEGMENT_NAME));
    String resumed = maps.get(2).substring(16, maps.get(2).length() - 1);
    assertArrayEquals(avcCSps(first), avcCSps(Files.readAllBytes(stream.resolve(resumed))), resumed);
    String lastSegment = text.lines().filter(l -> l.endsWith(".m4s")).reduce((a, b) -> b).orElseThrow();
    assertDecodes(dir, stream.resolve(resumed), stream.resolve(lastSegment), "320x180");
  }

  /** {@code au} (Annex B) without its SPS and PPS NAL units. */
  private static ByteSlice withoutParameterSets(ByteSlice au) {
    byte[] b = au.toByteArray();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
    int i = 0;
    while (i + 3 <= b.length) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        int next = i + 3;
        while (next + 3 <= b.length && !(b[next] == 0 && b[next + 1] == 0 && b[next + 2] == 1)) {
          next++;
        }
        int end = next + 3 <= b.length ? next : b.length;
        int type = i + 3 < b.length ? b[i + 3] & 0x1F : 0;
        if (type != 7 && type != 8) {
          out.write(b, i, end - i);
        }
        i = end;
      } else {
        i++;
      }
    }
    return ByteSlice.wrap(out.toByteArray());
  }

  /**
   * Real time, as {@link InputLossSlateTest} does for TS: the clip is fed paced by the wall clock, the input
   * stops for 10 s and resumes; hls.js must play 22 s of the CMAF channel across the gap, through the slate's
   * init segment and back, without stalling.
   */
  @Test
  void hlsJsPlaysACmafChannelAcrossATenSecondInputGap(@TempDir Path dir) throws Exception {
    playAcrossAGap(dir, PlayerCheck.Player.HLS_JS, "master.m3u8");
  }

  /**
   * The same channel's DASH MPD with Shaka: one Period and the first init segment throughout, the slate
   * decoded from its in-band SPS/PPS.
   */
  @Test
  void shakaPlaysTheDashManifestAcrossATenSecondInputGap(@TempDir Path dir) throws Exception {
    playAcrossAGap(dir, PlayerCheck.Player.SHAKA, "manifest.mpd");
  }

  private void playAcrossAGap(Path dir, PlayerCheck.Player player, String manifest) throws Exception {
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(6).segmentFormat(SegmentFormat.FMP4)
        .dashManifestName("manifest.mpd").build(DirectorySegmentSink.of(dir));
    LiveClipFeed.GapPlayback played = LiveClipFeed.playAcrossATenSecondGap(packager, dir, player, manifest);
    assertTrue(played.result().ok(), played.why());
    assertTrue(played.result().playedSeconds() >= 20, played.why());
    assertEquals(null, played.feedFailure());
    assertEquals(1, played.slatePeriods(), "the slate ran once, during the gap");
    assertTrue(Files.list(dir.resolve("stream")).anyMatch(f -> f.getFileName().toString().matches("init-\\d+\\.mp4")),
        "the slate's or the resumed live's init segment is still served");
  }

  private final LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);

  /** 6 s of the clip, 10 s of silence watched every 100 ms (slate after 2 s), 6 s of input again. */
  private void runWithGap(HlsPackager packager) throws Exception {
    runWithGap(packager, 2);
  }

  /** As {@link #runWithGap(HlsPackager)}, with {@code resumedLoops} loops of 3 s after the gap. */
  private void runWithGap(HlsPackager packager, int resumedLoops) throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    try {
      InputLossGuard guard = InputLossGuard.builder(packager).silence(Duration.ofSeconds(2)).clock(clock)
          .scheduler(unused).build(); // not started: the test drives check() with its clock
      feed.feedLoops(guard, 2, clock, EPOCH, 0);
      Instant lastInput = clock.instant();
      for (int step = 1; step <= 100; step++) {
        clock.set(lastInput.plusMillis(100L * step));
        guard.check();
      }
      assertTrue(guard.slateSamples() > 0);
      feed.feedLoops(guard, resumedLoops, clock, EPOCH.plus(Duration.ofSeconds(10)), 10 * 90_000L);
      assertFalse(guard.onSlate());
      assertEquals(1, guard.slatePeriods());
      guard.close();
      packager.finish();
    } finally {
      unused.shutdownNow();
    }
  }

  /** The first SPS of the {@code avcC} in an init segment (ISO/IEC 14496-15 §5.3.3.1). */
  static byte[] avcCSps(byte[] init) {
    for (int i = 4; i + 4 <= init.length; i++) {
      if (init[i] == 'a' && init[i + 1] == 'v' && init[i + 2] == 'c' && init[i + 3] == 'C') {
        int at = i + 4 + 5; // configurationVersion .. lengthSizeMinusOne
        assertTrue((init[at] & 0x1F) >= 1, "avcC without SPS");
        int length = (init[at + 1] & 0xFF) << 8 | init[at + 2] & 0xFF;
        return Arrays.copyOfRange(init, at + 3, at + 3 + length);
      }
    }
    throw new AssertionError("no avcC box");
  }

  /** ffprobe sees H.264 of {@code size} in init + media, and ffmpeg decodes every frame without an error. */
  static void assertDecodes(Path dir, Path init, Path media, String size) throws Exception {
    Path joined = Files.createTempFile(dir, "joined", ".mp4");
    Files.write(joined, concat(Files.readAllBytes(init), Files.readAllBytes(media)));
    String streams = run(ExternalTools.requireFfprobe(), "-v", "error", "-show_entries",
        "stream=codec_name,width,height", "-of", "csv=p=0:s=x", joined.toString());
    assertTrue(streams.contains("h264x" + size), init.getFileName() + " + " + media.getFileName() + ": " + streams);
    String errors = run(ExternalTools.requireFfmpeg(), "-nostdin", "-v", "error", "-xerror", "-i",
        joined.toString(), "-f", "null", "-");
    assertEquals("", errors.strip(), init.getFileName() + " + " + media.getFileName() + ": " + errors);
    String frames = run(ExternalTools.requireFfprobe(), "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", joined.toString());
    assertTrue(Integer.parseInt(frames.strip()) > 0, frames);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
