package io.iptv.core.time;

import java.time.Duration;

/**
 * Constants and conversions for 90 kHz media timestamps (ISO/IEC 13818-1 §2.4.3.7 PTS/DTS units).
 *
 * <p>Inside the library every timestamp is a {@code long} in 90 kHz ticks whose name ends in {@code 90k}
 * ({@code pts90k}, {@code duration90k}). Public API that speaks to people uses {@link Duration}.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * Duration d = Timestamps.toDuration(lastPts90k - firstPts90k);
 * }</pre>
 */
public final class Timestamps {
  private Timestamps() {}

  /** Ticks per second of the MPEG system clock base used for PTS/DTS. */
  public static final long TICKS_PER_SECOND = 90_000L;

  /** Marks an absent timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** Number of distinct 33-bit PTS values: PTS/DTS wrap at this value (about 26.5 hours). */
  public static final long WRAP_90K = 1L << 33;

  /** Converts 90 kHz ticks to a {@link Duration} (nanosecond precision, no overflow for realistic spans). */
  public static Duration toDuration(long ticks90k) {
    long seconds = Math.floorDiv(ticks90k, TICKS_PER_SECOND);
    long remainder = Math.floorMod(ticks90k, TICKS_PER_SECOND);
    return Duration.ofSeconds(seconds, remainder * 100_000L / 9L);
  }

  /** Converts a duration to 90 kHz ticks, rounding toward zero. */
  public static long fromDuration(Duration duration) {
    return Math.addExact(Math.multiplyExact(duration.getSeconds(), TICKS_PER_SECOND), duration.getNano() * 9L / 100_000L);
  }

  /** Converts 90 kHz ticks to seconds. */
  public static double toSeconds(long ticks90k) {
    return ticks90k / (double) TICKS_PER_SECOND;
  }

  /** Rescales {@code value} from {@code fromTimescale} to {@code toTimescale} units, rounding to nearest. */
  public static long rescale(long value, long fromTimescale, long toTimescale) {
    // Fast path in long arithmetic when value * toTimescale + fromTimescale / 2 cannot overflow; same result
    // as the exact path below (Java division truncates toward zero, as BigInteger.divide does).
    long product = value * toTimescale;
    long high = Math.multiplyHigh(value, toTimescale);
    long half = fromTimescale / 2;
    if (high == (product >> 63) && fromTimescale > 0 && half >= 0) {
      long sum = product + half;
      if (((product ^ sum) & (half ^ sum)) >= 0) { // no overflow in the addition
        return sum / fromTimescale;
      }
    }
    return java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(toTimescale))
        .add(java.math.BigInteger.valueOf(fromTimescale / 2))
        .divide(java.math.BigInteger.valueOf(fromTimescale)).longValueExact();
  }
}
