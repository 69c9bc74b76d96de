package io.iptv.segmenter.pkg;

import java.time.Duration;

/**
 * Observes a packager: one call per segment written. Implementations must be fast, must not throw and must
 * not block (OkHttp's {@code EventListener} rules); the host bridges them to metrics or a progress bar.
 * Called on the packager's thread.
 *
 * <pre>{@code
 * PackagingListener progress = (name, duration, bytes) -> written.addAndGet(bytes);
 * }</pre>
 */
@FunctionalInterface
public interface PackagingListener {
  /** A listener that does nothing. */
  PackagingListener NONE = (name, duration, bytes) -> { };

  /** A segment {@code name} of {@code bytes} bytes and {@code duration} was written. */
  void onSegmentWritten(String name, Duration duration, long bytes);
}
