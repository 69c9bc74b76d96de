package io.iptv.segmenter.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final ByteSlice DATA = ByteSlice.wrap(new byte[] {1});
  private static final long AAC_FRAME_90K = 1920; // 1024 samples at 48 kHz

  @Test
  void audioOnlyCutsAtTheFirstFrameAtOrAfterEachMultiple() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(2)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    int frames = 0;
    for (long t = 100_000; t < 100_000 + 9 * 90_000; t += AAC_FRAME_90K) {
      chunker.onEvent(new MediaSample(257, t, t, true, DATA));
      frames++;
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    for (int i = 1; i < chunks.size(); i++) {
      long start = chunks.get(i).start90k();
      long multiple = start / 180_000 * 180_000;
      assertTrue(start - multiple < AAC_FRAME_90K, "chunk " + i + " starts " + start + ", more than a frame late");
      assertEquals(chunks.get(i - 1).start90k() + chunks.get(i - 1).duration90k(), start, "contiguous");
    }
    assertEquals(frames, chunks.stream().mapToInt(c -> c.samples().size()).sum());
    assertEquals(frames, chunker.samplesOut());
  }

  /**
   * The TS demuxer announces video only after its first complete picture, so a stream may start with audio
   * samples before the video track exists. Video must still lead: every chunk starts at a video keyframe even
   * when the keyframes are off the audio grid.
   */
  @Test
  void videoAnnouncedAfterTheFirstAudioStillLeadsTheCuts() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(2)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    long audioT = 0;
    for (; audioT < 9_000; audioT += AAC_FRAME_90K) { // 100 ms of audio before the video track exists
      chunker.onEvent(new MediaSample(257, audioT, audioT, true, DATA));
    }
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    // 25 fps, keyframes every 70 frames (2.8 s: off the 2 s grid), first one at 40 ms
    int video = 0;
    for (int i = 1; i <= 500; i++) {
      long t = i * 3600L;
      chunker.onEvent(new MediaSample(256, t, t, (i - 1) % 70 == 0, DATA));
      video++;
      while (audioT <= t) {
        chunker.onEvent(new MediaSample(257, audioT, audioT, true, DATA));
        audioT += AAC_FRAME_90K;
      }
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(256, chunker.leadTrackId());
    assertTrue(chunks.size() >= 5, "chunks: " + chunks.size());
    for (Chunk c : chunks) {
      MediaSample firstVideo = c.samples().stream().filter(s -> s.trackId() == 256).findFirst().orElseThrow();
      assertTrue(firstVideo.keyframe(), "chunk " + c.sequence() + " starts its video with a keyframe");
    }
    assertEquals(chunker.samplesIn(), chunker.samplesOut() + chunker.samplesDropped());
    assertEquals(0, chunker.samplesDropped(), "the first video frame is a keyframe");
  }

  @Test
  void audioGoesToTheChunkItsTimestampBelongsToHoweverLateItArrives() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(1)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    // Video 25 fps, keyframe every 25 frames; audio interleaved 600 ms late (muxed after the video).
    List<MediaSample> audio = new ArrayList<>();
    for (long t = 0; t < 4 * 90_000; t += AAC_FRAME_90K) {
      audio.add(new MediaSample(257, t, t, true, DATA));
    }
    int next = 0;
    int video = 0;
    for (int i = 0; i < 100; i++) {
      long t = i * 3600L;
      chunker.onEvent(new MediaSample(256, t, t, i % 25 == 0, DATA));
      video++;
      while (next < audio.size() && audio.get(next).pts90k() <= t - 54_000) {
        chunker.onEvent(audio.get(next++));
      }
    }
    while (next < audio.size()) {
      chunker.onEvent(audio.get(next++));
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(4, chunks.size());
    for (Chunk c : chunks) {
      for (MediaSample s : c.samples()) {
        assertTrue(s.pts90k() >= c.start90k() && s.pts90k() < c.start90k() + c.duration90k(),
            "sample at " + s.pts90k() + " in chunk " + c.sequence() + " starting " + c.start90k());
      }
    }
    assertEquals(video + audio.size(), chunker.samplesIn());
    assertEquals(chunker.samplesIn(), chunker.samplesOut());
    assertEquals(0, chunker.samplesLate());
  }

  @Test
  void discontinuityStartsANewPeriodAtAKeyframe() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(1)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    for (int i = 0; i < 50; i++) {
      chunker.onEvent(new MediaSample(256, i * 3600L, i * 3600L, i % 25 == 0, DATA));
    }
    chunker.onEvent(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.TIMESTAMP_JUMP,
        49 * 3600L, 900_000));
    chunker.onEvent(new MediaSample(256, 900_000 - 3600, 900_000 - 3600, false, DATA)); // before any keyframe
    for (int i = 0; i < 50; i++) {
      chunker.onEvent(new MediaSample(256, 900_000 + i * 3600L, 900_000 + i * 3600L, i % 25 == 0, DATA));
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(List.of(false, false, true, false), chunks.stream().map(Chunk::discontinuity).toList());
    assertEquals(List.of(0, 0, 1, 1), chunks.stream().map(Chunk::period).toList());
    assertEquals(1, chunker.samplesDropped(), "the non-keyframe before the new period's first keyframe");
    assertEquals(chunker.samplesIn(), chunker.samplesOut() + chunker.samplesDropped());
  }

  /**
   * An input that resumes mid-GOP and stops again before its next keyframe: that period brought audio and no
   * decodable picture. Its chunk would have no video sample (an fMP4 video rendition cannot write it), so the
   * whole period is dropped and the stream goes on with the next one.
   */
  @Test
  void aPeriodInWhichTheVideoNeverReachesAKeyframeIsDroppedWhole() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(1)), chunks::add);
    feedAPeriodWithoutAKeyframe(chunker);

    assertEquals(List.of(0, 2), chunks.stream().map(Chunk::period).toList());
    assertTrue(chunks.stream().allMatch(c -> c.samples().stream().anyMatch(x -> x.trackId() == 256)),
        "every chunk has video");
    assertEquals(chunker.samplesIn(), chunker.samplesOut() + chunker.samplesDropped());
  }

  /**
   * The same with low-latency placement, which publishes placed samples as parts at once: the audio of the
   * period without a picture must never be placed (it was, and the period's video segment then had no sample,
   * which failed the segment), and the audio that came before the next period's keyframe is placed after it.
   */
  @Test
  void withPlacementAPeriodWithoutAKeyframeIsNeverPublished() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    List<MediaSample> placed = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(1)), chunks::add,
        (chunkId, sample) -> placed.add(sample));
    feedAPeriodWithoutAKeyframe(chunker);

    assertEquals(List.of(0, 2), chunks.stream().map(Chunk::period).toList());
    assertTrue(placed.stream().noneMatch(x -> x.dts90k() >= 500_000 && x.dts90k() < 540_000),
        "a sample of the period without a picture was published");
    List<MediaSample> emitted = chunks.stream().flatMap(c -> c.samples().stream()).toList();
    assertEquals(emitted.size(), placed.size());
    assertTrue(placed.containsAll(emitted), "every emitted sample was placed");
    assertTrue(emitted.stream().anyMatch(x -> x.dts90k() == 899_000), "the audio before the keyframe is kept");
    assertEquals(chunker.samplesIn(), chunker.samplesOut() + chunker.samplesDropped());
  }

  /**
   * With tail merging (VOD) a finished chunk waits in case the chunk after it is a short last one to merge. It
   * must wait only while that is possible: once the next chunk spans half a target duration it can no longer be
   * merged, and the waiting chunk is emitted (it waited until the next one was finished: the samples of two
   * whole segments in memory). 18.4 s at 25 fps with a keyframe every second, 6 s segments: chunk 0 is emitted
   * when the video reaches 9 s, not 12 s; the 0.4 s tail is still merged into the last chunk.
   */
  @Test
  void aHeldChunkIsEmittedOnceTheNextOneCanNoLongerBeMergedIntoIt() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    List<Long> emittedAt = new ArrayList<>();
    long[] latestVideo = {0};
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(6)).withMergeShortTail(true), c -> {
      chunks.add(c);
      emittedAt.add(latestVideo[0]);
    });
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    long audio = 0;
    for (long t = 0; t < 1_656_000; t += 3600) { // 18.4 s
      latestVideo[0] = t;
      chunker.onEvent(new MediaSample(256, t, t, t % 90_000 == 0, DATA));
      for (; audio < t + 3600; audio += AAC_FRAME_90K) {
        chunker.onEvent(new MediaSample(257, audio, audio, true, DATA));
      }
    }
    chunker.onEvent(new StreamEvent.EndOfStream());

    assertEquals(List.of(0L, 540_000L, 1_080_000L), chunks.stream().map(Chunk::start90k).toList());
    assertTrue(chunks.get(2).duration90k() >= 1_656_000L - 1_080_000L, "the 0.4 s tail merged into the last chunk: "
        + chunks.get(2).duration90k());
    long first = emittedAt.get(0);
    assertTrue(first >= 806_400 && first < 810_000, "chunk 0 emitted with the video at " + first
        + " (the next chunk reaching 3 s: 8.96 s plus one frame)");
    assertTrue(emittedAt.get(1) < 1_350_000, "chunk 1 emitted with the video at " + emittedAt.get(1));
    assertEquals(chunker.samplesIn(), chunker.samplesOut());
  }

  /**
   * Video and audio 0–1 s; after a discontinuity 5.6–6 s of non-keyframes and audio (an input that resumed
   * mid-GOP and stopped again); after another, one audio frame just before the keyframe at 10 s, then 1 s of
   * video and audio.
   */
  private static void feedAPeriodWithoutAKeyframe(Chunker chunker) throws MediaException {
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    feedAv(chunker, 0, 90_000, true);
    chunker.onEvent(signalled());
    feedAv(chunker, 500_000, 540_000, false); // resumed mid-GOP: non-keyframes and audio
    chunker.onEvent(signalled());
    chunker.onEvent(new MediaSample(257, 899_000, 899_000, true, DATA)); // audio just before the keyframe
    feedAv(chunker, 900_000, 990_000, true);
    chunker.onEvent(new StreamEvent.EndOfStream());
  }

  private static StreamEvent.Discontinuity signalled() {
    return new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED, Timestamps.NO_TIMESTAMP,
        Timestamps.NO_TIMESTAMP);
  }

  /** 25 fps video (a keyframe first if {@code keyframe}) and 48 kHz AAC frames over {@code [from, to)}. */
  private static void feedAv(Chunker chunker, long from90k, long to90k, boolean keyframe) throws MediaException {
    long audio = from90k;
    for (long t = from90k; t < to90k; t += 3600) {
      chunker.onEvent(new MediaSample(256, t, t, keyframe && t == from90k, DATA));
      for (; audio < t + 3600 && audio < to90k; audio += AAC_FRAME_90K) {
        chunker.onEvent(new MediaSample(257, audio, audio, true, DATA));
      }
    }
  }
}
