package io.iptv.segmenter.live;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import io.iptv.segmenter.pkg.SegmentSink;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The in-memory store of one channel: the {@link SegmentSink} its packager writes to, holding each resource as
 * a ready {@link ServedResource} so that serving costs a map lookup. The ETag is an epoch (random per store)
 * and a write counter, so it is strong and unique per write without hashing the bytes.
 *
 * <p>Thread-safe: the packager writes on the channel's task while origin threads read.
 */
final class ChannelStore implements SegmentSink {
  private final String channel;
  private final Map<String, ServedResource> resources = new ConcurrentHashMap<>();
  private final String epoch = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private long writes;

  ChannelStore(String channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  @Override
  public void write(String name, ByteSlice bytes) {
    ResourceKey key = ResourceKey.of(channel, name);
    long n;
    synchronized (this) {
      n = ++writes;
    }
    resources.put(name, ServedResource.builder(key, bytes).etag("\"" + epoch + "-" + Long.toHexString(n) + "\"")
        .sniffIndex().build());
  }

  @Override
  public void delete(String name) {
    resources.remove(name);
  }

  /** Whether {@code name} is held (a packager taking over a channel lists again only what is). */
  @Override
  public boolean exists(String name) {
    return resources.containsKey(name);
  }

  /** The resource, or null. */
  ServedResource get(String name) {
    return resources.get(name);
  }

  /** The bytes of a resource, or null. */
  ByteSlice bytes(String name) {
    ServedResource r = resources.get(name);
    return r == null ? null : r.body();
  }

  /** Names held now (tests, restarts). */
  java.util.Set<String> names() {
    return java.util.Set.copyOf(resources.keySet());
  }

  /** Total bytes held now. */
  long heldBytes() {
    long sum = 0;
    for (ServedResource r : resources.values()) {
      sum += r.body().length();
    }
    return sum;
  }
}
