package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.input.MediaInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link MediaInput} on a background thread ({@code iptv-demux}) while the calling thread hands its
 * events to an {@link Emitter}: demuxing and parsing (TS packets, PES reassembly, access units) overlap with
 * chunking and muxing, so a file package keeps two cores busy (three threads with the
 * {@link BackgroundSegmentSink}'s writer). Events are immutable and thread-safe ({@link StreamEvent}), so they
 * cross threads as they are; the hand-over goes in batches, not event by event.
 *
 * <p><b>Bounded memory.</b> At most {@code maxQueuedBytes} of sample payload is queued (one batch is always
 * admitted when nothing is queued); the reader waits for room.
 *
 * <p><b>Errors.</b> A {@link MediaException} of the input reaches the caller after the events read before it
 * were emitted, as on one thread. When the emitter fails, the reader is stopped and joined and the emitter's
 * exception is rethrown. Unchecked exceptions of the reader are rethrown on the caller.
 *
 * <p>Thread-safety: {@link #readAll} runs the emitter on the calling thread only; the input is used by the
 * background thread only, between the start and the end of the call.
 *
 * <pre>{@code
 * try (MediaInput in = MediaInputs.open(path, 0)) {
 *   BackgroundReader.readAll(in, packager, 8 << 20);
 * }
 * }</pre>
 */
final class BackgroundReader {
  /** Events per batch handed over. */
  private static final int BATCH_EVENTS = 128;
  /** Sample bytes per batch handed over (a batch closes when either limit is reached). */
  private static final long BATCH_BYTES = 1 << 20;

  private final MediaInput input;
  private final long maxQueuedBytes;
  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private long queuedBytes;
  /** The reader has stopped (normally or not). */
  private boolean done;
  /** The reader's readAll returned normally and its last batch is queued. */
  private boolean completed;
  /** The consumer gave up: the reader must stop. */
  private boolean cancelled;
  private MediaException inputFailure;
  private RuntimeException readerBug;

  /** Events and the payload bytes they hold. */
  private record Batch(List<StreamEvent> events, long bytes) {}

  private BackgroundReader(MediaInput input, long maxQueuedBytes) {
    this.input = input;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Reads all of {@code input} on a background thread, emitting every event to {@code out} on this thread, in
   * order; returns when the input is read and every event emitted.
   */
  static void readAll(MediaInput input, Emitter out, long maxQueuedBytes) throws MediaException {
    Preconditions.requireArgument(maxQueuedBytes > 0, "maxQueuedBytes %d must be positive", maxQueuedBytes);
    new BackgroundReader(input, maxQueuedBytes).run(out);
  }

  private void run(Emitter out) throws MediaException {
    Thread reader = new Thread(this::read, "iptv-demux");
    reader.setDaemon(true);
    reader.start();
    boolean finished = false;
    try {
      drain(out);
      finished = true;
    } finally {
      if (!finished) {
        cancel();
      }
      join(reader);
    }
  }

  /** Emits batches until the reader is done; then rethrows its failure, if any. */
  private void drain(Emitter out) throws MediaException {
    while (true) {
      Batch batch;
      synchronized (this) {
        while (queue.isEmpty() && !done) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MediaException.of(MediaException.Kind.IO, "interrupted while reading the input");
          }
        }
        batch = queue.poll();
        if (batch == null) { // done and drained
          if (inputFailure != null) {
            throw inputFailure;
          }
          if (readerBug != null) {
            throw readerBug;
          }
          if (!completed) {
            throw MediaException.of(MediaException.Kind.IO, "the input reader thread stopped unexpectedly");
          }
          return;
        }
      }
      for (StreamEvent event : batch.events) {
        out.emit(event);
      }
      synchronized (this) {
        queuedBytes -= batch.bytes;
        notifyAll();
      }
    }
  }

  /** The background thread: reads the input into batches. */
  private void read() {
    Batcher batcher = new Batcher();
    try {
      input.readAll(batcher);
      batcher.flush();
      synchronized (this) {
        completed = true;
      }
    } catch (MediaException e) {
      try {
        batcher.flush(); // the events before the failure are emitted, as on one thread
      } catch (MediaException cancelled) {
        // the consumer gave up already: nobody emits them
      }
      synchronized (this) {
        inputFailure = e;
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        readerBug = e;
      }
    } finally {
      synchronized (this) {
        done = true;
        notifyAll();
      }
    }
  }

  /** Collects events into batches and queues each, waiting for room. */
  private final class Batcher implements Emitter {
    private List<StreamEvent> events = new ArrayList<>(BATCH_EVENTS);
    private long bytes;

    @Override
    public void emit(StreamEvent event) throws MediaException {
      events.add(event);
      if (event instanceof MediaSample sample) {
        bytes += sample.sizeBytes();
      }
      if (events.size() >= BATCH_EVENTS || bytes >= BATCH_BYTES) {
        flush();
      }
    }

    void flush() throws MediaException {
      if (events.isEmpty()) {
        return;
      }
      enqueue(new Batch(events, bytes));
      events = new ArrayList<>(BATCH_EVENTS);
      bytes = 0;
    }
  }

  private synchronized void enqueue(Batch batch) throws MediaException {
    while (!cancelled && queuedBytes > 0 && queuedBytes + batch.bytes > maxQueuedBytes) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MediaException.of(MediaException.Kind.IO, "interrupted while queueing input events");
      }
    }
    if (cancelled) {
      throw MediaException.of(MediaException.Kind.IO, "packaging stopped; input reading cancelled");
    }
    queue.add(batch);
    queuedBytes += batch.bytes;
    notifyAll();
  }

  private synchronized void cancel() {
    cancelled = true;
    queue.clear();
    queuedBytes = 0;
    notifyAll();
  }

  private static void join(Thread reader) {
    boolean interrupted = false;
    while (reader.isAlive()) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        interrupted = true; // the reader stops at its next batch (cancelled); finish joining, then restore
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
