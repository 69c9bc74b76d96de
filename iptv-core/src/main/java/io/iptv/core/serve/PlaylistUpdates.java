package io.iptv.core.serve;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells waiting requests that a resource changed: the link between a live packager (which signals each
 * playlist and part it writes) and the origin's blocking playlist reload (RFC 8216bis §6.2.5.2), which waits
 * here instead of polling. No thread per waiter: a waiter holds a future that the next signal for its
 * resource completes.
 *
 * <p>Thread-safe. Signals cost a map lookup when nobody waits.
 *
 * <pre>{@code
 * PlaylistUpdates updates = new PlaylistUpdates();
 * // packager side (e.g. SignallingSegmentSink): after writing live/stream/index.m3u8
 * updates.signal("live", "stream/index.m3u8");
 * // origin side
 * updates.nextChange(ResourceKey.of("live", "stream/index.m3u8")).thenRun(() -> reload());
 * }</pre>
 */
public final class PlaylistUpdates {
  private final ConcurrentHashMap<ResourceKey, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /**
   * A future completed at the next {@link #signal} of {@code key}. Register before reading the resource,
   * then check it: a change between the two completes the future at once, so no update is missed.
   */
  public CompletableFuture<Void> nextChange(ResourceKey key) {
    return waiting.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new CompletableFuture<>());
  }

  /** {@code channel}'s resource {@code name} was written (or deleted): wakes its waiters. */
  public void signal(String channel, String name) {
    if (waiting.isEmpty()) {
      return;
    }
    CompletableFuture<Void> f;
    try {
      f = waiting.remove(ResourceKey.of(channel, name));
    } catch (IllegalArgumentException e) {
      return; // not a servable resource: nobody can wait for it
    }
    if (f != null) {
      f.complete(null);
    }
  }

  /** Resources with waiters (tests, metrics). */
  public int waitingResources() {
    return waiting.size();
  }
}
