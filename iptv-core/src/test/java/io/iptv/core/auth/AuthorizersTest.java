package io.iptv.core.auth;

import static io.iptv.core.auth.HmacTokenAuthorizerTest.assertDeny;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthorizersTest {
  @Test
  void allowAllNeverAllowsKeyResources() {
    Authorizer all = Authorizers.allowAll();
    assertTrue(all.authorize(request("/news/master.m3u8", null)).allowed());
    assertTrue(all.authorize(request("/news/stream/seg-1.ts", null)).allowed());
    assertDeny(403, all.authorize(request("/news/keys/k1.key", null)));
    assertDeny(403, all.authorize(request("/license/clearkey", null)));
  }

  @Test
  void chainAsksInOrderStopsAtTheFirstDenyAndKeepsTheShortestMaxAge() {
    AtomicInteger asked = new AtomicInteger();
    Authorizer counting = r -> {
      asked.incrementAndGet();
      return AuthDecision.allow(Duration.ofSeconds(5));
    };
    Authorizer chain = Authorizers.chain(r -> AuthDecision.allow(Duration.ofMinutes(1)), counting);
    AuthDecision.Allow allow = assertInstanceOf(AuthDecision.Allow.class,
        chain.authorize(request("/news/master.m3u8", null)));
    assertEquals(Duration.ofSeconds(5), allow.maxAge());
    assertEquals(1, asked.get());

    Authorizer denying = Authorizers.chain(r -> AuthDecision.forbidden("no"), counting);
    assertDeny(403, denying.authorize(request("/news/master.m3u8", null)));
    assertEquals(1, asked.get(), "links after a deny are not asked");
  }

  @Test
  void chainChecksItsLinksContract() {
    Authorizer broken = Authorizers.chain(r -> AuthDecision.allow(Duration.ZERO), r -> null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> broken.authorize(request("/news/master.m3u8", null)));
    assertTrue(e.getMessage().contains("authorizer 2 of 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, Authorizers::chain);
    assertThrows(NullPointerException.class, () -> Authorizers.chain(Authorizers.allowAll(), null));
  }

  @Test
  void requireTlsRefusesPlainKeyRequests() {
    Authorizer tls = Authorizers.requireTls(ResourceKind.KEY);
    assertDeny(403, tls.authorize(request("/news/keys/k1.key", null)));
    AccessRequest secure = AccessRequest.from(new HttpRequest("GET", "/news/keys/k1.key", null,
        RequestHeaders.none(), null, true, ByteSlice.empty()), ResourceKey.parse("/news/keys/k1.key"));
    assertTrue(tls.authorize(secure).allowed());
    assertTrue(tls.authorize(request("/news/master.m3u8", null)).allowed());
  }

  @Test
  void discoveredProvidersAreNeverActivatedUnlessNamed() {
    CountingProvider.created.set(0);
    Authorizers.load("hmac-token", Map.of("secret.k1", "MDEyMzQ1Njc4OWFiY2RlZg"));
    assertEquals(0, CountingProvider.created.get(), "the test provider was discovered but must not be created");
    Authorizer counting = Authorizers.load("test-counting", Map.of());
    assertEquals(1, CountingProvider.created.get());
    assertTrue(counting.authorize(request("/news/master.m3u8", null)).allowed());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Authorizers.load("nope", Map.of()));
    assertTrue(e.getMessage().contains("hmac-token") && e.getMessage().contains("test-counting"), e.getMessage());
  }

  /** A provider registered in this module's test resources, counting activations. */
  public static final class CountingProvider implements AuthorizerProvider {
    static final AtomicInteger created = new AtomicInteger();

    @Override
    public String name() {
      return "test-counting";
    }

    @Override
    public Authorizer create(Map<String, String> config) {
      created.incrementAndGet();
      return Authorizers.allowAll();
    }
  }
}
