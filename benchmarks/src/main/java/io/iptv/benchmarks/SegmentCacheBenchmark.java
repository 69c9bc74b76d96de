package io.iptv.benchmarks;

import io.iptv.cache.SegmentCache;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link SegmentCache} hit path, as every request for a hot segment or playlist takes it: a warmed cache of
 * {@link #entries} resources, two threads reading keys round-robin (target: at least 10 M gets/s on 2 cores).
 * Each get returns the entry's pre-completed future; nothing is loaded during measurement.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SegmentCacheBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SegmentCacheBenchmark {
  /** How many distinct resources are cached (a power of two). */
  @Param("1024")
  public int entries;

  private SegmentCache cache;
  private ResourceKey[] keys;

  /** Per-thread position in the key ring, so threads do not share a counter. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  /** Fills the cache and waits for its maintenance to settle. */
  @Setup
  public void setUp() {
    byte[] body = new byte[188 * 1000];
    keys = new ResourceKey[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = ResourceKey.parse("/news/720p/seg-" + i + ".ts");
    }
    cache = SegmentCache.builder().maximumBytes(1L << 40).executor(Runnable::run)
        .build(key -> ServedResource.builder(key, ByteSlice.wrap(body)).etag("\"x\"").build());
    for (ResourceKey key : keys) {
      cache.get(key).join();
    }
    cache.cleanUp();
  }

  /** One cache hit. */
  @Benchmark
  public CompletableFuture<ServedResource> hit(Cursor cursor) {
    ResourceKey key = keys[cursor.next++ & (entries - 1)];
    return cache.get(key);
  }
}
