package io.iptv.cache;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.serve.CachePolicy;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A byte-bounded, single-flight cache of served resources in front of a {@link ResourceLoader}.
 *
 * <ul>
 *   <li><b>Bytes.</b> Entries are weighed by body size (plus a small fixed overhead) against
 *       {@code maximumBytes}; eviction follows Caffeine's W-TinyLFU, which keeps popular segments better than
 *       LRU under skewed (Zipf) access.
 *   <li><b>Expiry per kind.</b> Lifetimes come from a {@link CachePolicy}: live playlists about half a target
 *       duration, VOD indexes and segments long, keys and licences never stored.
 *   <li><b>Single flight.</b> Concurrent misses for one key share one load.
 *   <li><b>Negative caching.</b> A not-found answer is kept for {@link CachePolicy#notFoundMaxAge()}.
 *   <li><b>Revalidation.</b> Expired indexes are kept for {@code staleRetention} more; the next request then
 *       calls {@link ResourceLoader#revalidateAsync} (an edge loader sends {@code If-None-Match}). If that
 *       fails, the stale copy is served on (stale-if-error, RFC 5861 §4), retried at most once a second, until
 *       its retention ends.
 * </ul>
 * A SegmentCache is itself a {@link ResourceLoader}, so it can be given to an {@code OriginHandler} or stacked.
 * No Caffeine type appears in this API.
 *
 * <p>Thread-safe. The cache starts no threads: loads run on the builder's executor (default the common pool).
 *
 * <pre>{@code
 * SegmentCache cache = SegmentCache.builder().maximumBytes(512L << 20).build(directoryLoader);
 * OriginHandler origin = OriginHandler.builder(cache).build();
 * cache.get(ResourceKey.parse("/news/seg-42.ts")).thenAccept(resource -> ...);
 * }</pre>
 */
public interface SegmentCache extends ResourceLoader {
  /**
   * The resource for {@code key}: from the cache, or loaded once however many callers ask at the same time.
   * Completes with {@code null} if the resource does not exist, exceptionally with the loader's failure.
   */
  CompletableFuture<ServedResource> get(ResourceKey key);

  /** Drops {@code key} from the cache. */
  void invalidate(ResourceKey key);

  /** A statistics snapshot. */
  CacheMetrics metrics();

  /** Performs pending maintenance (evictions, expiry) now; useful in tests. */
  void cleanUp();

  @Override
  default ServedResource load(ResourceKey key) throws IOException {
    try {
      return get(key).join();
    } catch (RuntimeException e) {
      Throwable cause = ResourceLoader.unwrap(e);
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw e;
    }
  }

  /** Returns {@link #get}: already complete on a hit, so callers never change threads. */
  @Override
  default CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    return get(key);
  }

  /** A builder; {@link Builder#maximumBytes} is required. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SegmentCache}; each setter validates at once and may be called once. Not thread-safe. */
  final class Builder {
    long maximumBytes = -1;
    CachePolicy policy;
    Executor executor;
    Ticker ticker;
    CacheListener listener;
    Duration staleRetention;

    private Builder() {}

    /** The byte budget (required). */
    public Builder maximumBytes(long value) {
      Preconditions.requireState(maximumBytes < 0, "maximumBytes was already set to %s", maximumBytes);
      Preconditions.requireArgument(value > 0, "maximumBytes must be positive: %s", value);
      maximumBytes = value;
      return this;
    }

    /** Lifetimes per resource kind (default {@link CachePolicy#defaults()}); use the origin's policy. */
    public Builder cachePolicy(CachePolicy value) {
      Preconditions.requireState(policy == null, "cachePolicy was already set");
      policy = Objects.requireNonNull(value, "cachePolicy");
      return this;
    }

    /** Where loads and maintenance run (default {@link ForkJoinPool#commonPool()}). */
    public Builder executor(Executor value) {
      Preconditions.requireState(executor == null, "executor was already set");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** The time source for expiry (default {@link Ticker#system()}). */
    public Builder ticker(Ticker value) {
      Preconditions.requireState(ticker == null, "ticker was already set");
      ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    /** Receives load and eviction events (default none). */
    public Builder listener(CacheListener value) {
      Preconditions.requireState(listener == null, "listener was already set");
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** How long expired playlists and manifests are kept for revalidation (default 30 s; zero disables). */
    public Builder staleRetention(Duration value) {
      Preconditions.requireState(staleRetention == null, "staleRetention was already set to %s", staleRetention);
      Preconditions.requireArgument(!Objects.requireNonNull(value, "staleRetention").isNegative(),
          "staleRetention must not be negative: %s", value);
      staleRetention = value;
      return this;
    }

    /** Builds a cache loading through {@code loader}. */
    public SegmentCache build(ResourceLoader loader) {
      Objects.requireNonNull(loader, "loader");
      Preconditions.requireState(maximumBytes > 0, "maximumBytes is required");
      return new CaffeineSegmentCache(this, loader);
    }
  }
}
