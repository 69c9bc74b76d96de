package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackgroundSegmentSinkTest {
  /** Records operations, slowly, and the most bytes ever handed over but not yet written. */
  private static class SlowSink implements SegmentSink {
    final List<String> operations = Collections.synchronizedList(new ArrayList<>());
    final String failOn;

    SlowSink(String failOn) {
      this.failOn = failOn;
    }

    @Override
    public void write(String name, ByteSlice bytes) throws IOException {
      pause();
      if (name.equals(failOn)) {
        throw new IOException("disk full");
      }
      operations.add("write " + name + " " + bytes.length());
    }

    @Override
    public void delete(String name) {
      pause();
      operations.add("delete " + name);
    }

    private static void pause() {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void performsEverythingInOrderBeforeFinishReturns() throws IOException {
    SlowSink target = new SlowSink(null);
    List<String> expected = new ArrayList<>();
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1000)) {
      for (int i = 0; i < 40; i++) {
        sink.write("seg" + i, ByteSlice.wrap(new byte[100 + i]));
        expected.add("write seg" + i + " " + (100 + i));
        if (i % 10 == 9) {
          sink.delete("seg" + (i - 9));
          expected.add("delete seg" + (i - 9));
        }
      }
      sink.write("index.m3u8", ByteSlice.wrap(new byte[5]));
      expected.add("write index.m3u8 5");
      sink.finish();
      assertEquals(expected, new ArrayList<>(target.operations));
    }
  }

  /**
   * File-region writes (the packet-copy path) go to the target on the writer threads, after the segments queued
   * before them and before the playlist that lists them, and count their total length in flight.
   */
  @Test
  void fileRegionWritesAreQueuedInOrder() throws IOException {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    SegmentSink target = new SlowSink(null) {
      @Override
      public void write(String name, ByteSlice head, java.nio.channels.FileChannel source,
          List<FileRegion> regions) {
        threads.add(Thread.currentThread().getName());
        log.add("regions " + name + " " + head.length() + " " + regions);
      }

      @Override
      public void write(String name, ByteSlice bytes) {
        log.add("write " + name);
      }
    };
    java.nio.file.Path file = java.nio.file.Files.createTempFile("regions", ".ts");
    try (java.nio.channels.FileChannel source = java.nio.channels.FileChannel.open(file);
        BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1000)) {
      sink.write("seg0.ts", ByteSlice.wrap(new byte[10]));
      sink.write("seg1.ts", ByteSlice.wrap(new byte[7]), source, List.of(new SegmentSink.FileRegion(0, 376), new SegmentSink.FileRegion(752, 188)));
      sink.write("index.m3u8", ByteSlice.wrap(new byte[5]));
      sink.finish();
    } finally {
      java.nio.file.Files.delete(file);
    }
    assertEquals(List.of("write seg0.ts", "regions seg1.ts 7 [FileRegion[offset=0, length=376],"
        + " FileRegion[offset=752, length=188]]", "write index.m3u8"), log);
    assertTrue(threads.get(0).startsWith("iptv-segment-writer"), threads.toString());
  }

  @Test
  void queueStaysWithinItsByteBound() throws IOException {
    assertStaysWithinTheByteBound(1, 1);
  }

  /**
   * 100 writes of 1000 bytes through {@code writerThreads} writers that take {@code writeMillis} each: all
   * bytes arrive, and queued + being written never exceeds the 3000-byte bound.
   */
  private static void assertStaysWithinTheByteBound(int writerThreads, long writeMillis) throws IOException {
    AtomicLong handedOver = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong maxPending = new AtomicLong();
    SegmentSink counting = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) {
        try {
          Thread.sleep(writeMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.addAndGet(bytes.length());
      }

      @Override
      public void delete(String name) {}
    };
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(counting).writerThreads(writerThreads)
        .maxQueuedBytes(3000).build()) {
      for (int i = 0; i < 100; i++) {
        sink.write("s" + i + ".ts", ByteSlice.wrap(new byte[1000]));
        handedOver.addAndGet(1000);
        maxPending.accumulateAndGet(handedOver.get() - written.get(), Math::max);
      }
      sink.finish();
    }
    assertEquals(100_000, written.get());
    // queued + being written stays within the bound
    assertTrue(maxPending.get() <= 3000, "pending bytes reached " + maxPending.get());
  }

  @Test
  void aFailureSurfacesAtTheNextCallOrAtFinish() {
    SlowSink target = new SlowSink("seg3");
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1 << 20)) {
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 1000; i++) {
          sink.write("seg" + i, ByteSlice.wrap(new byte[10]));
        }
        sink.finish();
      });
      assertTrue(e.getMessage().contains("seg3") && e.getMessage().contains("disk full"), e.getMessage());
      assertThrows(IOException.class, sink::finish); // and again
    }
    assertEquals(3, target.operations.size(), "nothing written after the failure: " + target.operations);
  }

  @Test
  void closeWithoutFinishDiscardsAndStops() throws IOException {
    SlowSink target = new SlowSink(null);
    BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1 << 20);
    for (int i = 0; i < 200; i++) {
      sink.write("seg" + i, ByteSlice.wrap(new byte[10]));
    }
    sink.close();
    int done = target.operations.size();
    assertTrue(done < 200, "close waited for everything: " + done);
    assertThrows(IOException.class, () -> sink.write("late", ByteSlice.wrap(new byte[1])));
    assertEquals(done, target.operations.size());
  }

  /** Records when each operation started and ended (one clock for all threads) and how many ran at once. */
  private static final class TimelineSink implements SegmentSink {
    record Span(String operation, long start, long end) {}

    final AtomicLong clock = new AtomicLong();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final Map<String, Span> spans = new ConcurrentHashMap<>();
    final List<String> overlapsOfOneName = Collections.synchronizedList(new ArrayList<>());
    final Set<String> namesRunning = ConcurrentHashMap.newKeySet();
    final String failOn;

    TimelineSink(String failOn) {
      this.failOn = failOn;
    }

    @Override
    public void write(String name, ByteSlice bytes) throws IOException {
      perform("write " + name + " #" + bytes.byteAt(0), name);
    }

    @Override
    public void delete(String name) throws IOException {
      perform("delete " + name, name);
    }

    private void perform(String operation, String name) throws IOException {
      long start = clock.incrementAndGet();
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      if (!namesRunning.add(name)) {
        overlapsOfOneName.add(operation);
      }
      try {
        Thread.sleep(name.endsWith(".ts") ? 3 : 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      namesRunning.remove(name);
      running.decrementAndGet();
      long end = clock.incrementAndGet();
      if (name.equals(failOn)) {
        throw new IOException("disk full");
      }
      spans.put(operation, new Span(operation, start, end));
    }
  }

  @Test
  void severalWritersKeepPlaylistsAndDeletesBehindEverythingBeforeThem() throws IOException {
    TimelineSink target = new TimelineSink(null);
    List<String> made = new ArrayList<>();
    List<ByteSlice> recycled = Collections.synchronizedList(new ArrayList<>());
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(target).writerThreads(3).maxQueuedBytes(1 << 20)
        .onWritten(recycled::add).build()) {
      int version = 0;
      for (int i = 0; i < 60; i++) {
        sink.write("v0/seg-" + i + ".ts", ByteSlice.wrap(new byte[] {(byte) version++}));
        made.add("write v0/seg-" + i + ".ts #" + (version - 1));
        if (i % 4 == 3) {
          sink.write("v0/index.m3u8", ByteSlice.wrap(new byte[] {(byte) version++}));
          made.add("write v0/index.m3u8 #" + (version - 1));
        }
        if (i % 10 == 9) {
          sink.delete("v0/seg-" + (i - 9) + ".ts");
          made.add("delete v0/seg-" + (i - 9) + ".ts");
        }
        if (i % 7 == 6) { // the same segment name again (a rewritten partial segment): never concurrently
          sink.write("v0/seg-" + i + ".ts", ByteSlice.wrap(new byte[] {(byte) version++}));
          made.add("write v0/seg-" + i + ".ts #" + (version - 1));
        }
      }
      sink.write("master.m3u8", ByteSlice.wrap(new byte[] {(byte) version++}));
      made.add("write master.m3u8 #" + (version - 1));
      sink.finish();
    }
    assertEquals(made.size(), target.spans.size(), "every operation performed once");
    int ordered = 0;
    for (int i = 0; i < made.size(); i++) {
      String op = made.get(i);
      TimelineSink.Span span = target.spans.get(op);
      if (op.startsWith("delete") || op.substring(0, op.indexOf(" #")).endsWith(".m3u8")) {
        ordered++;
        for (int j = 0; j < made.size(); j++) {
          TimelineSink.Span other = target.spans.get(made.get(j));
          if (j < i) {
            assertTrue(other.end() < span.start(), made.get(j) + " must end before " + op + " starts");
          } else if (j > i) {
            assertTrue(other.start() > span.end(), made.get(j) + " must start after " + op + " ends");
          }
        }
      }
    }
    assertEquals(15 + 6 + 1, ordered, "playlist writes and deletes checked");
    assertEquals(List.of(), target.overlapsOfOneName, "one name written by two threads at once");
    assertTrue(target.maxRunning.get() >= 2, "segments were written concurrently: " + target.maxRunning.get());
    assertEquals(made.size() - 6, recycled.size(), "onWritten once per write");
  }

  @Test
  void severalWritersStayWithinTheByteBound() throws IOException {
    assertStaysWithinTheByteBound(4, 2);
  }

  @Test
  void withSeveralWritersTheFirstFailureStopsTheRest() {
    TimelineSink target = new TimelineSink("seg-5.ts");
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(target).writerThreads(3).build()) {
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 1000; i++) {
          sink.write("seg-" + i + ".ts", ByteSlice.wrap(new byte[] {(byte) i}));
        }
        sink.finish();
      });
      assertTrue(e.getMessage().contains("seg-5.ts") && e.getMessage().contains("disk full"), e.getMessage());
      IOException again = assertThrows(IOException.class, sink::finish);
      assertEquals(e.getMessage(), again.getMessage());
    }
    // Writes already started on other threads may finish, and each other thread may start one more before the
    // failure is recorded (a timing race); the queued rest (up to 1000) is discarded.
    assertTrue(target.spans.size() < 200, "writes after the failure: " + target.spans.keySet());
    assertFalse(target.spans.containsKey("write seg-5.ts #5"));
  }

  @Test
  void aDirectorySinkFailureIsReportedOnceWithItsName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("seg-1.ts/inside")); // the rename over it fails
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(DirectorySegmentSink.of(dir)).writerThreads(2)
        .build()) {
      sink.write("seg-1.ts", ByteSlice.wrap(new byte[100]));
      IOException e = assertThrows(IOException.class, sink::finish);
      assertTrue(e.getMessage().startsWith("cannot write seg-1.ts in "), e.getMessage());
      assertEquals(e.getMessage().indexOf("cannot write"), e.getMessage().lastIndexOf("cannot write"),
          "named once: " + e.getMessage());
    }
  }

  @Test
  void writerThreadsAreValidated() {
    SegmentSink target = new InMemorySegmentSink();
    assertThrows(IllegalArgumentException.class, () -> BackgroundSegmentSink.builder(target).writerThreads(0));
    assertThrows(IllegalArgumentException.class, () -> BackgroundSegmentSink.builder(target).maxQueuedBytes(0));
    BackgroundSegmentSink.Builder builder = BackgroundSegmentSink.builder(target).writerThreads(2);
    assertThrows(IllegalStateException.class, () -> builder.writerThreads(3));
  }

  /**
   * Deferred bytes are computed on a writer thread, not the producer's; a playlist queued after a deferred
   * segment waits until that segment is computed and written, though a second writer is idle; the callback sees
   * the computed slice.
   */
  @Test
  void deferredBytesAreComputedOnAWriterThreadBeforeLaterPlaylists() throws Exception {
    SlowSink target = new SlowSink(null);
    CountDownLatch release = new CountDownLatch(1);
    List<String> computedOn = Collections.synchronizedList(new ArrayList<>());
    List<ByteSlice> written = Collections.synchronizedList(new ArrayList<>());
    ByteSlice computed = ByteSlice.wrap(new byte[48]);
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(target).writerThreads(2)
        .onWritten(written::add).build()) {
      sink.write("seg0.ts", 48, () -> {
        computedOn.add(Thread.currentThread().getName());
        try {
          assertTrue(release.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return computed;
      });
      sink.write("index.m3u8", ByteSlice.wrap(new byte[5]));
      Thread.sleep(50);
      assertEquals(List.of(), new ArrayList<>(target.operations), "nothing written while seg0 is computed");
      release.countDown();
      sink.finish();
    }
    assertEquals(List.of("write seg0.ts 48", "write index.m3u8 5"), new ArrayList<>(target.operations));
    assertEquals(1, computedOn.size());
    assertTrue(computedOn.get(0).startsWith("iptv-segment-writer"), computedOn.get(0));
    assertTrue(written.get(0) == computed, "onWritten gets the computed slice");
  }

  /**
   * A failed computation (a key that cannot be had) fails the sink like a failed write: later writes and
   * finish report it, it keeps its kind for the packager, and what was queued after it is discarded.
   */
  @Test
  void aFailedComputationFailsTheSinkWithItsKind() throws Exception {
    SlowSink target = new SlowSink(null);
    IOException failure;
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1000)) {
      sink.write("seg0.ts", ByteSlice.wrap(new byte[10]));
      sink.write("seg1.ts", 32, () -> {
        throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, "no key for news period 0");
      });
      failure = assertThrows(IOException.class, () -> {
        for (int i = 2; i < 1000; i++) {
          sink.write("seg" + i + ".ts", ByteSlice.wrap(new byte[10]));
          Thread.sleep(1);
        }
      });
      assertThrows(IOException.class, sink::finish);
    }
    assertTrue(failure.getMessage().contains("seg1.ts") && failure.getMessage().contains("no key"),
        failure.getMessage());
    assertEquals(MediaException.Kind.KEY_UNAVAILABLE, BackgroundSegmentSink.asMediaException(failure).kind());
    assertEquals("write seg0.ts 10", target.operations.get(0));
    assertFalse(target.operations.stream().anyMatch(o -> o.contains("seg1.ts")), target.operations.toString());
    assertEquals(MediaException.Kind.IO,
        BackgroundSegmentSink.asMediaException(new IOException("cannot write x: disk full")).kind());
  }

  /** A plain sink computes deferred bytes at once, on the caller's thread, and writes them. */
  @Test
  void plainSinksComputeDeferredBytesInline() throws Exception {
    InMemorySegmentSink memory = new InMemorySegmentSink();
    Thread caller = Thread.currentThread();
    memory.write("seg.ts", 3, () -> {
      assertTrue(Thread.currentThread() == caller);
      return ByteSlice.wrap(new byte[] {1, 2, 3});
    });
    assertEquals(ByteSlice.wrap(new byte[] {1, 2, 3}), memory.get("seg.ts"));
    MediaException e = assertThrows(MediaException.class, () -> memory.write("seg2.ts", 1, () -> {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, "no key");
    }));
    assertEquals(MediaException.Kind.KEY_UNAVAILABLE, e.kind());
  }
}
