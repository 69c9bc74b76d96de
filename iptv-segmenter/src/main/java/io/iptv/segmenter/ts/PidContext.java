package io.iptv.segmenter.ts;

/**
 * What the demuxer keeps per PID: its role, continuity_counter state (ISO/IEC 13818-1 §2.4.3.3), a copy of
 * the last packet to recognise a duplicate, counters and PCR measurements. Created on first sight of the PID
 * (at most 8192); nothing is allocated per packet. Not thread-safe.
 */
final class PidContext {
  final int pid;
  /** PSI sections of this PID (PAT, PMTs); null if none. */
  SectionReader psi;
  /** Elementary stream of the selected program on this PID; null if none. */
  EsTrack track;
  /** Whether this PID carries the selected program's PCR. */
  boolean programPcr;

  int lastCc = -1;
  boolean lastWasDuplicate;
  final byte[] lastPacket = new byte[TsPacketFramer.TS_PACKET_SIZE];
  boolean hasLastPacket;
  /** Discontinuity events acknowledged by this PID's discontinuity_indicator. */
  int signalledGeneration;

  long packets;
  long ccErrors;
  long duplicates;
  long scrambled;
  long tei;
  PcrAnalyzer pcr;

  PidContext(int pid) {
    this.pid = pid;
  }

  PidStatistics snapshot(long spanTicks27MHz) {
    long bitrate = spanTicks27MHz > 0
        ? (long) (packets * (double) TsPacketFramer.TS_PACKET_SIZE * 8 * 27_000_000L / spanTicks27MHz) : 0;
    return new PidStatistics(pid, packets, ccErrors, duplicates, scrambled, tei, bitrate,
        pcr == null ? 0 : pcr.count,
        pcr == null ? 0 : PcrAnalyzer.ticksToNanos(pcr.maxIntervalTicks),
        pcr == null ? 0 : PcrAnalyzer.ticksToNanos(pcr.maxJitterTicks));
  }
}
