package io.iptv.core.time;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;
import static io.iptv.core.time.Timestamps.WRAP_90K;

/**
 * The one place that undoes the 33-bit wrap of MPEG timestamps (ISO/IEC 13818-1 §2.4.3.7): turns raw
 * PTS/DTS/PCR-base values, which restart at 0 every 2^33 ticks (about 26.5 hours), into one monotonic
 * 64-bit timeline.
 *
 * <p>Each raw value is placed in the 2^33 period that puts it nearest to the last value seen. So values of
 * all streams of one program can share one unwrapper (use one per program): audio slightly behind video,
 * B-frames presented before their decode neighbours and a PCR a little ahead all land in the right period,
 * as long as they are within 2^32 ticks (13 hours) of each other. The first value defines period 0, so a
 * stream that starts at 2^33 - 1 continues at 2^33, 2^33 + 1, and so on.
 *
 * <p>Not thread-safe: confine an instance to the thread that demuxes its program.
 *
 * <pre>{@code
 * PtsUnwrapper clock = new PtsUnwrapper();
 * long pts90k = clock.unwrap(rawPts33);   // 8589934591 → 8589934591, then 5 → 8589934597
 * }</pre>
 */
public final class PtsUnwrapper {
  private static final long HALF_WRAP = WRAP_90K / 2;
  private static final long MASK_33 = WRAP_90K - 1;

  private long last = NO_TIMESTAMP;
  private long maxEpoch;
  private int wrapCount;

  /**
   * Unwraps a raw 33-bit value (only its low 33 bits are used) and makes the result the new reference.
   *
   * @return the value on the 64-bit timeline
   */
  public long unwrap(long raw33) {
    long unwrapped = nearest(raw33);
    long epoch = Math.floorDiv(unwrapped, WRAP_90K);
    if (last != NO_TIMESTAMP && epoch > maxEpoch) {
      wrapCount += (int) (epoch - maxEpoch);
    }
    if (last == NO_TIMESTAMP || epoch > maxEpoch) {
      maxEpoch = epoch;
    }
    last = unwrapped;
    return unwrapped;
  }

  /**
   * Unwraps a raw 33-bit value against the current reference without changing it; for values that are
   * announced ahead of time (SCTE-35 splice times) rather than observed.
   */
  public long nearest(long raw33) {
    long raw = raw33 & MASK_33;
    if (last == NO_TIMESTAMP) {
      return raw;
    }
    long base = last - Math.floorMod(last, WRAP_90K);
    long candidate = base + raw;
    long delta = candidate - last;
    if (delta > HALF_WRAP) {
      candidate -= WRAP_90K;
    } else if (delta < -HALF_WRAP) {
      candidate += WRAP_90K;
    }
    return candidate;
  }

  /** The last unwrapped value, or {@link Timestamps#NO_TIMESTAMP} before the first. */
  public long lastValue() {
    return last;
  }

  /** How many times the timeline crossed forward into a new 2^33 period. */
  public int wrapCount() {
    return wrapCount;
  }

  /** Re-wraps a timeline value to 33 bits, for writing into MPEG-TS. */
  public static long wrap(long unwrapped90k) {
    return unwrapped90k & MASK_33;
  }
}
