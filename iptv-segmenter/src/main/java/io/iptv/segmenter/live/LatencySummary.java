package io.iptv.segmenter.live;

import java.time.Duration;

/**
 * A summary of segment publish latencies: from the arrival of the input that completed a segment to the moment
 * the playlist listing it was published (see {@link LiveChannel}). Percentiles are over the most recent
 * samples (a bounded window); count, mean and max over the channel's whole life. Immutable.
 *
 * <pre>{@code
 * LatencySummary latency = channel.statistics().publishLatency();
 * if (latency.max().toMillis() > 50) { warn(latency); }
 * }</pre>
 *
 * @param count segments measured
 * @param mean average latency
 * @param p50 median of the recent window
 * @param p99 99th percentile of the recent window
 * @param max largest latency ever
 */
public record LatencySummary(long count, Duration mean, Duration p50, Duration p99, Duration max) {
  /** No measurement yet. */
  public static final LatencySummary EMPTY =
      new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
