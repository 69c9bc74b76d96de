package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.PlaylistWriter;
import io.iptv.segmenter.slate.InputLossGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InputLossGuard} in front of a live {@link HlsPackager}: the slate fills an input gap. */
class InputLossSlateTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void slateFillsTheGapBetweenDiscontinuitiesAndDecodes(@TempDir Path dir) throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(40).clock(clock).build(DirectorySegmentSink.of(dir));
    ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    try {
      InputLossGuard guard = InputLossGuard.builder(packager).silence(Duration.ofSeconds(2)).clock(clock)
          .scheduler(unused).build(); // not started: the test drives check() with its clock
      feed.feedLoops(guard, 2, clock, EPOCH, 0); // 6 s of input
      Instant lastInput = clock.instant();
      long gap90k = 10 * 90_000L;
      for (int step = 1; step <= 100; step++) { // 10 s of silence, watched every 100 ms
        clock.set(lastInput.plusMillis(100L * step));
        guard.check();
        assertEquals(step * 100 >= 2000, guard.onSlate(), "on slate after 2 s of silence, step " + step);
      }
      assertTrue(guard.slateSamples() > 0);
      // input resumes where the wall clock is: timestamps jumped forward by the gap
      feed.feedLoops(guard, 2, clock, EPOCH.plus(Duration.ofSeconds(10)), gap90k);
      assertFalse(guard.onSlate());
      assertEquals(1, guard.slatePeriods());
      guard.close();
      packager.finish();
    } finally {
      unused.shutdownNow();
    }
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(Files.readAllBytes(dir.resolve(
        "stream/index.m3u8")));
    List<Integer> discontinuities = new ArrayList<>();
    for (int i = 0; i < p.segments().size(); i++) {
      if (p.segments().get(i).discontinuity()) {
        discontinuities.add(i);
      }
    }
    assertEquals(2, discontinuities.size(), "slate bracketed by discontinuities: " + discontinuities);
    List<MediaSegment> slate = p.segments().subList(discontinuities.get(0), discontinuities.get(1));
    Duration slateDuration = slate.stream().map(MediaSegment::duration).reduce(Duration.ZERO, Duration::plus);
    // the slate covers the 10 s gap, less what the last live segment and the first resumed one absorb
    assertTrue(slateDuration.compareTo(Duration.ofSeconds(8)) >= 0
        && slateDuration.compareTo(Duration.ofSeconds(11)) <= 0, "slate lasts " + slateDuration);
    // PROGRAM-DATE-TIME keeps going across the slate
    for (int i = 1; i < p.segments().size(); i++) {
      assertTrue(p.segments().get(i).programDateTime().isAfter(p.segments().get(i - 1).programDateTime()));
    }
    // the slate segments decode without errors at the channel's resolution, with video and audio
    String ffprobe = ExternalTools.requireFfprobe();
    for (MediaSegment s : slate) {
      Path file = dir.resolve("stream").resolve(s.uri());
      String streams = run(ffprobe, "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,"
          + "sample_rate,channels", "-of", "csv=p=0", file.toString());
      assertTrue(streams.contains("h264,video,320,180"), streams);
      assertTrue(streams.contains("aac,audio,48000,2"), streams);
    }
    Path slateOnly = dir.resolve("stream/slate-test.m3u8");
    Files.write(slateOnly, PlaylistWriter.defaults().writeBytes(MediaPlaylist.builder().playlistType(
        MediaPlaylist.PlaylistType.VOD).endList(true).addSegments(slate.stream().map(s -> s.toBuilder()
        .discontinuity(false).build()).toList()).build()).toByteArray());
    String errors = HlsOutput.ffmpegErrors(slateOnly);
    assertEquals("", errors.strip(), errors);
  }

  /**
   * Real time: the clip is fed paced by the wall clock, the input stops for 10 s and resumes; hls.js must play
   * 22 s across the gap without stalling for as long as the gap would have stalled it (the slate fills it).
   */
  @Test
  void hlsJsPlaysAcrossATenSecondInputGap(@TempDir Path dir) throws Exception {
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(6).build(DirectorySegmentSink.of(dir));
    LiveClipFeed.GapPlayback played = LiveClipFeed.playAcrossATenSecondGap(packager, dir,
        PlayerCheck.Player.HLS_JS, "stream/index.m3u8");
    assertTrue(played.result().ok(), played.why());
    assertTrue(played.result().playedSeconds() >= 20, played.why());
    assertEquals(null, played.feedFailure());
    assertEquals(1, played.slatePeriods(), "the slate ran once, during the gap");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
