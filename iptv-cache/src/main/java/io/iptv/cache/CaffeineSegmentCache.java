package io.iptv.cache;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.iptv.core.serve.CachePolicy;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link SegmentCache} on a Caffeine {@code AsyncLoadingCache}. Internal: Caffeine stays an implementation
 * detail.
 *
 * <p>Each value is an {@link Entry}: the resource (or {@code null} for a cached 404), the ticker time until
 * which it is fresh, and a completed future handed out on hits so that a hit allocates nothing. Caffeine's
 * {@link Expiry} keeps an entry for its freshness plus, for playlists and manifests, the stale retention; a hit
 * on a stale entry swaps in a new future with {@code asMap().replace(key, old, new)}, so exactly one caller
 * revalidates while the others wait on the same future. If that revalidation fails, the stale copy is kept
 * (stale-if-error) with a one-second retry, but never beyond its stale retention.
 */
final class CaffeineSegmentCache implements SegmentCache {
  /** Bytes charged per entry on top of the body (key, entry, headers strings, map node). */
  static final int ENTRY_OVERHEAD_BYTES = 256;

  private final AsyncLoadingCache<ResourceKey, Entry> cache;
  private final ResourceLoader loader;
  private final CachePolicy policy;
  private final Ticker ticker;
  private final Executor executor;
  private final CacheListener listener;
  private final long staleRetentionNanos;
  private final ConcurrentMap<ResourceKey, CompletableFuture<Entry>> map;
  private final LongAdder revalidations = new LongAdder();
  private final LongAdder fastHits = new LongAdder();
  /** After a failed revalidation, how long the stale copy is served before the upstream is asked again. */
  static final long STALE_IF_ERROR_RETRY_NANOS = 1_000_000_000L;

