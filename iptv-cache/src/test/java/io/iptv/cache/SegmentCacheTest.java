package io.iptv.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SegmentCacheTest {
  private static final String LIVE = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n";
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private SegmentCache.Builder direct() {
    return SegmentCache.builder().executor(Runnable::run).ticker(now::get);
  }

  @Test
  void thousandConcurrentMissesLoadOnce() throws Exception {
    CountingLoader loader = new CountingLoader().put("/news/seg-1.ts", new byte[100_000]);
    loader.gate = new CountDownLatch(1);
    ExecutorService loads = Executors.newFixedThreadPool(2);
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      SegmentCache cache = SegmentCache.builder().maximumBytes(10 << 20).executor(loads).build(loader);
      ResourceKey key = ResourceKey.parse("/news/seg-1.ts");
      CyclicBarrier start = new CyclicBarrier(16);
      List<CompletableFuture<CompletableFuture<ServedResource>>> calls = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = i;
        calls.add(CompletableFuture.supplyAsync(() -> {
          if (n < 16) {
            try {
              start.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
          return cache.get(key);
        }, callers));
      }
      List<CompletableFuture<ServedResource>> results = new ArrayList<>();
      for (CompletableFuture<CompletableFuture<ServedResource>> call : calls) {
        results.add(call.get(10, TimeUnit.SECONDS));
      }
      loader.gate.countDown();
      ServedResource first = results.get(0).get(10, TimeUnit.SECONDS);
      for (CompletableFuture<ServedResource> r : results) {
        assertSame(first, r.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, loader.loads.get());
      CacheMetrics m = cache.metrics();
      assertEquals(1000, m.hitCount() + m.missCount());
      assertEquals(1, m.loadSuccessCount());
    } finally {
      loader.gate.countDown();
      loads.shutdownNow();
      callers.shutdownNow();
    }
  }

  @Test
  void evictsByBytes() {
    CountingLoader loader = new CountingLoader();
    for (int i = 0; i < 50; i++) {
      loader.put("/news/seg-" + i + ".ts", new byte[10_000]);
    }
    List<String> evicted = new ArrayList<>();
    long budget = 10 * (10_000 + CaffeineSegmentCache.ENTRY_OVERHEAD_BYTES);
    SegmentCache cache = direct().maximumBytes(budget).listener(new CacheListener() {
      @Override
      public void onEviction(ResourceKey key, long bytes, EvictionReason reason) {
        assertEquals(EvictionReason.SIZE, reason);
        assertEquals(10_000, bytes);
        evicted.add(key.name());
      }
    }).build(loader);
    for (int i = 0; i < 50; i++) {
      assertNotNull(cache.get(ResourceKey.parse("/news/seg-" + i + ".ts")).join());
    }
    cache.cleanUp();
    CacheMetrics m = cache.metrics();
    assertTrue(m.weightedBytes() <= budget, "weighted " + m.weightedBytes() + " > " + budget);
    assertTrue(m.weightedBytes() >= budget - 2 * 10_256L, "cache kept too little: " + m.weightedBytes());
    assertEquals(40, m.evictionCount());
    assertEquals(40, evicted.size());
    assertEquals(40L * 10_256, m.evictedBytes());
  }

  @Test
  void livePlaylistExpiresAfterHalfATargetDurationAndSegmentsStay() {
    CountingLoader loader = new CountingLoader().put("/news/index.m3u8", LIVE).put("/news/seg-1.ts", new byte[10]);
    SegmentCache cache = direct().maximumBytes(1 << 20).build(loader);
    ResourceKey playlist = ResourceKey.parse("/news/index.m3u8");
    ResourceKey segment = ResourceKey.parse("/news/seg-1.ts");
    cache.get(playlist).join();
    cache.get(segment).join();
    advance(Duration.ofMillis(1900));
    cache.get(playlist).join();
    assertEquals(1, loader.loadsOf("/news/index.m3u8"), "fresh for 2 s (half of 4 s)");
    advance(Duration.ofMillis(200));
    cache.get(playlist).join();
    assertEquals(2, loader.loadsOf("/news/index.m3u8"), "stale after 2 s: reloaded");
    assertEquals(1, cache.metrics().revalidationCount());
    advance(Duration.ofDays(30));
    cache.get(segment).join();
    assertEquals(1, loader.loadsOf("/news/seg-1.ts"), "segments live long");
  }

  @Test
  void stalePlaylistIsServedWhileRevalidationFailsThenDropped() {
    CountingLoader loader = new CountingLoader().put("/news/index.m3u8", LIVE);
    SegmentCache cache = direct().maximumBytes(1 << 20).staleRetention(Duration.ofSeconds(10)).build(loader);
    ResourceKey playlist = ResourceKey.parse("/news/index.m3u8");
    ServedResource first = cache.get(playlist).join();
    loader.failure = new IOException("upstream down");
    advance(Duration.ofSeconds(3)); // stale (fresh for 2 s)
    assertSame(first, cache.get(playlist).join(), "stale-if-error");
    assertEquals(2, loader.loadsOf("/news/index.m3u8"));
    advance(Duration.ofMillis(500));
    assertSame(first, cache.get(playlist).join());
    assertEquals(2, loader.loadsOf("/news/index.m3u8"), "no retry within a second");
    advance(Duration.ofMillis(600));
    assertSame(first, cache.get(playlist).join());
    assertEquals(3, loader.loadsOf("/news/index.m3u8"), "retried after a second");
    advance(Duration.ofSeconds(9)); // past fresh (2 s) + retention (10 s)
    cache.cleanUp();
    assertThrows(CompletionException.class, () -> cache.get(playlist).join(), "retention over: the error shows");
    loader.failure = null;
    assertNotNull(cache.get(playlist).join());
  }

  @Test
  void notFoundIsCachedBriefly() {
    CountingLoader loader = new CountingLoader();
    SegmentCache cache = direct().maximumBytes(1 << 20).build(loader);
    ResourceKey key = ResourceKey.parse("/news/seg-9.ts");
    assertNull(cache.get(key).join());
    assertNull(cache.get(key).join());
    assertEquals(1, loader.loads.get());
    advance(Duration.ofSeconds(3));
    loader.put("/news/seg-9.ts", new byte[1]);
    assertNotNull(cache.get(key).join());
    assertEquals(2, loader.loads.get());
  }

  @Test
  void keysAreNeverStored() {
    CountingLoader loader = new CountingLoader().put("/news/keys/k1.key", new byte[16]);
    SegmentCache cache = direct().maximumBytes(1 << 20).build(loader);
    ResourceKey key = ResourceKey.parse("/news/keys/k1.key");
    assertArrayEquals(new byte[16], cache.get(key).join().body().toByteArray());
    cache.cleanUp();
    cache.get(key).join();
    assertEquals(2, loader.loads.get());
  }

  @Test
  void failuresAreNotCached() throws IOException {
    CountingLoader loader = new CountingLoader().put("/news/seg-1.ts", new byte[1]);
    loader.failure = new IOException("disk gone");
    AtomicInteger failures = new AtomicInteger();
    SegmentCache cache = direct().maximumBytes(1 << 20).listener(new CacheListener() {
      @Override
      public void onLoadFailure(ResourceKey key, Duration latency, Throwable error) {
        failures.incrementAndGet();
      }
    }).build(loader);
    ResourceKey key = ResourceKey.parse("/news/seg-1.ts");
    CompletionException e = assertThrows(CompletionException.class, () -> cache.get(key).join());
    assertEquals("disk gone", e.getCause().getMessage());
    assertThrows(IOException.class, () -> cache.load(key));
    loader.failure = null;
    assertNotNull(cache.load(key));
    assertEquals(3, loader.loads.get());
    assertEquals(2, failures.get());
    assertEquals(2, cache.metrics().loadFailureCount());
  }

  @Test
  void hitsAllocateNoNewFutureAndCountAsHits() {
    CountingLoader loader = new CountingLoader().put("/news/seg-1.ts", new byte[1]);
    SegmentCache cache = direct().maximumBytes(1 << 20).build(loader);
    ResourceKey key = ResourceKey.parse("/news/seg-1.ts");
    cache.get(key).join();
    CompletableFuture<ServedResource> a = cache.get(key);
    assertSame(a, cache.get(key));
    CacheMetrics m = cache.metrics();
    assertEquals(2, m.hitCount());
    assertEquals(1, m.missCount());
    assertEquals(2.0 / 3, m.hitRatio(), 1e-9);
  }

  @Test
  void builderIsStrict() {
    assertThrows(IllegalStateException.class, () -> SegmentCache.builder().build(new CountingLoader()));
    assertThrows(IllegalArgumentException.class, () -> SegmentCache.builder().maximumBytes(0));
    assertThrows(IllegalStateException.class, () -> SegmentCache.builder().maximumBytes(1).maximumBytes(2));
  }
}
