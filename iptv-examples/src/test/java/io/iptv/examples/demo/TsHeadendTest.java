package io.iptv.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import io.iptv.segmenter.live.ChannelConfig;
import io.iptv.segmenter.live.ChannelStatistics;
import io.iptv.segmenter.live.LiveChannel;
import io.iptv.segmenter.live.LivePackager;
import io.iptv.segmenter.live.TsReceiver;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsStatistics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulated headend's stream, made once (about 20 s of media starting 5 s before a 33-bit wrap, sent at
 * 50 times real time): a demuxer sees one continuous stream (no continuity-counter error, no discontinuity,
 * timestamps running on across the clip's loops and the wrap), and a {@link LivePackager} channel fed with it
 * cuts every segment at a video keyframe although the stream starts with audio, so that the demuxer announces
 * the video track after the first audio samples (the Chunker then promotes video to lead).
 */
class TsHeadendTest {
  private static final long WRAP = 1L << 33;
  private static final long FIRST_DTS_90K = WRAP - 5 * 90_000;
  private static final Duration MEDIA = Duration.ofSeconds(20);
  /** The demo clip's frame interval (25 fps). */
  private static final long FRAME_90K = 3600;

  private static DemoClip clip;
  private static byte[] stream;

  @BeforeAll
  static void record() throws Exception {
    clip = DemoClip.load();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TsReceiver recorder = new TsReceiver() {
      @Override
      public synchronized void receive(byte[] data, int offset, int length) {
        out.write(data, offset, length);
      }

      @Override
      public synchronized void receive(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes, 0, bytes.length);
      }
    };
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (TsHeadend headend = TsHeadend.builder(clip, recorder).tick(Duration.ofMillis(10)).preroll(MEDIA)
        .catchUpSpeed(50).firstDts90k(FIRST_DTS_90K).build()) {
      headend.start(scheduler);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (((Number) headend.status().get("loops")).longValue() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(headend.failed(), headend.status().toString());
    } finally {
      scheduler.shutdownNow();
    }
    synchronized (recorder) {
      stream = out.toByteArray();
    }
    assertTrue(stream.length > 0 && stream.length % 188 == 0, "whole transport packets: " + stream.length);
  }

  @AfterAll
  static void release() {
    stream = null;
  }

  @Test
  void demuxesAsOneContinuousStreamAcrossLoopsAndTheWrap() throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(events::add);
    for (int at = 0; at < stream.length; at += UdpTsSender.PACKETS_PER_DATAGRAM * 188) {
      demuxer.feed(stream, at, Math.min(UdpTsSender.PACKETS_PER_DATAGRAM * 188, stream.length - at));
    }
    demuxer.finish();
    TsStatistics statistics = demuxer.statistics();
    assertEquals(0, statistics.ccErrors(), statistics.toString());
    assertEquals(0, statistics.discontinuities(), statistics.toString());
    assertFalse(events.stream().anyMatch(e -> e instanceof StreamEvent.Discontinuity), "no discontinuity");
    // the clip starts with audio, as broadcast streams often do: the demuxer announces video after it
    int video = events.stream().filter(e -> e instanceof StreamEvent.TrackAdded a
        && a.format().type() == TrackType.VIDEO).map(e -> ((StreamEvent.TrackAdded) e).format().trackId())
        .findFirst().orElseThrow();
    List<MediaSample> frames = events.stream().filter(e -> e instanceof MediaSample s && s.trackId() == video)
        .map(MediaSample.class::cast).toList();
    assertTrue(frames.get(0).keyframe(), "starts at a random access point");
    for (int i = 1; i < frames.size(); i++) {
      assertEquals(FRAME_90K, frames.get(i).dts90k() - frames.get(i - 1).dts90k(), "frame " + i);
    }
    long span90k = frames.get(frames.size() - 1).dts90k() - frames.get(0).dts90k();
    assertTrue(span90k > clip.loopDuration90k(), "more than one loop: " + span90k);
    long clipStart90k = clip.samples().stream().mapToLong(MediaSample::dts90k).min().orElseThrow();
    long clipVideo90k = clip.samples().stream().filter(s -> s.trackId() == video).mapToLong(MediaSample::dts90k)
        .min().orElseThrow();
    assertEquals(FIRST_DTS_90K + clipVideo90k - clipStart90k, frames.get(0).dts90k() % WRAP,
        "the clip's start at the configured first DTS");
    assertTrue(frames.get(frames.size() - 1).dts90k() > WRAP, "crossed the 33-bit wrap, unwrapped");
  }

  @Test
  void livePackagerCutsEverySegmentAtAVideoKeyframe() throws Exception {
    try (LivePackager packager = LivePackager.builder().segmentDuration(Duration.ofSeconds(2)).listSize(20)
        .build()) {
      LiveChannel channel = packager.openChannel("ingest", ChannelConfig.builder().endListOnClose(false).build());
      channel.feed(stream, 0, stream.length);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (channel.statistics().bytesProcessed() < stream.length && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ChannelStatistics statistics = channel.statistics();
      assertEquals(0, statistics.ccErrors(), statistics.toString());
      assertEquals(0, statistics.pipelineRestarts(), statistics.toString());
      ServedResource playlist = channel.load(ResourceKey.of("ingest", "stream/index.m3u8"));
      List<String> lines = new String(playlist.body().toByteArray(), StandardCharsets.US_ASCII).lines().toList();
      int checked = 0;
      double extinf = 0;
      for (String line : lines) {
        if (line.startsWith("#EXTINF:")) {
          extinf = Double.parseDouble(line.substring(8, line.indexOf(',')));
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          // A demuxer drops the frames before a segment's first keyframe (no SPS to decode them with): a segment
          // cut between keyframes shows fewer frames than its duration holds.
          List<MediaSample> video = videoSamples(channel.load(ResourceKey.of("ingest", "stream/" + line)).body());
          assertFalse(video.isEmpty(), line);
          assertTrue(video.get(0).keyframe(), line + " starts at a keyframe");
          double frames = extinf * 90_000 / FRAME_90K;
          assertTrue(Math.abs(video.size() - frames) <= 1, line + ": " + video.size() + " frames in " + extinf + " s");
          checked++;
        }
      }
      assertTrue(checked >= 6, "segments: " + lines);
    }
  }

  private static List<MediaSample> videoSamples(ByteSlice segment) throws Exception {
    List<MediaSample> video = new ArrayList<>();
    int[] videoTrack = {-1};
    TsDemuxer demuxer = TsDemuxer.builder().build(e -> {
      if (e instanceof StreamEvent.TrackAdded added && added.format().type() == TrackType.VIDEO) {
        videoTrack[0] = added.format().trackId();
      } else if (e instanceof MediaSample s && s.trackId() == videoTrack[0]) {
        video.add(s);
      }
    });
    byte[] bytes = segment.toByteArray();
    demuxer.feed(bytes, 0, bytes.length);
    demuxer.finish();
    return video;
  }
}
