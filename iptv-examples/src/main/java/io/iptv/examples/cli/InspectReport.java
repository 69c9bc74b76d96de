package io.iptv.examples.cli;

import java.util.List;

/**
 * The result of {@link TsInspector}: what a headend operator wants to know about a transport stream.
 * Immutable.
 *
 * @param file the file name as given
 * @param sizeBytes file size
 * @param packetSize detected TS packet size (188, 192, 204)
 * @param durationSeconds media duration of the longest program
 * @param bitrateBitsPerSecond file size over duration
 * @param programs every program of the PAT, in PAT order
 * @param damage error counters over the whole file
 */
record InspectReport(
    String file,
    long sizeBytes,
    int packetSize,
    double durationSeconds,
    long bitrateBitsPerSecond,
    List<ProgramReport> programs,
    DamageReport damage) {

  /** One program. */
  record ProgramReport(int programNumber, int pmtPid, int pcrPid, double durationSeconds, List<StreamReport> streams) {}

  /** One elementary stream. */
  record StreamReport(
      int pid,
      int streamType,
      String type,
      String codec,
      String codecString,
      int width,
      int height,
      double frameRate,
      int sampleRate,
      int channels,
      String language,
      boolean scrambled,
      long packets,
      long ccErrors,
      long bitrateBitsPerSecond,
      long samples,
      long keyframes,
      double averageGopFrames,
      double averageGopSeconds,
      double firstPtsSeconds,
      double durationSeconds) {}

  /** Error and timing counters. */
  record DamageReport(
      long ccErrors,
      long teiPackets,
      long damagedPackets,
      long crcErrors,
      long syncLosses,
      long bytesSkipped,
      long truncatedBytes,
      long pesDropped,
      long discontinuities,
      int timestampWraps,
      long dtsAfterPts,
      List<Integer> scrambledPids) {}
}
