package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.DeferredBytes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link SegmentSink} that hands writes and deletes to background writer threads, which perform them on the
 * wrapped sink, so that packaging (demux, mux) and file writing overlap.
 *
 * <p><b>Order.</b> Operations start in the order they were made. With one writer thread (the default) each
 * also finishes before the next starts. With several ({@link Builder#writerThreads}), segments are written
 * concurrently, but an <em>ordered</em> operation — every delete, and every write whose name
 * {@link Builder#ordered} accepts (by default playlists and manifests: {@code .m3u8}, {@code .mpd}) — starts only
 * after everything made before it has finished, and nothing made after it starts before it has finished; a
 * write of a name still being written waits for that write. Hence the sink contract holds: a segment reaches
 * the wrapped sink before any playlist that lists it.
 *
 * <p><b>Bounded memory.</b> At most {@code maxQueuedBytes} of resources are in flight (queued or being
 * written), except that one resource is always admitted when nothing is in flight, however large;
 * {@link #write} blocks the packaging thread until there is room. The slices are kept, not copied: callers must
 * not change the bytes afterwards, as with {@link InMemorySegmentSink}.
 *
 * <p><b>Deferred bytes.</b> {@link #write(String, long, DeferredBytes)} computes the bytes on the writer thread
 * that writes them, just before writing, under the same order rules and counted as {@code length} bytes in
 * flight; so the costly part of a segment transform (AES-128 encryption) runs on the writer threads, several
 * segments in parallel, instead of on the packaging thread. A failed computation is a failure of the write.
 *
 * <p><b>Errors.</b> The first failure of the wrapped sink stops the writer threads (writes already in progress
 * on other threads finish) and is rethrown (as an {@link IOException} naming the resource) by the next
 * {@link #write}/{@link #delete} and by {@link #finish}; later work is discarded. {@link #finish} must be called
 * at the end: it waits until everything is written and reports a failure; {@link #close} discards what is
 * still queued and stops the threads (after a failure elsewhere).
 *
 * <p>Thread-safety: one producer thread calls {@link #write}, {@link #delete} and {@link #finish}; the wrapped
 * sink is called from the writer threads only, concurrently for distinct names when there are several.
 *
 * <pre>{@code
 * try (BackgroundSegmentSink sink = BackgroundSegmentSink.builder(DirectorySegmentSink.of(dir))
 *     .maxQueuedBytes(16 << 20).writerThreads(2).build()) {
 *   HlsPackager packager = HlsPackager.builder().build(sink);
 *   ...                // feed the packager
 *   packager.finish();
 *   sink.finish();     // everything is on disk now, or the IOException says what failed
 * }
 * }</pre>
 */
public final class BackgroundSegmentSink implements SegmentSink, AutoCloseable {
  /** Most writer threads a sink may have ({@link Builder#writerThreads}). */
  public static final int MAX_WRITER_THREADS = 16;
  /** Default of {@link Builder#maxQueuedBytes}: 16 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L << 20;

  private final SegmentSink target;
  private final long maxQueuedBytes;
  /** Told of each slice the wrapped sink has written (on a writer thread). */
  private final Consumer<ByteSlice> written;
  private final Predicate<String> ordered;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Operations being performed by a writer thread. */
  private final List<Pending> active = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  /** Bytes queued or being written. */
  private long inFlightBytes;
  private boolean closed;
  private IOException failure;

  /**
   * One operation: a write ({@code bytes} or {@code deferred} non-null, or {@code regions} of {@code source} after
   * the head {@code bytes}; {@code size} bytes) or a delete (size 0); {@code ordered} as described above.
   */
  private record Pending(String name, ByteSlice bytes, DeferredBytes deferred, java.nio.channels.FileChannel source,
      java.util.List<FileRegion> regions, long size, boolean ordered) {}

  private BackgroundSegmentSink(Builder b) {
    this.target = b.target;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.written = b.written;
    this.ordered = b.ordered;
    for (int i = 0; i < b.writerThreads; i++) {
      Thread thread = new Thread(this::run, i == 0 ? "iptv-segment-writer" : "iptv-segment-writer-" + (i + 1));
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  /** Starts configuring a background writer in front of {@code target}. */
  public static Builder builder(SegmentSink target) {
    return new Builder(target);
  }

  /**
   * Starts one background writer thread in front of {@code target}, with at most {@code maxQueuedBytes} (at
   * least 1) in flight.
   */
  public static BackgroundSegmentSink of(SegmentSink target, long maxQueuedBytes) {
    return builder(target).maxQueuedBytes(maxQueuedBytes).build();
  }

  /**
   * As {@link #of(SegmentSink, long)}, and {@code written} is given each slice once the wrapped sink has written
   * it (see {@link Builder#onWritten}).
   */
  public static BackgroundSegmentSink of(SegmentSink target, long maxQueuedBytes, Consumer<ByteSlice> written) {
    return builder(target).maxQueuedBytes(maxQueuedBytes).onWritten(written).build();
  }

  /** Whether {@code name} is a playlist or manifest ({@code .m3u8}, {@code .mpd}): the default ordered writes. */
  public static boolean isPlaylistOrManifest(String name) {
    return name.endsWith(".m3u8") || name.endsWith(".mpd");
  }

  @Override
  public void write(String name, ByteSlice bytes) throws IOException {
    Objects.requireNonNull(name, "name");
    enqueue(new Pending(name, Objects.requireNonNull(bytes, "bytes"), null, null, null, bytes.length(),
        ordered.test(name)));
  }

  /**
   * Queues a write whose bytes a writer thread computes just before writing them (see the class comment);
   * {@code length} is what it counts in flight. Failures of the computation are reported like write failures.
   */
  @Override
  public void write(String name, long length, DeferredBytes bytes) throws IOException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bytes, "bytes");
    Preconditions.requireArgument(length >= 0, "negative length %d", length);
    enqueue(new Pending(name, null, bytes, null, null, length, ordered.test(name)));
  }

  /**
   * Queues a write of a head and file regions (see {@link SegmentSink#write(String, ByteSlice,
   * java.nio.channels.FileChannel, java.util.List)}), done by a writer thread; their total length is what it
   * counts in flight. {@code source} must stay open until {@link #finish}, and {@code head} unchanged.
   */
  @Override
  public void write(String name, ByteSlice head, java.nio.channels.FileChannel source,
      java.util.List<FileRegion> regions) throws IOException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(source, "source");
    java.util.List<FileRegion> copy = java.util.List.copyOf(regions);
    long length = head.length();
    for (FileRegion r : copy) {
      length += r.length();
    }
    enqueue(new Pending(name, head, null, source, copy, length, ordered.test(name)));
  }

  @Override
  public void delete(String name) throws IOException {
    enqueue(new Pending(Objects.requireNonNull(name, "name"), null, null, null, null, 0, true));
  }

  /**
   * Waits until every queued write and delete is done, stops the writer threads and rethrows the first
   * failure. Idempotent.
   */
  public void finish() throws IOException {
    synchronized (this) {
      try {
        while (failure == null && (!active.isEmpty() || !queue.isEmpty())) {
          wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        throw new InterruptedIOException("interrupted while waiting for segment writes");
      }
    }
    abort();
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Discards what is still queued and stops the writer threads (they finish the writes in progress). */
  @Override
  public void close() {
    abort();
  }

  private void abort() {
    synchronized (this) {
      closed = true;
      discardQueued();
      notifyAll();
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive() && thread != Thread.currentThread()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true; // the writes in progress are short; finish joining, then restore the flag
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void enqueue(Pending pending) throws IOException {
    long size = pending.size;
    try {
      while (failure == null && !closed && inFlightBytes > 0 && inFlightBytes + size > maxQueuedBytes) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while queueing " + pending.name);
    }
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("segment writer already finished; cannot write " + pending.name);
    }
    queue.add(pending);
    inFlightBytes += size;
    notifyAll();
  }

  /** Whether the head of the queue may start now (see the class comment on order). */
  private boolean headMayStart() {
    Pending head = queue.peek();
    if (head == null) {
      return false;
    }
    if (head.ordered) {
      return active.isEmpty();
    }
    for (Pending running : active) {
      if (running.ordered || running.name.equals(head.name)) {
        return false;
      }
    }
    return true;
  }

  private void run() {
    while (true) {
      Pending next;
      synchronized (this) {
        try {
          while (failure == null && !closed && !headMayStart()) {
            wait();
          }
        } catch (InterruptedException e) {
          return; // nobody interrupts these private threads; stop if someone does
        }
        if (failure != null || !headMayStart()) {
          return; // failed, or closed (the queue is then empty: nothing is admitted after close)
        }
        next = queue.poll();
        active.add(next);
      }
      IOException error = perform(next);
      synchronized (this) {
        active.remove(next);
        inFlightBytes -= next.size;
        if (error != null && failure == null) {
          failure = error;
          discardQueued();
        }
        notifyAll();
      }
    }
  }

  /** Drops the queued (not started) operations. Holding the lock. */
  private void discardQueued() {
    for (Pending pending : queue) {
      inFlightBytes -= pending.size;
    }
    queue.clear();
  }

  private IOException perform(Pending pending) {
    try {
      if (pending.deferred != null) {
        ByteSlice bytes = pending.deferred.compute();
        target.write(pending.name, bytes);
        written.accept(bytes);
      } else if (pending.regions != null) {
        target.write(pending.name, pending.bytes, pending.source, pending.regions); // bytes: the head, not lent
      } else if (pending.bytes != null) {
        target.write(pending.name, pending.bytes);
        written.accept(pending.bytes);
      } else {
        target.delete(pending.name);
      }
      return null;
    } catch (IOException e) { // also a MediaException of a deferred computation: asMediaException keeps its kind
      String message = e.getMessage() != null && e.getMessage().startsWith("cannot write " + pending.name)
          ? e.getMessage() // already names the resource (DirectorySegmentSink)
          : "cannot write " + pending.name + ": " + e.getMessage();
      return new IOException(message, e);
    } catch (RuntimeException e) {
      // A sink that throws unchecked (e.g. an invalid name) must not kill the thread silently.
      return new IOException("cannot write " + pending.name + ": " + e, e);
    }
  }

  /**
   * Converts a failure of {@link #finish} (or of a write or delete) for callers that report
   * {@link MediaException}s: of the kind of the {@link MediaException} a deferred computation threw, else
   * {@link MediaException.Kind#IO}.
   */
  static MediaException asMediaException(IOException e) {
    return MediaException.of(kindOf(e), e.getMessage(), e);
  }

  /**
   * The kind of a failure this sink reports: that of the {@link MediaException} a deferred computation threw
   * (e.g. {@code KEY_UNAVAILABLE}), which it wraps as the cause, else {@link MediaException.Kind#IO}.
   */
  static MediaException.Kind kindOf(IOException e) {
    return !(e instanceof MediaException) && e.getCause() instanceof MediaException cause ? cause.kind()
        : MediaException.Kind.IO;
  }

  /** Configures a {@link BackgroundSegmentSink}; each setting once, validated immediately. Not thread-safe. */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private final SegmentSink target;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private int writerThreads = 1;
    private Consumer<ByteSlice> written = slice -> { };
    private Predicate<String> ordered = BackgroundSegmentSink::isPlaylistOrManifest;

    private Builder(SegmentSink target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Most bytes in flight, queued or being written (default {@value #DEFAULT_MAX_QUEUED_BYTES}; at least 1). One
     * resource is admitted when nothing is in flight, however large.
     */
    public Builder maxQueuedBytes(long value) {
      once("maxQueuedBytes");
      Preconditions.requireArgument(value > 0, "maxQueuedBytes %d must be positive", value);
      maxQueuedBytes = value;
      return this;
    }

    /**
     * Writer threads, 1 to {@value #MAX_WRITER_THREADS} (default 1: every operation finishes before the next
     * starts).
     */
    public Builder writerThreads(int value) {
      once("writerThreads");
      Preconditions.requireArgument(value >= 1 && value <= MAX_WRITER_THREADS, "writerThreads %d out of range 1..%d",
          value, MAX_WRITER_THREADS);
      writerThreads = value;
      return this;
    }

    /**
     * Told of each slice once the wrapped sink has written it, on the writer thread that wrote it, in the order
     * the writes finish; not for writes discarded after a failure or {@link #close}. For example
     * {@link io.iptv.segmenter.ts.SegmentBufferPool#recycle}, so that a segment's array backs a later segment.
     * Nothing of the slice is read after that call.
     */
    public Builder onWritten(Consumer<ByteSlice> value) {
      once("onWritten");
      written = Objects.requireNonNull(value, "onWritten");
      return this;
    }

    /**
     * Which writes are ordered with several writer threads: they wait for everything before them and hold back
     * everything after them (default {@link BackgroundSegmentSink#isPlaylistOrManifest}). Deletes always are.
     */
    public Builder ordered(Predicate<String> value) {
      once("ordered");
      ordered = Objects.requireNonNull(value, "ordered");
      return this;
    }

    /** Starts the writer threads. */
    public BackgroundSegmentSink build() {
      return new BackgroundSegmentSink(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