  /** A cached answer. {@code resource} is null for a cached 404. */
  private record Entry(ServedResource resource, long freshUntilNanos, long lifetimeNanos, long retainUntilNanos,
      CompletableFuture<ServedResource> future) {
    int weight() {
      long bytes = (resource == null ? 0L : resource.body().length()) + ENTRY_OVERHEAD_BYTES;
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
  }

  CaffeineSegmentCache(SegmentCache.Builder b, ResourceLoader loader) {
    this.loader = loader;
    this.policy = b.policy != null ? b.policy : CachePolicy.defaults();
    this.ticker = b.ticker != null ? b.ticker : Ticker.system();
    this.executor = b.executor != null ? b.executor : ForkJoinPool.commonPool();
    this.listener = b.listener != null ? b.listener : CacheListener.none();
    this.staleRetentionNanos = (b.staleRetention != null ? b.staleRetention : Duration.ofSeconds(30)).toNanos();
    this.cache = Caffeine.newBuilder()
        .maximumWeight(b.maximumBytes)
        .weigher((ResourceKey key, Entry entry) -> entry.weight())
        .expireAfter(new EntryExpiry())
        .ticker(ticker::read)
        .executor(executor)
        .recordStats()
        .evictionListener((ResourceKey key, Entry entry, RemovalCause cause) -> {
          if (key != null && entry != null) {
            listener.onEviction(key, entry.resource == null ? 0 : entry.resource.body().length(),
                cause == RemovalCause.SIZE ? CacheListener.EvictionReason.SIZE : CacheListener.EvictionReason.EXPIRED);
          }
        })
        .buildAsync((key, loadExecutor) -> loadEntry(key, loadExecutor));
    this.map = cache.asMap();
  }

  @Override
  public CompletableFuture<ServedResource> get(ResourceKey key) {
    // The hit path: a plain map read (no compute lambda, no allocation, no Caffeine stats); hits are counted
    // here. A miss goes through cache.get, which loads once and records the miss.
    CompletableFuture<Entry> future = map.get(key);
    if (future == null) {
      future = cache.get(key);
    } else {
      fastHits.increment();
    }
    if (future.isDone() && !future.isCompletedExceptionally()) {
      Entry entry = future.join();
      if (ticker.read() - entry.freshUntilNanos <= 0) {
        return entry.future; // fresh hit: no allocation
      }
      return revalidate(key, future, entry);
    }
    return future.thenApply(Entry::resource);
  }

  private CompletableFuture<ServedResource> revalidate(ResourceKey key, CompletableFuture<Entry> stale,
      Entry entry) {
    CompletableFuture<Entry> replacement = new CompletableFuture<>();
    if (!cache.asMap().replace(key, stale, replacement)) {
      return cache.get(key).thenApply(Entry::resource); // another caller is revalidating, or it was removed
    }
    revalidations.increment();
    long start = ticker.read();
    CompletableFuture<ServedResource> reloading;
    try {
      reloading = entry.resource == null ? loader.loadAsync(key, executor)
          : loader.revalidateAsync(key, entry.resource, executor);
    } catch (RuntimeException e) {
      reloading = CompletableFuture.failedFuture(e);
    }
    reloading.whenComplete((resource, error) -> {
      long now = ticker.read();
      if (error != null) {
        listener.onLoadFailure(key, Duration.ofNanos(now - start), ResourceLoader.unwrap(error));
        if (entry.resource != null) {
          // stale-if-error (RFC 5861 §4): keep answering with the stale copy until its retention ends, asking
          // the upstream again at most once per STALE_IF_ERROR_RETRY.
          replacement.complete(staleAfterError(entry, now));
        } else {
          replacement.completeExceptionally(ResourceLoader.unwrap(error));
        }
        return;
      }
      listener.onRevalidated(key, resource != null && entry.resource != null
          && resource.etag().equals(entry.resource.etag()));
      replacement.complete(newEntry(resource, now));
    });
    return replacement.thenApply(Entry::resource);
  }

  private CompletableFuture<Entry> loadEntry(ResourceKey key, Executor loadExecutor) {
    long start = ticker.read();
    CompletableFuture<ServedResource> loading;
    try {
      loading = loader.loadAsync(key, loadExecutor);
    } catch (RuntimeException e) {
      loading = CompletableFuture.failedFuture(e);
    }
    return loading.handle((resource, error) -> {
      long now = ticker.read();
      Duration latency = Duration.ofNanos(now - start);
      if (error != null) {
        Throwable cause = ResourceLoader.unwrap(error);
        listener.onLoadFailure(key, latency, cause);
        throw new CompletionException(cause);
      }
      listener.onLoad(key, latency, resource != null);
      return newEntry(resource, now);
    });
  }

  private Entry staleAfterError(Entry stale, long now) {
    long remaining = Math.max(1, stale.retainUntilNanos - now);
    long retryAt = now + Math.min(STALE_IF_ERROR_RETRY_NANOS, remaining);
    return new Entry(stale.resource, retryAt, remaining, stale.retainUntilNanos, stale.future);
  }

  private Entry newEntry(ServedResource resource, long now) {
    Duration freshness = resource == null ? policy.notFoundMaxAge() : policy.freshness(resource);
    long freshNanos = saturatedNanos(freshness);
    long lifetime = freshNanos;
    if (resource != null && resource.key().kind().isIndex() && freshNanos > 0) {
      lifetime = saturatedAdd(freshNanos, staleRetentionNanos);
    }
    return new Entry(resource, saturatedAdd(now, freshNanos), lifetime, saturatedAdd(now, lifetime),
        CompletableFuture.completedFuture(resource));
  }

  private static long saturatedNanos(Duration duration) {
    return duration.compareTo(Duration.ofDays(100 * 365)) > 0 ? Long.MAX_VALUE / 4 : duration.toNanos();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE / 2 : sum;
  }

  @Override
  public void invalidate(ResourceKey key) {
    cache.synchronous().invalidate(key);
  }

  @Override
  public void cleanUp() {
    cache.synchronous().cleanUp();
  }

  @Override
  public CacheMetrics metrics() {
    CacheStats stats = cache.synchronous().stats();
    long weighted = cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new CacheMetrics(stats.hitCount() + fastHits.sum(), stats.missCount(), stats.loadSuccessCount(),
        stats.loadFailureCount(),
        Duration.ofNanos(stats.totalLoadTime()), revalidations.sum(), stats.evictionCount(), stats.evictionWeight(),
        weighted, cache.synchronous().estimatedSize());
  }

  @Override
  public String toString() {
    return "SegmentCache" + metrics();
  }

  /** Lifetime per entry, fixed when it is written. */
  private static final class EntryExpiry implements Expiry<ResourceKey, Entry> {
    @Override
    public long expireAfterCreate(ResourceKey key, Entry entry, long currentTime) {
      return entry.lifetimeNanos;
    }

    @Override
    public long expireAfterUpdate(ResourceKey key, Entry entry, long currentTime, long currentDuration) {
      return entry.lifetimeNanos;
    }

    @Override
    public long expireAfterRead(ResourceKey key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
