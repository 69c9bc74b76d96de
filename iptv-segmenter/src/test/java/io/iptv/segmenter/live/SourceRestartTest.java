package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.ts.TsDemuxer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder restart after a long run: the timestamps jump back from about 13 s to 1.4 s. The new period must
 * keep being segmented with its audio (a regression test for the chunker, which used to route every audio
 * sample nearer the old timeline's end than the new start to the old period, stalling the new one).
 */
class SourceRestartTest {
  @Test
  void newPeriodAfterALongRunIsSegmentedWithAudio(@TempDir Path dir) throws Exception {
    Path twelveSeconds = dir.resolve("loop.ts");
    try (Ffmpeg ffmpeg = Ffmpeg.start("-stream_loop", "3", "-i", TestMedia.path("h264_aac.ts").toString(),
        "-c", "copy", "-f", "mpegts", twelveSeconds.toString())) {
      assertEquals(0, ffmpeg.waitFor(60), ffmpeg.log());
    }
    byte[] run = Files.readAllBytes(twelveSeconds);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(2))
        .maxKeyframeInterval(Duration.ofSeconds(1)).listSize(20).build()) {
      LiveChannel channel = live.openChannel("tv", ChannelConfig.builder().endListOnClose(false).build());
      LiveChannelTest.feedAsDatagrams(channel, run);
      LiveChannelTest.feedAsDatagrams(channel, run); // restart: back to the first timestamps
      LiveChannelTest.await(() -> channel.statistics().bytesProcessed() == 2L * run.length, Duration.ofSeconds(30),
          "all input processed");
      String playlist = LiveChannelTest.text(channel, "stream/index.m3u8");
      ChannelStatistics s = channel.statistics();
      // ~12 s per run in 2 s segments: at least 5 per run, less the one still open at the end
      assertTrue(s.segmentsProduced() >= 10, s.segmentsProduced() + " segments\n" + playlist);
      String afterRestart = playlist.substring(playlist.indexOf("#EXT-X-DISCONTINUITY\n"));
      int segmentsAfter = 0;
      for (String line : afterRestart.split("\n")) {
        if (line.endsWith(".ts")) {
          segmentsAfter++;
          Map<TrackType, Integer> samples = samplesByType(
              channel.load(ResourceKey.of("tv", "stream/" + line)).body().toByteArray());
          assertTrue(samples.getOrDefault(TrackType.AUDIO, 0) >= 40, line + " lacks audio: " + samples);
          assertTrue(samples.getOrDefault(TrackType.VIDEO, 0) >= 25, line + " lacks video: " + samples);
        }
      }
      assertTrue(segmentsAfter >= 4, playlist);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<TrackType, Integer> samplesByType(byte[] segment) throws Exception {
    Map<Integer, TrackType> types = new HashMap<>();
    Map<TrackType, Integer> counts = new HashMap<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(event -> {
      if (event instanceof StreamEvent.TrackAdded added) {
        types.put(added.format().trackId(), added.format().type());
      } else if (event instanceof MediaSample sample) {
        counts.merge(types.get(sample.trackId()), 1, Integer::sum);
      }
    });
    demuxer.feed(segment, 0, segment.length);
    demuxer.finish();
    return counts;
  }
}
