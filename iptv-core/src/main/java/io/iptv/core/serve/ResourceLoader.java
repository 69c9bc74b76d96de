package io.iptv.core.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Supplies the resources an origin serves (SPI). Implemented by the live packager, by
 * {@link DirectoryResourceLoader}, by the segment cache and by the edge loader of iptv-cache.
 *
 * <p><b>Blocking by design.</b> The one abstract method is blocking because the common loaders are either
 * instant (an in-memory segment store) or blocking anyway (files): a blocking method is the smallest contract
 * to implement and test. Callers that must not block use {@link #loadAsync}, which runs {@link #load} on the
 * executor they pass; loaders that are naturally asynchronous (HTTP) override it, and the segment cache
 * overrides it to return its already-completed future on a hit, with no thread hop.
 *
 * <p>Implementations must be thread-safe. A missing resource is {@code null} (an HTTP 404), not an exception:
 * misses are normal traffic and are cached negatively.
 *
 * <pre>{@code
 * ResourceLoader loader = key -> store.get(key);            // null when absent
 * OriginHandler origin = OriginHandler.builder(loader).build();
 * }</pre>
 */
@FunctionalInterface
public interface ResourceLoader {
  /**
   * Loads a resource.
   *
   * @return the resource, or {@code null} if it does not exist
   * @throws IOException if it exists but cannot be produced now (an HTTP 503)
   */
  ServedResource load(ResourceKey key) throws IOException;

  /**
   * Loads a resource without blocking the caller: by default {@link #load} runs on {@code executor}. The future
   * completes with {@code null} for a missing resource and exceptionally with the {@link IOException}.
   */
  default CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return load(key);
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, executor);
  }

  /**
   * Loads a fresh copy of a resource whose cached copy {@code stale} has expired. Loaders that can revalidate
   * (HTTP {@code If-None-Match}, RFC 9111 §4.3) override this and may return {@code stale} itself, with a new
   * freshness, when the upstream copy is unchanged. The default loads again.
   */
  default CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
      Executor executor) {
    return loadAsync(key, executor);
  }

  /**
   * A loader that sends each key to the loader of its channel; keys of other channels are not found. The
   * asynchronous and revalidating methods are delegated too.
   *
   * <pre>{@code
   * ResourceLoader all = ResourceLoader.byChannel(Map.of("news", directory, "sport", edge));
   * }</pre>
   */
  static ResourceLoader byChannel(java.util.Map<String, ResourceLoader> loaders) {
    return new ChannelRouter(loaders);
  }

  /** Unwraps a {@link CompletionException} or {@link UncheckedIOException} to its cause, for error mapping. */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
