package io.iptv.cache;

import io.iptv.core.serve.ResourceKey;
import java.time.Duration;

/**
 * Receives cache events as they happen, for metrics bridges (Micrometer, JFR). Every method has a no-op default.
 *
 * <p>Methods are called on loader and maintenance threads, concurrently. They must be fast, must not block or
 * do I/O, and must not throw (OkHttp's EventListener rules).
 *
 * <pre>{@code
 * CacheListener listener = new CacheListener() {
 *   @Override public void onLoad(ResourceKey key, Duration latency, boolean found) { timer.record(latency); }
 * };
 * }</pre>
 */
public interface CacheListener {
  /** A load completed; {@code found} is false for a (negatively cached) 404. */
  default void onLoad(ResourceKey key, Duration latency, boolean found) {}

  /** A load failed; nothing was cached. */
  default void onLoadFailure(ResourceKey key, Duration latency, Throwable error) {}

  /** A stale entry was revalidated; {@code unchanged} if the loader returned the same bytes. */
  default void onRevalidated(ResourceKey key, boolean unchanged) {}

  /** An entry was evicted. */
  default void onEviction(ResourceKey key, long bytes, EvictionReason reason) {}

  /** Why an entry left the cache. */
  enum EvictionReason {
    /** The byte budget was exceeded. */
    SIZE,
    /** Its lifetime ended. */
    EXPIRED
  }

  /** A listener that ignores everything. */
  static CacheListener none() {
    return new CacheListener() {};
  }
}
