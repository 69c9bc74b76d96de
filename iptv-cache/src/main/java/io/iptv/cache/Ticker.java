package io.iptv.cache;

/**
 * A monotonic time source in nanoseconds, injected into {@link SegmentCache.Builder#ticker} so expiry can be
 * tested without sleeping.
 *
 * <p>Implementations must be thread-safe.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * SegmentCache cache = SegmentCache.builder().ticker(now::get).build(loader);
 * now.addAndGet(Duration.ofSeconds(5).toNanos());
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {
  /** The current time in nanoseconds from an arbitrary origin. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
