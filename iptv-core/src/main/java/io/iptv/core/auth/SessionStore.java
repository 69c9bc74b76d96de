package io.iptv.core.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * Where {@link ConcurrentStreamLimiter} keeps the active sessions of each subject (SPI). The in-memory default
 * ({@link #inMemory()}) serves one origin; a cluster plugs in a shared store (Redis, a database) with the same
 * atomic contract.
 *
 * <p>Implementations must be thread-safe and {@link #tryAcquire} atomic per subject; it is called on every
 * request, so it must be fast (a remote store should cache or batch).
 *
 * <pre>{@code
 * SessionStore store = SessionStore.inMemory();
 * store.tryAcquire("alice", "203.0.113.5/news", 2, Instant.now(), Duration.ofSeconds(30)); // true
 * }</pre>
 */
@FunctionalInterface
public interface SessionStore {
  /**
   * Records that {@code session} of {@code subject} is active at {@code now}, if allowed: true when the session
   * is already active (seen within {@code idle}) or when fewer than {@code maxSessions} other sessions are;
   * false (nothing recorded) when the limit is reached. Sessions not seen within {@code idle} no longer count.
   */
  boolean tryAcquire(String subject, String session, int maxSessions, Instant now, Duration idle);

  /** A store in this JVM's memory; memory is bounded by the active subjects times their limit. */
  static SessionStore inMemory() {
    return new InMemorySessionStore();
  }
}
