package io.iptv.segmenter.ts;

import java.util.List;

/**
 * Counters of a whole transport stream, as a snapshot; what a headend operator looks at first. Taken by
 * {@link TsDemuxer#statistics()} or pushed to a {@link TsStatisticsListener}. Immutable and thread-safe.
 *
 * <pre>{@code
 * TsStatistics s = demuxer.statistics();
 * System.out.printf("%d packets, %d CC errors, %d kbit/s%n", s.packets(), s.ccErrors(), s.bitrateBitsPerSecond() / 1000);
 * }</pre>
 *
 * @param packetSize detected packet size (188, 192 or 204), or 0 before sync
 * @param bytesIn bytes fed
 * @param packets whole packets parsed
 * @param syncLosses times sync was lost and searched again
 * @param bytesSkipped bytes skipped while searching for sync (garbage)
 * @param truncatedBytes bytes of an incomplete last packet ignored at the end
 * @param teiPackets packets dropped for transport_error_indicator
 * @param damagedPackets packets skipped for an inconsistent header (adaptation_field_length out of range,
 *     reserved adaptation_field_control)
 * @param crcErrors PAT and PMT sections ignored for a bad CRC_32
 * @param ccErrors continuity-counter gaps over all PIDs
 * @param discontinuities timeline discontinuities emitted (signalled or detected)
 * @param timestampWraps 33-bit wraps crossed by the selected program's timeline
 * @param dtsAfterPts PES packets whose DTS was later than their PTS (tolerated)
 * @param pesDropped PES packets dropped (CC gap, oversize, malformed header)
 * @param durationNanos continuous span of the selected program's PCR (or of its first audio/video stream's
 *     DTS when it has no PCR), timestamp jumps excluded, or 0
 * @param bitrateBitsPerSecond overall bit rate (188-byte packets between the first and last PCR, else all
 *     packets) over that span, or 0
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
    long damagedPackets,
    long crcErrors,
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
