package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link SegmentSink} that hands writes and deletes to one background thread, which performs them on the
 * wrapped sink in the order they were made, so that packaging (demux, mux) and file writing overlap on two
 * cores. Order is kept, hence the sink contract holds: a segment still reaches the wrapped sink before any
 * playlist that lists it.
 *
 * <p><b>Bounded memory.</b> At most {@code maxQueuedBytes} of resources are in flight (queued or being
 * written), except that one resource is always admitted when nothing is in flight, however large;
 * {@link #write} blocks the packaging thread until there is room. The slices are kept, not copied: callers must not change the bytes afterwards, as with
 * {@link InMemorySegmentSink}.
 *
 * <p><b>Errors.</b> The first failure of the wrapped sink stops the background thread and is rethrown (as an
 * {@link IOException} naming the resource) by the next {@link #write}/{@link #delete} and by {@link #finish};
 * later work is discarded. {@link #finish} must be called at the end: it waits until everything is written and
 * reports a failure; {@link #close} discards what is still queued and stops the thread (after a failure
 * elsewhere).
 *
 * <p>Thread-safety: one producer thread calls {@link #write}, {@link #delete} and {@link #finish}; the wrapped
 * sink is called from the background thread only.
 *
 * <pre>{@code
 * try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(DirectorySegmentSink.of(dir), 16 << 20)) {
 *   HlsPackager packager = HlsPackager.builder().build(sink);
 *   ...                // feed the packager
 *   packager.finish();
 *   sink.finish();     // everything is on disk now, or the IOException says what failed
 * }
 * }</pre>
 */
public final class BackgroundSegmentSink implements SegmentSink, AutoCloseable {
  private final SegmentSink target;
  private final long maxQueuedBytes;
  /** Told of each slice the wrapped sink has written (on the background thread). */
  private final Consumer<ByteSlice> written;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Thread thread;
  /** Bytes queued or being written. */
  private long inFlightBytes;
  private boolean closed;
  private boolean busy;
  private IOException failure;

  /** One queued operation: a write ({@code bytes} non-null) or a delete. */
  private record Pending(String name, ByteSlice bytes) {}

  private BackgroundSegmentSink(SegmentSink target, long maxQueuedBytes, Consumer<ByteSlice> written) {
    this.target = target;
    this.maxQueuedBytes = maxQueuedBytes;
    this.written = written;
    this.thread = new Thread(this::run, "iptv-segment-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts a background writer in front of {@code target}, with at most {@code maxQueuedBytes} (at least 1)
   * in flight.
   */
  public static BackgroundSegmentSink of(SegmentSink target, long maxQueuedBytes) {
    return of(target, maxQueuedBytes, slice -> { });
  }

  /**
   * As {@link #of(SegmentSink, long)}, and {@code written} is given each slice once the wrapped sink has written
   * it (on the background thread, in order; not for writes discarded after a failure or {@link #close}): for
   * example {@link io.iptv.segmenter.ts.SegmentBufferPool#recycle}, so that a segment's array backs a later
   * segment. Nothing of the slice is read after that call.
   */
  public static BackgroundSegmentSink of(SegmentSink target, long maxQueuedBytes, Consumer<ByteSlice> written) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(written, "written");
    Preconditions.requireArgument(maxQueuedBytes > 0, "maxQueuedBytes %d must be positive", maxQueuedBytes);
    return new BackgroundSegmentSink(target, maxQueuedBytes, written);
  }

  @Override
  public void write(String name, ByteSlice bytes) throws IOException {
    enqueue(new Pending(Objects.requireNonNull(name, "name"), Objects.requireNonNull(bytes, "bytes")));
  }

  @Override
  public void delete(String name) throws IOException {
    enqueue(new Pending(Objects.requireNonNull(name, "name"), null));
  }

  /**
   * Waits until every queued write and delete is done, stops the background thread and rethrows the first
   * failure. Idempotent.
   */
  public void finish() throws IOException {
    synchronized (this) {
      try {
        while (failure == null && (busy || !queue.isEmpty())) {
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

  /** Discards what is still queued and stops the background thread (it finishes the write in progress). */
  @Override
  public void close() {
    abort();
  }

  private void abort() {
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the write in progress is short; finish joining, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void enqueue(Pending pending) throws IOException {
    long size = pending.bytes == null ? 0 : pending.bytes.length();
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

  private void run() {
    while (true) {
      Pending next;
      synchronized (this) {
        busy = false;
        notifyAll();
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return; // nobody interrupts this private thread; stop if someone does
          }
        }
        if (queue.isEmpty()) {
          return; // closed and drained
        }
        next = queue.poll();
        busy = true;
      }
      IOException error = perform(next);
      synchronized (this) {
        inFlightBytes -= next.bytes == null ? 0 : next.bytes.length();
        if (error != null) {
          failure = error;
          queue.clear();
          inFlightBytes = 0;
          busy = false;
          notifyAll();
          return;
        }
      }
    }
  }

  private IOException perform(Pending pending) {
    try {
      if (pending.bytes != null) {
        target.write(pending.name, pending.bytes);
        written.accept(pending.bytes);
      } else {
        target.delete(pending.name);
      }
      return null;
    } catch (IOException e) {
      return new IOException("cannot write " + pending.name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // A sink that throws unchecked (e.g. an invalid name) must not kill the thread silently.
      return new IOException("cannot write " + pending.name + ": " + e, e);
    }
  }

  /** Converts a failure of {@link #finish} for callers that report {@link MediaException}s. */
  static MediaException asMediaException(IOException e) {
    return MediaException.of(MediaException.Kind.IO, e.getMessage(), e);
  }
}
