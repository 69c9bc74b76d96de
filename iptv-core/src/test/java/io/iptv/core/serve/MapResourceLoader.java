package io.iptv.core.serve;

import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory loader for tests: resources by path, an optional failure, and a load counter. */
final class MapResourceLoader implements ResourceLoader {
  final Map<String, ServedResource> resources = new ConcurrentHashMap<>();
  final AtomicInteger loads = new AtomicInteger();
  volatile IOException failure;

  MapResourceLoader put(String path, String text) {
    return put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  MapResourceLoader put(String path, byte[] bytes) {
    ResourceKey key = ResourceKey.parse(path);
    resources.put(path, ServedResource.of(key, ByteSlice.copyOf(bytes)));
    return this;
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    loads.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    return resources.get(key.path());
  }
}
