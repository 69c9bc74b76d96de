package io.iptv.segmenter.ts;

/**
 * Counters of one PID, as a snapshot taken by {@link TsDemuxer#statistics()}. Immutable and thread-safe.
 *
 * <p>Bit rates count 188-byte packets over the selected program's PCR span (all packets of the PID,
 * including those before the first PCR). PCR jitter is the deviation of each PCR from the value interpolated
 * linearly between its two neighbouring PCRs by byte position: 0 for a constant-rate multiplex with exact
 * PCRs; on a variable-rate stream (typical of encoder output written straight to a file) it also shows the
 * rate variation between PCRs, so compare it between captures of the same source rather than to an
 * absolute limit.
 *
 * <pre>{@code
 * for (PidStatistics pid : demuxer.statistics().pids()) {
 *   if (pid.ccErrors() > 0) { warn("PID " + pid.pid() + " lost packets"); }
 * }
 * }</pre>
 *
 * @param pid the PID
 * @param packets packets received (after TEI drop, duplicates included)
 * @param ccErrors continuity_counter gaps (ISO/IEC 13818-1 §2.4.3.3), each dropping the PES in progress
 * @param duplicatePackets duplicate packets ignored
 * @param scrambledPackets packets with transport_scrambling_control other than 00
 * @param teiPackets packets dropped for transport_error_indicator
 * @param bitrateBitsPerSecond average bit rate over the stream's PCR time span, or 0 when unknown
 * @param pcrCount PCRs carried on this PID
 * @param pcrIntervalMaxNanos longest gap between two PCRs on this PID (should be ≤ 100 ms), or 0
 * @param pcrJitterMaxNanos largest PCR deviation from the value interpolated between its neighbours by byte
 *     position (see above), or 0
 */
public record PidStatistics(
    int pid,
    long packets,
    long ccErrors,
    long duplicatePackets,
    long scrambledPackets,
    long teiPackets,
    long bitrateBitsPerSecond,
    long pcrCount,
    long pcrIntervalMaxNanos,
    long pcrJitterMaxNanos) {}
