package io.iptv.segmenter.live;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in order, on a shared executor: many channels share a few threads, and each
 * channel's work never runs concurrently with itself (so its demuxer and packager need no locks). The
 * ordering guarantee also gives happens-before between consecutive tasks. When the executor rejects work (the
 * host shut it down), queued tasks run on the submitting thread instead, so that a channel can still close.
 * Thread-safe.
 */
final class SerialExecutor implements Executor {
  private final Executor executor;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      try {
        executor.execute(this::runAll);
      } catch (RejectedExecutionException e) {
        // The host shut its executor down (teardown): run what is queued here, so that closing still flushes and
        // completes. Safe: `running` was ours, so no task of this executor runs elsewhere.
        runInline();
      }
    }
  }

  private void runInline() {
    try {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
    } finally {
      running.set(false);
    }
  }

  private void runAll() {
    try {
      Runnable task;
      // One task per turn keeps channels fair on a small pool; the next turn is queued behind other channels.
      if ((task = tasks.poll()) != null) {
        task.run();
      }
    } finally {
      running.set(false);
      schedule();
    }
  }
}
