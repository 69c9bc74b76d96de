package io.iptv.benchmarks;

import io.iptv.cache.SegmentCache;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte hit ratio and request hit ratio of {@link SegmentCache} (Caffeine W-TinyLFU) against a plain LRU
 * ({@link LinkedHashMap} in access order) with the same byte budget, under Zipf-distributed requests: the
 * popularity skew of a channel line-up or a VOD catalogue.
 *
 * <p>The workload: {@code segments} segments of realistic sizes (4 s at 0.8 / 1.6 / 3 / 5 Mbit/s, i.e. about
 * 0.4–2.5 MB, chosen at random per segment), popularity rank shuffled against size, requests drawn from
 * Zipf(s) over the ranks with a fixed seed, the first 10 % used to warm both caches and not counted. Budgets
 * are fractions of the total bytes of all segments. Deterministic: the same arguments print the same table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.iptv.benchmarks.ZipfHitRatio [segments] [s] [requests] [seed]
 * </pre>
 */
public final class ZipfHitRatio {
  private static final int[] BITRATES_KBPS = {800, 1600, 3000, 5000};
  private static final double[] BUDGETS = {0.01, 0.05, 0.10, 0.25};

  private ZipfHitRatio() {}

  /** Prints one line per byte budget. */
  public static void main(String[] args) {
    int segments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    double s = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
    Random random = new Random(seed);
    int[] sizes = new int[segments];
    long totalBytes = 0;
    for (int i = 0; i < segments; i++) {
      sizes[i] = BITRATES_KBPS[random.nextInt(BITRATES_KBPS.length)] * 1000 / 8 * 4;
      totalBytes += sizes[i];
    }
    int[] trace = zipfTrace(segments, s, requests, random);
    System.out.printf("Zipf s=%.2f, %d segments (%.1f GB), %d requests (first %d warm-up), seed %d%n",
        s, segments, totalBytes / 1e9, requests, requests / 10, seed);
    System.out.printf("%-8s %12s %14s %14s %14s %14s%n", "budget", "bytes", "TinyLFU req", "LRU req",
        "TinyLFU bytes", "LRU bytes");
    for (double fraction : BUDGETS) {
      long budget = (long) (totalBytes * fraction);
      double[] tinyLfu = segmentCache(budget, sizes, trace);
      double[] lru = lru(budget, sizes, trace);
      System.out.printf("%-8s %12d %13.1f%% %13.1f%% %13.1f%% %13.1f%%%n", Math.round(fraction * 100) + "%",
          budget, 100 * tinyLfu[0], 100 * lru[0], 100 * tinyLfu[1], 100 * lru[1]);
    }
  }

  /** Segment indexes drawn from Zipf(s) over popularity ranks; rank r maps to a shuffled segment. */
  static int[] zipfTrace(int n, double s, int requests, Random random) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int rank = 1; rank <= n; rank++) {
      sum += 1 / Math.pow(rank, s);
      cdf[rank - 1] = sum;
    }
    int[] segmentOfRank = new int[n];
    for (int i = 0; i < n; i++) {
      segmentOfRank[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher–Yates: popularity independent of size
      int j = random.nextInt(i + 1);
      int t = segmentOfRank[i];
      segmentOfRank[i] = segmentOfRank[j];
      segmentOfRank[j] = t;
    }
    int[] trace = new int[requests];
    for (int i = 0; i < requests; i++) {
      int at = Arrays.binarySearch(cdf, random.nextDouble() * sum);
      trace[i] = segmentOfRank[Math.min(n - 1, at >= 0 ? at : -at - 1)];
    }
    return trace;
  }

  /** {request hit ratio, byte hit ratio} of the real SegmentCache, misses counted as loads. */
  static double[] segmentCache(long budget, int[] sizes, int[] trace) {
    byte[] largest = new byte[Arrays.stream(sizes).max().orElse(1)];
    ResourceKey[] keys = keys(sizes.length);
    AtomicLong loads = new AtomicLong();
    AtomicLong loadedBytes = new AtomicLong();
    SegmentCache cache = SegmentCache.builder().maximumBytes(budget).executor(Runnable::run)
        .build(key -> {
          int size = sizes[Integer.parseInt(key.name().substring(4, key.name().length() - 3))];
          loads.incrementAndGet();
          loadedBytes.addAndGet(size);
          return ServedResource.builder(key, ByteSlice.wrap(largest, 0, size)).etag("\"x\"").build();
        });
    int warm = trace.length / 10;
    long requestedBytes = 0;
    for (int i = 0; i < trace.length; i++) {
      if (i == warm) {
        cache.cleanUp();
        loads.set(0);
        loadedBytes.set(0);
        requestedBytes = 0;
      }
      cache.get(keys[trace[i]]).join();
      requestedBytes += sizes[trace[i]];
    }
    int counted = trace.length - warm;
    return new double[] {1 - (double) loads.get() / counted, 1 - (double) loadedBytes.get() / requestedBytes};
  }

  /** {request hit ratio, byte hit ratio} of an LRU bounded by bytes. */
  static double[] lru(long budget, int[] sizes, int[] trace) {
    LinkedHashMap<Integer, Integer> map = new LinkedHashMap<>(1024, 0.75f, true);
    long bytes = 0;
    long misses = 0;
    long missedBytes = 0;
    long requestedBytes = 0;
    int warm = trace.length / 10;
    for (int i = 0; i < trace.length; i++) {
      int segment = trace[i];
      boolean counted = i >= warm;
      if (counted) {
        requestedBytes += sizes[segment];
      }
      if (map.get(segment) != null) {
        continue;
      }
      if (counted) {
        misses++;
        missedBytes += sizes[segment];
      }
      map.put(segment, sizes[segment]);
      bytes += sizes[segment];
      var eldest = map.entrySet().iterator();
      while (bytes > budget && eldest.hasNext()) {
        Map.Entry<Integer, Integer> e = eldest.next();
        bytes -= e.getValue();
        eldest.remove();
      }
    }
    int counted = trace.length - warm;
    return new double[] {1 - (double) misses / counted, 1 - (double) missedBytes / requestedBytes};
  }

  private static ResourceKey[] keys(int n) {
    ResourceKey[] keys = new ResourceKey[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ResourceKey.parse("/vod/seg-" + i + ".ts");
    }
    return keys;
  }
}
