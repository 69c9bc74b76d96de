package io.iptv.segmenter.ts;

import java.util.List;

/**
 * Counters of a whole transport stream, as a snapshot; what a headend operator looks at first. Immutable.
 *
 * @param packetSize detected packet size (188, 192 or 204), or 0 before sync
 * @param bytesIn bytes fed
 * @param packets whole packets parsed
 * @param syncLosses times sync was lost and searched again
 * @param bytesSkipped bytes skipped while searching for sync (garbage)
 * @param truncatedBytes bytes of an incomplete last packet ignored at the end
 * @param teiPackets packets dropped for transport_error_indicator
 * @param ccErrors continuity-counter gaps over all PIDs
 * @param discontinuities timeline discontinuities emitted (signalled or detected)
 * @param timestampWraps 33-bit wraps crossed by the selected program's timeline
 * @param dtsAfterPts PES packets whose DTS was later than their PTS (tolerated)
 * @param pesDropped PES packets dropped (CC gap, oversize, malformed header)
 * @param durationNanos span of the selected program's PCR (or PTS when it has no PCR), or 0
 * @param bitrateBitsPerSecond overall bit rate over that span, or 0
 * @param pids per-PID counters, by PID
 */
public record TsStatistics(
    int packetSize,
    long bytesIn,
    long packets,
    long syncLosses,
    long bytesSkipped,
    long truncatedBytes,
    long teiPackets,
    long ccErrors,
    long discontinuities,
    int timestampWraps,
    long dtsAfterPts,
    long pesDropped,
    long durationNanos,
    long bitrateBitsPerSecond,
    List<PidStatistics> pids) {
  /** Copies. */
  public TsStatistics {
    pids = List.copyOf(pids);
  }
}
