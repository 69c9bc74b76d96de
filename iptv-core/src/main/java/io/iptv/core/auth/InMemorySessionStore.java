package io.iptv.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SessionStore#inMemory()}: per subject, sessions by last-seen time, pruned on access. Internal. */
final class InMemorySessionStore implements SessionStore {
  private final ConcurrentHashMap<String, Map<String, Instant>> subjects = new ConcurrentHashMap<>();

  @Override
  public boolean tryAcquire(String subject, String session, int maxSessions, Instant now, Duration idle) {
    boolean[] acquired = new boolean[1];
    Instant cutoff = now.minus(idle);
    subjects.compute(subject, (s, sessions) -> { // atomic per subject
      Map<String, Instant> active = sessions != null ? sessions : new HashMap<>();
      active.values().removeIf(lastSeen -> lastSeen.isBefore(cutoff));
      if (active.containsKey(session) || active.size() < maxSessions) {
        active.put(session, now);
        acquired[0] = true;
      }
      return active.isEmpty() ? null : active;
    });
    return acquired[0];
  }
}
