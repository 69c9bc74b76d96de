package io.iptv.segmenter.ts;

/**
 * Measures the PCRs of one PID (ISO/IEC 13818-1 §2.4.2.2, §D.0.3): how many, the longest interval between
 * two, and the jitter. Jitter is the deviation of each PCR from the value interpolated linearly between its
 * two neighbours by byte position (a constant-bit-rate model over three PCRs), so a multiplex with a steady
 * rate and exact PCRs shows 0 whatever its absolute rate. Works on raw 42-bit PCR values modulo their wrap;
 * a gap of more than a second or a discontinuity_indicator restarts the measurement. Not thread-safe.
 */
final class PcrAnalyzer {
  /** PCR ticks (27 MHz) per 2^33 base wrap. */
  static final long PCR_WRAP = (1L << 33) * 300;
  private static final long MAX_INTERVAL_27MHZ = 27_000_000L;

  private long previousPcr = -1;
  private long previousPosition;
  private long olderPcr = -1;
  private long olderPosition;

  long count;
  long maxIntervalTicks;
  long maxJitterTicks;

  /**
   * Adds one PCR.
   *
   * @param pcr27MHz program_clock_reference_base * 300 + extension
   * @param bytePosition position of the packet carrying it in the stream
   * @param discontinuity whether the packet's discontinuity_indicator was set
   */
  void onPcr(long pcr27MHz, long bytePosition, boolean discontinuity) {
    count++;
    if (discontinuity || previousPcr < 0) {
      restart(pcr27MHz, bytePosition);
      return;
    }
    long interval = Math.floorMod(pcr27MHz - previousPcr, PCR_WRAP);
    if (interval > MAX_INTERVAL_27MHZ || bytePosition <= previousPosition) {
      restart(pcr27MHz, bytePosition);
      return;
    }
    maxIntervalTicks = Math.max(maxIntervalTicks, interval);
    if (olderPcr >= 0) {
      long span = interval + Math.floorMod(previousPcr - olderPcr, PCR_WRAP);
      double fraction = (previousPosition - olderPosition) / (double) (bytePosition - olderPosition);
      double predicted = span * fraction;
      long actual = Math.floorMod(previousPcr - olderPcr, PCR_WRAP);
      maxJitterTicks = Math.max(maxJitterTicks, Math.round(Math.abs(actual - predicted)));
    }
    olderPcr = previousPcr;
    olderPosition = previousPosition;
    previousPcr = pcr27MHz;
    previousPosition = bytePosition;
  }

  private void restart(long pcr27MHz, long bytePosition) {
    olderPcr = -1;
    previousPcr = pcr27MHz;
    previousPosition = bytePosition;
  }

  static long ticksToNanos(long ticks27MHz) {
    return ticks27MHz * 1000 / 27;
  }
}
