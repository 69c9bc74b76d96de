package io.iptv.core.auth;

import static io.iptv.core.auth.HmacTokenAuthorizerTest.assertDeny;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrentStreamLimiterTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = () -> now.get();

  private ConcurrentStreamLimiter limiter(int max) {
    // The subject is the token itself here; with JWT it is jwt::subject.
    return ConcurrentStreamLimiter.builder(AccessRequest::token).maxStreams(max).idle(Duration.ofSeconds(30))
        .clock(clock).build();
  }

  @Test
  void newStreamsBeyondTheLimitAre403UntilOneGoesIdle() {
    ConcurrentStreamLimiter limiter = limiter(2);
    assertTrue(limiter.authorize(request("/news/master.m3u8", "alice", "192.0.2.1")).allowed());
    assertTrue(limiter.authorize(request("/sport/master.m3u8", "alice", "192.0.2.1")).allowed());
    assertTrue(limiter.authorize(request("/news/stream/seg-1.ts", "alice", "192.0.2.1")).allowed(), "same stream");
    assertDeny(403, limiter.authorize(request("/news/master.m3u8", "alice", "192.0.2.2")));
    assertTrue(limiter.authorize(request("/news/master.m3u8", "bob", "192.0.2.2")).allowed(), "per subject");
    assertTrue(limiter.authorize(request("/news/master.m3u8", null, "192.0.2.3")).allowed(), "no subject");

    now.set(now.get().plusSeconds(20));
    assertTrue(limiter.authorize(request("/news/stream/seg-2.ts", "alice", "192.0.2.1")).allowed()); // keeps news
    now.set(now.get().plusSeconds(15)); // sport idle for 35 s: its slot is free
    assertTrue(limiter.authorize(request("/news/master.m3u8", "alice", "192.0.2.2")).allowed());
    assertDeny(403, limiter.authorize(request("/sport/master.m3u8", "alice", "192.0.2.1")));
  }

  @Test
  void racingSessionsNeverExceedTheLimit() throws Exception {
    ConcurrentStreamLimiter limiter = limiter(2);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String client = "192.0.2." + (i + 1);
        results.add(pool.submit(() -> {
          go.await();
          return limiter.authorize(request("/news/master.m3u8", "alice", client)).allowed();
        }));
      }
      go.countDown();
      int allowed = 0;
      for (Future<Boolean> f : results) {
        allowed += f.get() ? 1 : 0;
      }
      assertEquals(2, allowed);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void chainedAfterJwtCountsPerSubject() throws Exception {
    JwtAuthorizer jwt = JwtAuthorizer.builder().hmacSecret("hs", JwtAuthorizerTest.HS_SECRET)
        .clock(InstantSource.fixed(JwtAuthorizerTest.NOW)).build();
    Authorizer auth = Authorizers.chain(jwt, ConcurrentStreamLimiter.builder(jwt::subject).maxStreams(1)
        .clock(InstantSource.fixed(JwtAuthorizerTest.NOW)).build());
    String token = JwtAuthorizerTest.hs256("hs", JwtAuthorizerTest.claims("[\"news\"]",
        JwtAuthorizerTest.NOW_S + 600, null), JwtAuthorizerTest.HS_SECRET);
    assertTrue(auth.authorize(request("/news/master.m3u8", token, "192.0.2.1")).allowed());
    assertDeny(403, auth.authorize(request("/news/master.m3u8", token, "192.0.2.2")));
    assertDeny(401, auth.authorize(request("/news/master.m3u8", token + "x", "192.0.2.3")));
  }
}
