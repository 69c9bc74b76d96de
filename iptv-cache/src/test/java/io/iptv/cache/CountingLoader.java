package io.iptv.cache;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A map-backed loader that counts loads per key, can block on a gate and can fail. For tests. */
final class CountingLoader implements ResourceLoader {
  final Map<String, ServedResource> resources = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> loadsByPath = new ConcurrentHashMap<>();
  final AtomicInteger loads = new AtomicInteger();
  volatile CountDownLatch gate;
  volatile IOException failure;

  CountingLoader put(String path, String text) {
    return put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  CountingLoader put(String path, byte[] bytes) {
    resources.put(path, ServedResource.of(ResourceKey.parse(path), ByteSlice.copyOf(bytes)));
    return this;
  }

  int loadsOf(String path) {
    AtomicInteger n = loadsByPath.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    loads.incrementAndGet();
    loadsByPath.computeIfAbsent(key.path(), p -> new AtomicInteger()).incrementAndGet();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return resources.get(key.path());
  }
}
