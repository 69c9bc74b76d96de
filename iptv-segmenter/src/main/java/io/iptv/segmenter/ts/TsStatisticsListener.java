package io.iptv.segmenter.ts;

/**
 * Receives {@link TsStatistics} snapshots from a {@link TsDemuxer}: periodically (every configured interval
 * of stream time) and once at {@code finish()}. Called on the demuxer's thread; must be fast, must not
 * throw and must not block (bridge to the host's metrics system).
 *
 * <pre>{@code
 * TsDemuxer demuxer = TsDemuxer.builder()
 *     .statisticsListener(s -> metrics.gauge("cc_errors", s.ccErrors()))
 *     .build(emitter);
 * }</pre>
 */
@FunctionalInterface
public interface TsStatisticsListener {
  /** A new snapshot. */
  void onStatistics(TsStatistics snapshot);
}
