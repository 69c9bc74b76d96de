package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.es.SampleBufferPool;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import io.iptv.segmenter.ts.TsMuxer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recycled access-unit arrays ({@link SampleBufferPool}) must not change a byte of the packaged output: the
 * packager releases a chunk's samples only after every rendition muxed it. The inputs are committed clips looped
 * into a few MB (the video readers' 256 KiB blocks go round many times), and once their bytes repeated (the joins
 * add timestamp jumps and continuity errors, so the readers' resets run too).
 */
class SampleBufferRecyclingTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z"));
  /**
   * Long segments: a chunk's video spans several 256 KiB blocks, so an early release would be overwritten. With
   * 8 s the control below stopped seeing it once the chunker emitted a chunk held for tail merging as soon as the
   * next one spans half a segment (the samples are muxed before their blocks come round again); it does at 10 s.
   */
  private static final Duration SEGMENT = Duration.ofSeconds(12);

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "mpeg2_mp2.ts"})
  void recyclingChangesNoByteOfTheOutput(String clip) throws Exception {
    assertOutputUnchanged(continuous(clip, 60));
  }

  @Test
  void recyclingChangesNoByteAcrossDamagedJoins() throws Exception {
    assertOutputUnchanged(repeated("h264_aac.ts", 40)); // timestamp jumps, continuity errors, reader resets
  }

  private static void assertOutputUnchanged(Path input) throws Exception {
    Map<String, ByteSlice> reference = packageOnOneThread(input, null, false);

    SampleBufferPool pool = SampleBufferPool.of(64 << 20);
    assertEquals(reference, packageOnOneThread(input, pool, false));
    assertTrue(pool.recycled() > 10, "blocks recycled: " + pool.recycled());
    assertTrue(pool.allocations() < pool.recycled(), pool.allocations() + " blocks allocated");

    SampleBufferPool threaded = SampleBufferPool.of(64 << 20);
    assertEquals(reference, packageOnTwoThreads(input, threaded));
    assertTrue(threaded.recycled() > 10, "blocks recycled: " + threaded.recycled());
  }

  @Test
  void releasingSamplesBeforeTheyAreMuxedWouldCorruptTheOutput() throws Exception {
    // The control for the test above: released as soon as they reach the packager (while the chunker still holds
    // them), the samples' bytes are overwritten by later access units, and the comparison sees it.
    Path input = continuous("h264_aac.ts", 30);
    Map<String, ByteSlice> reference = packageOnOneThread(input, null, false);
    assertNotEquals(reference, packageOnOneThread(input, SampleBufferPool.of(64 << 20), true));
  }

  @Test
  void filePackagerOutputEqualsThatWithoutRecycling() throws Exception {
    Path input = continuous("h264_aac.ts", 30);
    Map<String, ByteSlice> reference = packageOnOneThread(input, null, false);
    Path out = temp.resolve("out");
    // muxed (not packet-copied): this compares the muxer's output with and without recycled sample arrays
    HlsFilePackager.builder().segmentDuration(SEGMENT).clock(CLOCK).packetCopy(false).build()
        .packageFiles(List.of(input), out);
    Map<String, ByteSlice> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(out.relativize(p).toString().replace('\\', '/'), ByteSlice.wrap(Files.readAllBytes(p)));
      }
    }
    assertEquals(reference.keySet(), files.keySet());
    for (String name : reference.keySet()) {
      if (!name.equals(HlsFilePackager.MULTIVARIANT_NAME)) { // planned by the file packager itself
        assertEquals(reference.get(name), files.get(name), name);
      }
    }
  }

  /**
   * fMP4: every sample goes back to the input's arrays once muxed, the first chunk's too, except the first sample
   * of each track, which the init segment keeps (AC-3 configuration, new parameter sets); the whole first chunk
   * used to stay lent, 12 MB of arrays for the rest of a 419 MB MP4's packaging.
   */
  @Test
  void fmp4RecyclesAllButEachTracksFirstSample() throws Exception {
    Path input = continuous("h264_aac.ts", 6);
    java.util.Set<ByteSlice> delivered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.Set<ByteSlice> recycled = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Map<Integer, ByteSlice> firstOfTrack = new TreeMap<>();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(2)).clock(CLOCK)
        .segmentFormat(SegmentFormat.FMP4).sampleRecycler(recycled::add).build(new InMemorySegmentSink());
    try (MediaInput in = MediaInputs.open(input, 0, null, null)) {
      in.readAll(event -> {
        if (event instanceof MediaSample s) {
          delivered.add(s.data());
          firstOfTrack.putIfAbsent(s.trackId(), s.data());
        }
        packager.emit(event);
      });
    }
    packager.finish();
    assertTrue(firstOfTrack.size() >= 2, "tracks: " + firstOfTrack.keySet());
    for (ByteSlice first : firstOfTrack.values()) {
      assertTrue(delivered.remove(first));
      assertFalse(recycled.contains(first), "a first sample kept by the init segment was recycled");
    }
    delivered.removeAll(recycled);
    assertEquals(0, delivered.size(), "samples never recycled");
  }

  @Test
  void packagerRefusesToReleaseSamplesThatOtherStagesMayKeep() {
    SampleBufferPool pool = SampleBufferPool.of(1 << 20);
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().segmentFormat(SegmentFormat.FMP4)
        .partTarget(java.time.Duration.ofMillis(500)).sampleRecycler(pool).build(new InMemorySegmentSink()));
  }

  /** The clip's samples looped {@code loops} times on one continuous timeline, muxed into one TS file. */
  private Path continuous(String clip, int loops) throws IOException, MediaException {
    LoopedClip looped = LoopedClip.of(clip);
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    for (TrackFormat format : looped.tracks) {
      muxer.addTrack(format);
    }
    muxer.startSegment();
    for (long i = 0; i < (long) loops * looped.samples.size(); i++) {
      muxer.write(looped.sample(i));
    }
    Path file = temp.resolve(loops + "-loops-" + clip);
    Files.write(file, muxer.finishSegment().bytes().toByteArray());
    return file;
  }

  /** The clip's bytes repeated {@code times} times. */
  private Path repeated(String clip, int times) throws IOException {
    byte[] once = TestMedia.bytes(clip);
    Path file = temp.resolve(times + "x-" + clip);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < times; i++) {
        out.write(once);
      }
    }
    return file;
  }

  private static HlsPackager packager(InMemorySegmentSink sink, SampleBufferPool release) {
    HlsPackager.Builder builder = HlsPackager.builder().segmentDuration(SEGMENT).clock(CLOCK);
    if (release != null) {
      builder.sampleRecycler(release);
    }
    return builder.build(sink);
  }

  /**
   * Demuxes and packages on this thread; with {@code pool} the input lends from it and the packager releases to
   * it, or with {@code releaseOnArrival} each sample is released right after the packager received it (wrong).
   */
  private static Map<String, ByteSlice> packageOnOneThread(Path input, SampleBufferPool pool,
      boolean releaseOnArrival) throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = packager(sink, releaseOnArrival ? null : pool);
    try (MediaInput in = MediaInputs.open(input, 0, pool, null)) {
      in.readAll(event -> {
        packager.emit(event);
        if (releaseOnArrival && event instanceof MediaSample s) {
          pool.release(s.data());
        }
      });
    }
    packager.finish();
    return sink.snapshot();
  }

  /** As the file packager runs: demuxing on a background thread, releasing on this one. */
  private static Map<String, ByteSlice> packageOnTwoThreads(Path input, SampleBufferPool pool)
      throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = packager(sink, pool);
    try (MediaInput in = MediaInputs.open(input, 0, pool, null)) {
      BackgroundReader.readAll(in, packager, 1 << 20);
    }
    packager.finish();
    return sink.snapshot();
  }
}
