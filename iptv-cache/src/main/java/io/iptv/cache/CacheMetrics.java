package io.iptv.cache;

import java.time.Duration;

/**
 * A snapshot of {@link SegmentCache} statistics since it was built.
 *
 * <p>Immutable.
 *
 * <pre>{@code
 * CacheMetrics m = cache.metrics();
 * log.info("hit ratio {} bytes {}", m.hitRatio(), m.weightedBytes());
 * }</pre>
 *
 * @param hitCount lookups answered from the cache (including stale entries that were revalidated)
 * @param missCount lookups that started or joined a load
 * @param loadSuccessCount loads that completed (found or not found)
 * @param loadFailureCount loads that failed
 * @param totalLoadTime time spent loading, summed
 * @param revalidationCount stale entries revalidated with the loader
 * @param evictionCount entries evicted (size or expiry)
 * @param evictedBytes bytes evicted
 * @param weightedBytes bytes held now (body sizes plus a fixed per-entry overhead)
 * @param entryCount entries held now (approximate)
 */
public record CacheMetrics(long hitCount, long missCount, long loadSuccessCount, long loadFailureCount,
    Duration totalLoadTime, long revalidationCount, long evictionCount, long evictedBytes, long weightedBytes,
    long entryCount) {

  /** Hits over lookups, or 1 with no lookups. */
  public double hitRatio() {
    long requests = hitCount + missCount;
    return requests == 0 ? 1.0 : (double) hitCount / requests;
  }

  /** Mean time of one load, or zero. */
  public Duration averageLoadTime() {
    long loads = loadSuccessCount + loadFailureCount;
    return loads == 0 ? Duration.ZERO : totalLoadTime.dividedBy(loads);
  }
}
