package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The incremental form of {@link BandwidthCalculator} for playlists that never end (LIVE) or grow for hours
 * (EVENT): segments are added one at a time and the peak and average segment bit rates of everything added
 * so far (RFC 8216 §4.3.4.2) are available at any time, in memory bounded by the segments that fit in
 * 1.5 target durations, not by the stream's length.
 *
 * <p>The peak is the largest bit rate of any contiguous set of segments lasting 0.5 to 1.5 target
 * durations. Every such set is looked at once, when its last segment arrives: the tracker keeps only the
 * newest segments whose total duration is at most 1.5 target durations, since a set reaching back further
 * is too long now and forever. Results equal {@link BandwidthCalculator#peakBitRate} and
 * {@link BandwidthCalculator#averageBitRate} over the full list, bit for bit.
 *
 * <p>Not thread-safe.
 *
 * <pre>{@code
 * BandwidthTracker tracker = new BandwidthTracker(6);
 * tracker.add(new BandwidthCalculator.SegmentSize(Duration.ofSeconds(6), 4_500_000));
 * BandwidthCalculator.BitRates rates = tracker.bitRates();
 * }</pre>
 */
public final class BandwidthTracker {
  private final long minNanos;
  private final long maxNanos;
  private final ArrayDeque<BandwidthCalculator.SegmentSize> tail = new ArrayDeque<>();
  private long tailNanos;
  private long totalNanos;
  private long totalBytes;
  private double peak = -1;
  private long count;

  /** A tracker for a playlist whose EXT-X-TARGETDURATION is {@code targetDurationSeconds}. */
  public BandwidthTracker(int targetDurationSeconds) {
    Preconditions.requireArgument(targetDurationSeconds >= 1, "target duration %d < 1", targetDurationSeconds);
    this.minNanos = targetDurationSeconds * 500_000_000L;
    this.maxNanos = targetDurationSeconds * 1_500_000_000L;
  }

  /** Adds the next segment. */
  public void add(BandwidthCalculator.SegmentSize segment) {
    long segmentNanos = segment.duration().toNanos();
    count++;
    totalNanos += segmentNanos;
    totalBytes += segment.bytes();
    tail.addLast(segment);
    tailNanos += segmentNanos;
    // Sets ending with this segment, newest first, until they grow longer than 1.5 target durations.
    long nanos = 0;
    long bytes = 0;
    for (Iterator<BandwidthCalculator.SegmentSize> it = tail.descendingIterator(); it.hasNext(); ) {
      BandwidthCalculator.SegmentSize s = it.next();
      nanos += s.duration().toNanos();
      bytes += s.bytes();
      if (nanos > maxNanos) {
        break;
      }
      if (nanos >= minNanos) {
        peak = Math.max(peak, bytes * 8e9 / nanos);
      }
    }
    // A segment that makes every set ending now too long does so for every later set as well.
    while (tailNanos > maxNanos) {
      tailNanos -= tail.removeFirst().duration().toNanos();
    }
  }

  /** Segments added so far. */
  public long segmentCount() {
    return count;
  }

  /** Segments currently held (bounded by 1.5 target durations of media; for tests and metrics). */
  public int retainedSegments() {
    return tail.size();
  }

  /** Peak and average bit rates of all segments added so far (zero before the first). */
  public BandwidthCalculator.BitRates bitRates() {
    long average = totalNanos == 0 ? 0 : (long) Math.ceil(totalBytes * 8e9 / totalNanos);
    return new BandwidthCalculator.BitRates(peak < 0 ? average : (long) Math.ceil(peak), average);
  }
}
