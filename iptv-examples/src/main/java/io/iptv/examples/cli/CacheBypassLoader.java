package io.iptv.examples.cli;

import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link ResourceLoader} that sends some channels straight to their own loader and every other channel
 * through a cache. Low-Latency HLS needs it: a blocking playlist reload must see each playlist version as the
 * packager writes it, which a cache entry still fresh for a second would hide (and an in-memory live store
 * gains nothing from a cache in front of it).
 *
 * <p>Thread-safe if both loaders are.
 *
 * <pre>{@code
 * ResourceLoader served = new CacheBypassLoader(cache, Set.of("news"), livePackager);
 * }</pre>
 */
final class CacheBypassLoader implements ResourceLoader {
  private final ResourceLoader cached;
  private final Set<String> direct;
  private final ResourceLoader directLoader;

  /** Channels in {@code direct} load from {@code directLoader}, the others from {@code cached}. */
  CacheBypassLoader(ResourceLoader cached, Set<String> direct, ResourceLoader directLoader) {
    this.cached = Objects.requireNonNull(cached, "cached");
    this.direct = Set.copyOf(direct);
    this.directLoader = Objects.requireNonNull(directLoader, "directLoader");
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    return direct.contains(key.channel()) ? directLoader.load(key) : cached.load(key);
  }

  @Override
  public CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    return direct.contains(key.channel()) ? directLoader.loadAsync(key, executor) : cached.loadAsync(key, executor);
  }

  @Override
  public CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
      Executor executor) {
    return direct.contains(key.channel()) ? directLoader.revalidateAsync(key, stale, executor)
        : cached.revalidateAsync(key, stale, executor);
  }
}
