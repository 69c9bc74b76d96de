package io.iptv.segmenter.live;

import java.time.Duration;
import java.util.Arrays;

/**
 * Records latencies in nanoseconds: all-time count, sum and max, plus the last {@value #WINDOW} values for
 * percentiles. Bounded memory, no allocation when recording. Thread-safe (synchronized).
 */
final class LatencyRecorder {
  static final int WINDOW = 1024;
  private final long[] recent = new long[WINDOW];
  private int next;
  private int filled;
  private long count;
  private long sumNanos;
  private long maxNanos;

  synchronized void record(long nanos) {
    long value = Math.max(0, nanos);
    recent[next] = value;
    next = (next + 1) % WINDOW;
    filled = Math.min(WINDOW, filled + 1);
    count++;
    sumNanos += value;
    maxNanos = Math.max(maxNanos, value);
  }

  synchronized LatencySummary summary() {
    if (count == 0) {
      return LatencySummary.EMPTY;
    }
    long[] sorted = Arrays.copyOf(recent, filled);
    Arrays.sort(sorted);
    return new LatencySummary(count, Duration.ofNanos(sumNanos / count), Duration.ofNanos(percentile(sorted, 50)),
        Duration.ofNanos(percentile(sorted, 99)), Duration.ofNanos(maxNanos));
  }

  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1; // nearest-rank method
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
