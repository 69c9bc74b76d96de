package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentBufferPoolTest {
  private static final int VIDEO = 1;
  private static final int AUDIO = 2;

  /** The fixture H.264 + AAC streams as samples, in DTS order. */
  private static List<MediaSample> program() {
    List<MediaSample> video = MuxTestSupport.annexBSamples(MuxTestSupport.resource("video-h264.h264"), false,
        VIDEO, 900_000, 3600);
    List<MediaSample> audio = MuxTestSupport.adtsSamples(MuxTestSupport.resource("audio-aac.adts"), AUDIO,
        900_000, 1920);
    return MuxTestSupport.interleave(List.of(video, audio));
  }

  /** Segments of {@code perSegment} samples each, muxed as RenditionWriter does (reserve first). */
  private static List<byte[]> mux(TsMuxer muxer, List<MediaSample> samples, int perSegment,
      SegmentBufferPool recycleInto) throws MediaException {
    muxer.addTrack(TrackFormat.builder(VIDEO, Codec.H264).build());
    muxer.addTrack(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(48_000).channels(2)
        .build());
    List<byte[]> out = new ArrayList<>();
    for (int from = 0; from < samples.size(); from += perSegment) {
      List<MediaSample> part = samples.subList(from, Math.min(samples.size(), from + perSegment));
      muxer.startSegment();
      muxer.reserve(part.size(), part.stream().mapToLong(MediaSample::sizeBytes).sum());
      for (MediaSample s : part) {
        muxer.write(s);
      }
      ByteSlice bytes = muxer.finishSegment().bytes();
      out.add(bytes.toByteArray());
      if (recycleInto != null) {
        assertTrue(recycleInto.recycle(bytes), "the muxer lent its segment through the pool");
        assertFalse(recycleInto.recycle(bytes), "recycled once only");
      }
    }
    return out;
  }

  @Test
  void recycledBuffersGiveTheSameSegmentsAsFreshOnes() throws MediaException {
    List<MediaSample> samples = program();
    // Segments of varying size (every other one larger), so recycled arrays hold older, longer content.
    List<byte[]> fresh = mux(TsMuxer.builder().build(), samples, 37, null);
    SegmentBufferPool pool = SegmentBufferPool.of(64L << 20);
    List<byte[]> pooled = mux(TsMuxer.builder().segmentBuffers(pool).build(), samples, 37, pool);
    assertEquals(fresh.size(), pooled.size());
    assertTrue(fresh.size() >= 4, "several segments: " + fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      assertArrayEquals(fresh.get(i), pooled.get(i), "segment " + i);
    }
    assertTrue(pool.allocations() < fresh.size(), pool.allocations() + " arrays allocated for " + fresh.size()
        + " segments");
  }

  @Test
  void poolKeepsNoMoreThanItsBound() {
    SegmentBufferPool pool = SegmentBufferPool.of(1000);
    byte[] a = pool.take(600, 600);
    byte[] b = pool.take(600, 600);
    pool.recycle(pool.lend(a, 1));
    pool.recycle(pool.lend(b, 1)); // evicts a (least recently recycled) to stay within 1000 bytes
    assertTrue(pool.take(600, 600) == b, "the most recent free array is taken first");
    long before = pool.allocations();
    pool.take(600, 600);
    assertEquals(before + 1, pool.allocations(), "a was dropped");
  }

  /**
   * A segment larger than the bound (9 MB segments with {@code -Xmx64m}): its array is kept as the one oversized
   * free array, which smaller arrays recycled after it do not evict, so the next such segment reuses it instead
   * of allocating (on G1 a humongous object needing that many contiguous free regions).
   */
  @Test
  void oneRecycledArrayOverTheBoundIsKeptBesideTheOthers() {
    SegmentBufferPool pool = SegmentBufferPool.of(1000);
    byte[] video = pool.take(2000, 2000);
    byte[] audio = pool.take(600, 600);
    pool.recycle(pool.lend(video, 10));
    pool.recycle(pool.lend(audio, 10)); // within the bound: the large one stays
    assertTrue(pool.take(1900, 2000) == video, "the next large segment reuses it");
    assertTrue(pool.take(500, 600) == audio, "and the audio segment its array");
    assertEquals(2, pool.allocations());

    pool.recycle(pool.lend(video, 10));
    byte[] larger = pool.take(2500, 2500); // too small now: dropped, not pinned beside the new array
    pool.take(1900, 1900);
    assertEquals(4, pool.allocations(), "the smaller oversized array was dropped");

    pool.giveBack(larger); // given back as too small for a segment: not kept
    pool.take(2400, 2400);
    assertEquals(5, pool.allocations(), "an oversized array given back is not kept");

    SegmentBufferPool none = SegmentBufferPool.of(0);
    none.recycle(none.lend(none.take(2000, 2000), 10));
    none.take(10, 10);
    assertEquals(2, none.allocations(), "a pool of 0 bytes keeps nothing");
  }

  @Test
  void smallRequestsTakeTheSmallestArrayThatFits() {
    SegmentBufferPool pool = SegmentBufferPool.of(1 << 20);
    byte[] video = pool.take(100_000, 100_000);
    byte[] audio = pool.take(2_000, 2_000);
    pool.recycle(pool.lend(audio, 1));
    pool.recycle(pool.lend(video, 1)); // the most recently recycled: taken first by a first-fit pool
    assertTrue(pool.take(1_500, 1_500) == audio, "an audio-sized request leaves the video-sized array");
    assertTrue(pool.take(90_000, 90_000) == video, "which the next video segment gets");
    assertEquals(2, pool.allocations());
  }

  @Test
  void forgetsSlicesLentLongAgoAndIgnoresForeignOnes() {
    SegmentBufferPool pool = SegmentBufferPool.of(1 << 20);
    ByteSlice first = pool.lend(pool.take(100, 100), 100);
    for (int i = 0; i < SegmentBufferPool.MAX_LENT; i++) {
      pool.lend(pool.take(100, 100), 100);
    }
    assertFalse(pool.recycle(first), "forgotten after MAX_LENT later loans");
    assertFalse(pool.recycle(ByteSlice.wrap(new byte[100])), "never lent");
    ByteSlice lent = pool.lend(pool.take(100, 100), 100);
    assertFalse(pool.recycle(lent.slice(0, 100)), "a view of a lent slice is not the lent slice");
    assertTrue(pool.recycle(lent));
  }
}
