package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Computes BANDWIDTH and AVERAGE-BANDWIDTH of {@code EXT-X-STREAM-INF} from segment sizes (RFC 8216
 * §4.3.4.2).
 *
 * <ul>
 *   <li><b>Peak segment bit rate</b>: "the largest bit rate of any contiguous set of segments whose total
 *       duration is between 0.5 and 1.5 times the target duration", the bit rate of a set being its total
 *       size divided by its total duration. A short last segment alone therefore does not inflate the peak
 *       (shaka#498). If no such set exists (the playlist is shorter than half a target duration), the
 *       bit rate of the whole playlist is used.
 *   <li><b>Average segment bit rate</b>: the total size of all segments divided by the playlist duration.
 *   <li>A variant's BANDWIDTH is the sum over its playable combination of renditions: see
 *       {@link #combinePeak(long, Collection)}.
 * </ul>
 * Sizes include container overhead (TS packets, init sections if the caller adds them), not HTTP. Results
 * are bits per second rounded up. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<BandwidthCalculator.SegmentSize> sizes = List.of(
 *     new BandwidthCalculator.SegmentSize(Duration.ofSeconds(6), 1_500_000), ...);
 * long peak = BandwidthCalculator.peakBitRate(sizes, 6);
 * long average = BandwidthCalculator.averageBitRate(sizes);
 * }</pre>
 */
public final class BandwidthCalculator {
  private BandwidthCalculator() {}

  /**
   * One segment's duration and size.
   *
   * @param duration EXTINF duration
   * @param bytes size in bytes
   */
  public record SegmentSize(Duration duration, long bytes) {
    /** Validates. */
    public SegmentSize {
      Objects.requireNonNull(duration, "duration");
      Preconditions.requireArgument(!duration.isNegative() && bytes >= 0, "invalid segment size");
    }
  }

  /**
   * The two bit rates of an {@code EXT-X-STREAM-INF}, in bits/s.
   *
   * @param peak peak segment bit rate (BANDWIDTH)
   * @param average average segment bit rate (AVERAGE-BANDWIDTH)
   */
  public record BitRates(long peak, long average) {
    /** Validates. */
    public BitRates {
      Preconditions.requireArgument(peak >= 0 && average >= 0, "negative bit rate");
    }

    /** Both rates of {@code segments} for EXT-X-TARGETDURATION {@code targetDurationSeconds}. */
    public static BitRates of(List<SegmentSize> segments, int targetDurationSeconds) {
      return new BitRates(peakBitRate(segments, targetDurationSeconds), averageBitRate(segments));
    }
  }

  /** Peak segment bit rate in bits/s (RFC 8216 §4.3.4.2); 0 for no segments. */
  public static long peakBitRate(List<SegmentSize> segments, int targetDurationSeconds) {
    Preconditions.requireArgument(targetDurationSeconds >= 1, "target duration %d < 1", targetDurationSeconds);
    long minNanos = targetDurationSeconds * 500_000_000L;
    long maxNanos = targetDurationSeconds * 1_500_000_000L;
    double peak = -1;
    for (int i = 0; i < segments.size(); i++) {
      long nanos = 0;
      long bytes = 0;
      for (int j = i; j < segments.size(); j++) {
        nanos += segments.get(j).duration().toNanos();
        bytes += segments.get(j).bytes();
        if (nanos > maxNanos) {
          break;
        }
        if (nanos >= minNanos) {
          peak = Math.max(peak, bytes * 8e9 / nanos);
        }
      }
    }
    if (peak < 0) {
      return averageBitRate(segments);
    }
    return (long) Math.ceil(peak);
  }

  /** Average segment bit rate in bits/s: all bytes over the total duration; 0 for no duration. */
  public static long averageBitRate(List<SegmentSize> segments) {
    long nanos = 0;
    long bytes = 0;
    for (SegmentSize s : segments) {
      nanos += s.duration().toNanos();
      bytes += s.bytes();
    }
    return nanos == 0 ? 0 : (long) Math.ceil(bytes * 8e9 / nanos);
  }

  /**
   * BANDWIDTH of a variant whose own segments peak at {@code mainPeak} and which plays with one rendition
   * of a group (e.g. its AUDIO group): "the largest sum of peak segment bit rates that is produced by any
   * playable combination of Renditions", i.e. the main peak plus the largest rendition peak of the group.
   */
  public static long combinePeak(long mainPeak, Collection<Long> renditionPeaksOfGroup) {
    long max = 0;
    for (long p : renditionPeaksOfGroup) {
      max = Math.max(max, p);
    }
    return Math.addExact(mainPeak, max);
  }
}
