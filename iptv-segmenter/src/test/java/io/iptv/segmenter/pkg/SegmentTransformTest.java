package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.DeferredSegment;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.core.pipeline.TransformedSegment;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packager applies a {@link SegmentTransform} to every segment and signals its protection as EXT-X-KEY. */
class SegmentTransformTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-05-01T12:00:00Z"));

  /** Inverts every byte of segments 1..3 ("keys" k1 for 1..2, k2 for 3) and leaves 0 and 4.. clear. */
  private static final class Inverting implements SegmentTransform {
    final List<SegmentContext> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public TransformedSegment transform(SegmentContext context, ByteSlice segment) {
      seen.add(context);
      long s = context.sequence();
      if (s < 1 || s > 3) {
        return new TransformedSegment(segment, null);
      }
      byte[] b = segment.toByteArray();
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) ~b[i];
      }
      String uri = s < 3 ? "keys/k1.key" : "https://keys.example/k2";
      String iv = s < 3 ? null : "0x000102030405060708090a0b0c0d0e0f";
      return new TransformedSegment(ByteSlice.wrap(b), new SegmentProtection("AES-128", uri, iv, "identity", null));
    }
  }

  @Test
  void transformedBytesAreWrittenAndKeysSignalledWhereTheyChange() throws Exception {
    Inverting transform = new Inverting();
    InMemorySegmentSink clear = run(HlsPackager.builder());
    InMemorySegmentSink sink = run(HlsPackager.builder().segmentTransform(transform));

    MediaPlaylist playlist = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8")
        .toByteArray());
    assertTrue(playlist.segments().size() >= 5, "need 5 segments, got " + playlist.segments().size());
    for (int i = 0; i < playlist.segments().size(); i++) {
      MediaSegment s = playlist.segments().get(i);
      byte[] expected = clear.get("stream/" + s.uri()).toByteArray();
      byte[] written = sink.get("stream/" + s.uri()).toByteArray();
      if (i >= 1 && i <= 3) {
        for (int j = 0; j < expected.length; j++) {
          expected[j] = (byte) ~expected[j];
        }
        assertNotNull(s.key(), "segment " + i);
        assertEquals(i < 3 ? "../keys/k1.key" : "https://keys.example/k2", s.key().uri());
      } else {
        assertEquals(null, s.key(), "segment " + i);
      }
      assertEquals(ByteSlice.wrap(expected), ByteSlice.wrap(written), "bytes of segment " + i);
    }
    String text = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertEquals(3, count(text, "#EXT-X-KEY:"), text); // k1, k2, NONE
    assertTrue(text.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k1.key\",KEYFORMAT=\"identity\"\n"), text);
    assertTrue(text.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k2\","
        + "IV=0x000102030405060708090a0b0c0d0e0f,KEYFORMAT=\"identity\"\n"), text);
    assertTrue(text.contains("#EXT-X-KEY:METHOD=NONE\n"), text);
    assertTrue(text.contains("#EXT-X-VERSION:5"), "KEYFORMAT needs version 5: " + text);
    assertEquals(Set.of(TrackType.VIDEO, TrackType.AUDIO), transform.seen.get(0).trackTypes());
    assertEquals("stream", transform.seen.get(0).rendition());
  }

  /**
   * As {@link Inverting}, deferred: the plan on the packaging thread, the inversion in the filler. Each filler
   * checks that the muxed bytes it reads are still those the plan saw (a segment buffer recycled too early is
   * overwritten by a later segment's muxer).
   */
  private static final class DeferredInverting implements SegmentTransform {
    final Inverting inline = new Inverting();
    final List<String> fillThreads = Collections.synchronizedList(new ArrayList<>());
    final List<String> changedUnderFiller = Collections.synchronizedList(new ArrayList<>());

    @Override
    public TransformedSegment transform(SegmentContext context, ByteSlice segment) {
      return inline.transform(context, segment); // clear segments
    }

    @Override
    public boolean sharesInput() {
      return false;
    }

    @Override
    public DeferredSegment defer(SegmentContext context, ByteSlice segment) {
      long s = context.sequence();
      if (s < 1 || s > 3) {
        return null;
      }
      SegmentProtection protection = inline.transform(context, segment).protection();
      ByteSlice snapshot = ByteSlice.wrap(segment.toByteArray());
      return new DeferredSegment(protection, segment.length(), out -> {
        fillThreads.add(Thread.currentThread().getName());
        if (!snapshot.equals(segment)) {
          changedUnderFiller.add("segment " + s);
        }
        segment.copyTo(out, 0);
        for (int i = 0; i < segment.length(); i++) {
          out[i] = (byte) ~out[i];
        }
      });
    }
  }

  /**
   * The batch set-up (pooled segment buffers, a background sink, deferred transform): the writer threads fill
   * the segments only after all muxing is done, yet every segment and playlist is byte for byte the inline
   * transform's, and the muxed buffers were not reused before their fillers read them; the pool got the
   * buffers back afterwards.
   */
  @Test
  void deferredTransformOnWriterThreadsPublishesTheInlineBytes() throws Exception {
    InMemorySegmentSink inline = run(HlsPackager.builder().segmentTransform(new Inverting()));

    DeferredInverting transform = new DeferredInverting();
    io.iptv.segmenter.ts.SegmentBufferPool buffers = io.iptv.segmenter.ts.SegmentBufferPool.of(64 << 20);
    InMemorySegmentSink memory = new InMemorySegmentSink();
    CountDownLatch muxed = new CountDownLatch(1);
    SegmentSink gated = new SegmentSink() { // the writers wait for the end of muxing
      @Override
      public void write(String name, ByteSlice bytes) throws java.io.IOException {
        try {
          muxed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        memory.write(name, ByteSlice.wrap(bytes.toByteArray()));
      }

      @Override
      public void delete(String name) throws java.io.IOException {
        memory.delete(name);
      }
    };
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(gated).writerThreads(2)
        .maxQueuedBytes(256 << 20).onWritten(buffers::recycle).build()) {
      HlsPackager packager = HlsPackager.builder().segmentTransform(transform).segmentBuffers(buffers)
          .deferSegmentTransform(true).segmentDuration(Duration.ofMillis(500)).clock(CLOCK).build(sink);
      byte[] a = TestMedia.bytes("h264_aac.ts");
      io.iptv.segmenter.ts.TsDemuxer demuxer = io.iptv.segmenter.ts.TsDemuxer.builder().build(packager);
      demuxer.feed(a, 0, a.length);
      demuxer.feed(TestMedia.bytes("h264_aac_pts_wrap.ts"), 0, a.length);
      demuxer.finish();
      muxed.countDown();
      sink.finish();
    }
    assertEquals(inline.snapshot().keySet(), memory.snapshot().keySet());
    for (String name : inline.snapshot().keySet()) {
      assertEquals(inline.get(name), memory.get(name), name);
    }
    long allocations = buffers.allocations();
    buffers.take(1, 1);
    assertEquals(allocations, buffers.allocations(), "the segment buffers came back to the pool");
    assertEquals(List.of(), transform.changedUnderFiller, "muxed bytes reused before the filler read them");
    assertEquals(3, transform.fillThreads.size(), transform.fillThreads.toString());
    assertTrue(transform.fillThreads.stream().allMatch(t -> t.startsWith("iptv-segment-writer")),
        transform.fillThreads.toString());
  }

  private static InMemorySegmentSink run(HlsPackager.Builder builder) throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = builder.segmentDuration(Duration.ofMillis(500)).clock(CLOCK).build(sink);
    byte[] a = TestMedia.bytes("h264_aac.ts");
    io.iptv.segmenter.ts.TsDemuxer demuxer = io.iptv.segmenter.ts.TsDemuxer.builder().build(packager);
    demuxer.feed(a, 0, a.length);
    demuxer.feed(TestMedia.bytes("h264_aac_pts_wrap.ts"), 0, a.length);
    demuxer.finish();
    return sink;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
