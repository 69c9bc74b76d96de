package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.slate.InputLossGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A CMAF live channel behind an {@link InputLossGuard} whose input stalls at random, as a source on a loaded
 * machine or a flaky network does: stalls of up to 2.5 s (the slate starts after 1.5 s), a watchdog that runs
 * late, the input resuming mid-GOP. The clock is simulated, so every seed replays exactly.
 *
 * <p>Before the audio gap filler, 12 of these 30 seeds killed the channel: a period that ended on a lone video
 * keyframe (the slate's last IDR, or an input stopping before its later-muxed audio arrived) gave a segment
 * without audio, which an fMP4 audio rendition cannot write ("segment 21 has no sample of track 257", the
 * failure first seen in {@code Fmp4InputLossSlateTest} under CI load); a period in which the input resumed
 * and stopped again before a keyframe gave one without video.
 */
class StallingInputTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");

  static int[] seeds() {
    // 37..299: the seeds that failed before the fix, then a run of others
    return new int[] {37, 61, 131, 158, 162, 188, 195, 236, 254, 267, 272, 282, 289, 296, 299, 0, 1, 2, 3, 4, 5,
        6, 7, 8, 9, 10, 11, 12, 13, 14};
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aCmafChannelKeepsPackagingThroughRandomStalls(int seed) throws Exception {
    stallAndCheck(seed, null);
  }

  /**
   * The same channel with Low-Latency HLS parts. Before the chunker held back a new period's audio until its
   * first keyframe, 5 of these 30 seeds (282, 5, 9, 11, 12: the input resuming mid-GOP and stopping again before
   * a keyframe) failed it: the audio had been published as parts, so the period could not be dropped, and its
   * video segment had no sample ("segment 15 has no sample of track 256").
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void aLowLatencyChannelKeepsPackagingThroughRandomStalls(int seed) throws Exception {
    stallAndCheck(seed, Duration.ofMillis(250));
  }

  private static void stallAndCheck(int seed, Duration partTarget) throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    Random random = new Random(seed);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager.Builder builder = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE).listSize(100)
        .segmentFormat(SegmentFormat.FMP4).clock(clock);
    if (partTarget != null) {
      builder.partTarget(partTarget);
    }
    HlsPackager packager = builder.build(sink);
    ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    InputLossGuard guard = InputLossGuard.builder(packager).silence(Duration.ofMillis(1500))
        .keyframeInterval(Duration.ofSeconds(1)).clock(clock).scheduler(unused).build(); // driven below
    long lagMs = 0;
    long nextCheckMs = 100;
    try {
      for (StreamEvent t : feed.tracks) {
        guard.emit(t);
      }
      feed:
      for (long loop = 0; ; loop++) {
        for (MediaSample s : feed.samples) {
          MediaSample m = feed.shifted(s, loop, 0);
          long dueMs = (m.dts90k() - feed.firstDts90k) / 90;
          if (dueMs >= 5000 && dueMs < 15000) {
            continue; // the source is down for 10 s
          }
          if (random.nextInt(200) == 0) {
            lagMs += random.nextInt(random.nextBoolean() ? 2500 : 600); // a stall; the input then runs late
          }
          long atMs = dueMs + lagMs;
          while (nextCheckMs <= atMs) {
            clock.set(EPOCH.plusMillis(nextCheckMs));
            guard.check();
            nextCheckMs += 100 + (random.nextInt(20) == 0 ? random.nextInt(1500) : 0); // a late watchdog
          }
          clock.set(EPOCH.plusMillis(atMs));
          guard.emit(m);
          if (atMs > 30_000) {
            break feed;
          }
        }
      }
      packager.finish();
    } catch (MediaException e) {
      fail("seed " + seed + " after " + guard.slatePeriods() + " slate periods: " + e.getMessage(), e);
    } finally {
      guard.close();
      unused.shutdownNow();
    }
    Map<String, io.iptv.core.io.ByteSlice> files = sink.snapshot();
    MediaPlaylist video = playlist(files, "stream/index.m3u8");
    String audioDir = files.keySet().stream().filter(n -> n.startsWith("stream-audio-")).findFirst().orElseThrow()
        .split("/")[0];
    MediaPlaylist audio = playlist(files, audioDir + "/index.m3u8");
    assertTrue(video.segments().size() >= 25, "segments: " + video.segments().size());
    assertEquals(video.segments().size(), audio.segments().size(), "one audio segment per video segment");
    for (int i = 0; i < video.segments().size(); i++) {
      MediaSegment v = video.segments().get(i);
      MediaSegment a = audio.segments().get(i);
      assertEquals(v.duration(), a.duration(), "segment " + i);
      assertTrue(files.containsKey("stream/" + v.uri()) && files.containsKey(audioDir + "/" + a.uri()));
    }
  }

  private static MediaPlaylist playlist(Map<String, io.iptv.core.io.ByteSlice> files, String name)
      throws MediaException {
    io.iptv.core.io.ByteSlice bytes = files.get(name);
    assertTrue(bytes != null, name + " missing; files: " + files.keySet());
    return HlsPlaylistParser.builder().build().parseMedia(bytes.toByteArray());
  }
}
