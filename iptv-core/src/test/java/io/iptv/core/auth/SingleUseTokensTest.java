package io.iptv.core.auth;

import static io.iptv.core.auth.HmacTokenAuthorizerTest.CLIENT;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.NOW;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.SECRET_1;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.assertDeny;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.serve.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Replayed tokens: a key URL captured with its token and replayed (same client, same path) gets nothing. */
class SingleUseTokensTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
  private final InstantSource clock = () -> now.get();
  private final TokenSigner signer = TokenSigner.builder().key("k1", SECRET_1).clock(clock).build();
  private final HmacTokenAuthorizer hmac = HmacTokenAuthorizer.builder().secret("k1", SECRET_1).clock(clock).build();
  private final SingleUseTokens auth = SingleUseTokens.builder(hmac).remember(Duration.ofMinutes(10))
      .maxEntries(4).clock(clock).build();

  @Test
  void replayedKeyRequestIs401WhilePlaylistsAndSegmentsStayReusable() {
    String token = signer.sign("/news/", Duration.ofMinutes(10));
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/stream/index.m3u8", token)));
      assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/stream/seg-00001.ts", token)));
    }
    assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/keys/k1.key", token)));
    assertDeny(401, auth.authorize(request("/news/keys/k1.key", token)), "replayed, same client");
    assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/keys/k2.key", token)),
        "the next key of a rotation, fetched once");
    assertDeny(401, auth.authorize(request("/news/keys/k2.key", token)), "and not twice");
    assertDeny(401, auth.authorize(request("/news/keys/k1.key", token, "198.51.100.7")), "replayed elsewhere");
    now.set(NOW.plusSeconds(1)); // tokens are deterministic: a new one needs another expiry (or nonce)
    String fresh = signer.sign("/news/", Duration.ofMinutes(10));
    assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/keys/k1.key", fresh)),
        "a new token is a new use");
  }

  @Test
  void refusalsOfTheDelegateAreNotRememberedAndDoNotBurnTheToken() {
    String token = signer.sign("/news/", Duration.ofMinutes(10));
    assertDeny(403, auth.authorize(request("/sport/keys/k1.key", token)), "other channel");
    assertEquals(0, auth.rememberedCount());
    assertInstanceOf(AuthDecision.Allow.class, auth.authorize(request("/news/keys/k1.key", token, CLIENT)));
  }

  @Test
  void memoryIsBoundedAndExpiredDigestsAreDropped() {
    for (int i = 0; i < 10; i++) {
      now.set(NOW.plusSeconds(i));
      auth.authorize(request("/news/keys/k1.key", signer.sign("/news/", Duration.ofHours(1))));
    }
    assertEquals(4, auth.rememberedCount(), "bounded by maxEntries");
    now.set(NOW.plus(Duration.ofMinutes(11)));
    auth.authorize(request("/news/master.m3u8", signer.sign("/news/", Duration.ofHours(1))));
    assertEquals(4, auth.rememberedCount(), "playlists do not touch the store");
    auth.authorize(request("/news/keys/k1.key", signer.sign("/news/", Duration.ofHours(1))));
    assertEquals(1, auth.rememberedCount(), "expired digests dropped");
  }

  @Test
  void kindsAreConfigurable() {
    SingleUseTokens licences = SingleUseTokens.builder(r -> AuthDecision.allow(Duration.ofMinutes(1)))
        .kinds(ResourceKind.MULTIVARIANT).clock(clock).build();
    assertInstanceOf(AuthDecision.Allow.class, licences.authorize(request("/news/master.m3u8", "t")));
    assertDeny(401, licences.authorize(request("/news/master.m3u8", "t")));
    assertInstanceOf(AuthDecision.Allow.class, licences.authorize(request("/news/keys/k.key", "t")));
    assertInstanceOf(AuthDecision.Allow.class, licences.authorize(request("/news/keys/k.key", "t")), "not protected");
    assertThrows(IllegalArgumentException.class, () -> SingleUseTokens.builder(hmac).remember(Duration.ZERO));
  }
}
