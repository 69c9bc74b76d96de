package io.iptv.segmenter.ts;

/**
 * Counters of one PID, as a snapshot. Immutable.
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
 * @param pcrJitterMaxNanos largest PCR deviation from the arrival time predicted by the byte position, or 0
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
