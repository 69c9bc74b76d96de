package io.iptv.segmenter.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@link Chunker#cutAt(long)}: segments start at splice points (SCTE-35) between the regular boundaries. */
class ChunkerRequestedCutTest {
  private static final ByteSlice DATA = ByteSlice.wrap(new byte[] {1});
  private static final long FRAME_90K = 3600; // 25 fps
  private static final long AAC_FRAME_90K = 1920;

  /** 25 fps video with a keyframe every {@code gop} frames, audio interleaved; returns the chunks. */
  private static List<Chunk> run(int gop, int frames, boolean vod, List<Long> cuts) throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(4)).withMergeShortTail(vod), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(257, Codec.AAC).build()));
    for (long cut : cuts) {
      assertTrue(chunker.cutAt(cut));
    }
    long audio = 0;
    for (int i = 0; i < frames; i++) {
      long t = i * FRAME_90K;
      chunker.onEvent(new MediaSample(256, t, t, i % gop == 0, DATA));
      while (audio <= t) {
        chunker.onEvent(new MediaSample(257, audio, audio, true, DATA));
        audio += AAC_FRAME_90K;
      }
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(chunker.samplesIn(), chunker.samplesOut());
    for (Chunk c : chunks) {
      for (MediaSample s : c.samples()) {
        assertTrue(s.pts90k() >= c.start90k() && s.pts90k() < c.start90k() + c.duration90k() + FRAME_90K,
            "sample " + s.trackId() + "@" + s.pts90k() + " outside chunk " + c.sequence() + " at " + c.start90k());
      }
    }
    return chunks;
  }

  private static List<Long> starts(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::start90k).toList();
  }

  @Test
  void cutsAtAKeyframeOnTheSplicePointEvenInsideASegment() throws MediaException {
    long splice = 25 * FRAME_90K * 3; // keyframe at 3 s (GOP 1 s), inside the 0..4 s segment
    List<Chunk> chunks = run(25, 500, false, List.of(splice));
    assertTrue(starts(chunks).contains(splice), "segment starting at the splice point: " + starts(chunks));
    Chunk at = chunks.stream().filter(c -> c.start90k() == splice).findFirst().orElseThrow();
    MediaSample first = at.samples().stream().filter(s -> s.trackId() == 256).findFirst().orElseThrow();
    assertEquals(splice, first.pts90k());
    assertTrue(first.keyframe());
    // no audio before the splice point in the segment after it, none at/after it before
    for (Chunk c : chunks) {
      for (MediaSample s : c.samples()) {
        if (s.trackId() == 257) {
          assertEquals(c.start90k() >= splice, s.pts90k() >= splice, "audio at " + s.pts90k());
        }
      }
    }
    // the segment after returns to the 4 s grid
    assertTrue(starts(chunks).contains(4 * 90_000L), starts(chunks).toString());
  }

  @Test
  void aSplicePointBetweenKeyframesCutsAtTheNextKeyframe() throws MediaException {
    long splice = 25 * FRAME_90K * 5 + 7 * FRAME_90K + 100; // 5.28 s: no keyframe there
    List<Chunk> chunks = run(25, 500, false, List.of(splice));
    assertTrue(starts(chunks).contains(6 * 90_000L), starts(chunks).toString());
    assertFalse(starts(chunks).contains(splice));
    assertEquals(List.of(0L, 360_000L, 540_000L, 720_000L), starts(chunks).subList(0, 4));
  }

  @Test
  void withoutRequestsTheGridIsUnchanged() throws MediaException {
    assertEquals(List.of(0L, 360_000L, 720_000L, 1_080_000L, 1_440_000L), starts(run(25, 500, false, List.of())));
  }

  @Test
  void aShortTailStartingAtASpliceIsNotMergedForVod() throws MediaException {
    long splice = 19 * 90_000L; // last keyframes at 19 s; stream ends at 20 s
    List<Chunk> chunks = run(25, 500, true, List.of(splice));
    assertEquals(splice, chunks.get(chunks.size() - 1).start90k(), starts(chunks).toString());
  }

  @Test
  void immediateAndPastRequests() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(4)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    for (int i = 0; i < 300; i++) {
      long t = i * FRAME_90K;
      if (i == 30) {
        assertTrue(chunker.cutAt(Timestamps.NO_TIMESTAMP));
      }
      if (i == 130) {
        assertFalse(chunker.cutAt(FRAME_90K * 10), "the past: as soon as possible");
      }
      chunker.onEvent(new MediaSample(256, t, t, i % 25 == 0, DATA));
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(List.of(0L, 50 * FRAME_90K, 360_000L, 150 * FRAME_90K, 720_000L), starts(chunks));
  }

  @Test
  void aCancelledRequestDoesNotCut() throws MediaException {
    List<Chunk> chunks = new ArrayList<>();
    Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(4)), chunks::add);
    chunker.onEvent(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H264).build()));
    chunker.cutAt(2 * 90_000L);
    chunker.cancelCut(2 * 90_000L);
    for (int i = 0; i < 200; i++) {
      chunker.onEvent(new MediaSample(256, i * FRAME_90K, i * FRAME_90K, i % 25 == 0, DATA));
    }
    chunker.onEvent(new StreamEvent.EndOfStream());
    assertEquals(List.of(0L, 360_000L), starts(chunks));
  }
}
