package io.iptv.core.serve;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Routes each key to the loader of its channel; see {@link ResourceLoader#byChannel}. Internal. */
final class ChannelRouter implements ResourceLoader {
  private final Map<String, ResourceLoader> loaders;

  ChannelRouter(Map<String, ResourceLoader> loaders) {
    this.loaders = Map.copyOf(loaders);
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    ResourceLoader loader = loaders.get(key.channel());
    return loader == null ? null : loader.load(key);
  }

  @Override
  public CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    ResourceLoader loader = loaders.get(key.channel());
    return loader == null ? CompletableFuture.completedFuture(null) : loader.loadAsync(key, executor);
  }

  @Override
  public CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
      Executor executor) {
    ResourceLoader loader = loaders.get(key.channel());
    return loader == null ? CompletableFuture.completedFuture(null) : loader.revalidateAsync(key, stale, executor);
  }
}
