package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.auth.AuthDecision;
import io.iptv.core.auth.Authorizer;
import io.iptv.core.auth.Authorizers;
import io.iptv.core.auth.HmacTokenAuthorizer;
import io.iptv.core.auth.TokenSigner;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KeyAccessPolicy#authorizedBy}: the bridge from key delivery to the auth SPI. */
class KeyAccessPolicyTest {
  private static final byte[] SIGNING = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100");
  private static final byte[] MASTER = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f1011");

  private final TokenSigner signer = TokenSigner.builder().key("k1", SIGNING).build();
  private final Authorizer hmac = HmacTokenAuthorizer.builder().secret("k1", SIGNING).build();
  private final ContentKey issued = KeyProvider.derived(MASTER).key(new KeyRequest("news", TrackType.VIDEO, 3));
  private final String path = "/news/keys/" + issued.keyId().toHex() + ".key";

  private static HttpRequest get(String path, String query) {
    return new HttpRequest("GET", path, query, RequestHeaders.of(Map.of()), new InetSocketAddress("127.0.0.1", 4000),
        false, ByteSlice.empty());
  }

  @Test
  void aKeyIsReleasedOnlyOnAnAllowForItsOwnChannel() {
    KeyAccessPolicy policy = KeyAccessPolicy.authorizedBy(hmac);
    ResourceKey key = ResourceKey.parse(path);
    assertFalse(policy.allows(get(path, null), key), "no token");
    assertFalse(policy.allows(get(path, "token=v1.k1.1.AAAA..AAAA"), key), "forged token");
    assertFalse(policy.allows(get(path, "token=" + signer.sign("/sport/", Duration.ofMinutes(1))), key),
        "another channel's token");
    assertFalse(policy.allows(get(path, "token=" + signer.sign("/news/stream/", Duration.ofMinutes(1))), key),
        "a token for the segments only");
    assertTrue(policy.allows(get(path, "token=" + signer.sign("/news/", Duration.ofMinutes(1))), key));
  }

  @Test
  void failsClosed() {
    ResourceKey key = ResourceKey.parse(path);
    HttpRequest request = get(path, null);
    assertFalse(KeyAccessPolicy.authorizedBy(Authorizers.allowAll()).allows(request, key),
        "allowAll does not cover keys");
    assertFalse(KeyAccessPolicy.authorizedBy(r -> null).allows(request, key));
    assertFalse(KeyAccessPolicy.authorizedBy(r -> {
      throw new IllegalStateException("boom");
    }).allows(request, key));
    Authorizer allowsEverything = r -> AuthDecision.allow(Duration.ZERO);
    assertTrue(KeyAccessPolicy.authorizedBy(allowsEverything).allows(request, key));
    assertFalse(KeyAccessPolicy.authorizedBy(allowsEverything)
        .allows(get("/news/master.m3u8", null), ResourceKey.parse("/news/master.m3u8")), "not a KEY resource");
  }

  @Test
  void keyDeliveryThroughTheBridge() {
    KeyDeliveryHandler handler = KeyDeliveryHandler.builder(KeyProvider.derived(MASTER))
        .accessPolicy(KeyAccessPolicy.authorizedBy(hmac)).build();
    ResourceKey key = ResourceKey.parse(path);
    assertEquals(401, handler.handle(get(path, null), key).status(), "no token: not authenticated");
    assertEquals(401, handler.handle(get(path, "token=forged"), key).status(), "forged token");
    assertEquals(403, handler.handle(get(path, "token=" + signer.sign("/sport/", Duration.ofMinutes(1))), key)
        .status(), "a valid token for another channel: authenticated, not entitled");
    HttpResponse ok = handler.handle(get(path, "token=" + signer.sign("/news/", Duration.ofMinutes(1))), key);
    assertEquals(200, ok.status());
    assertArrayEquals(issued.keyBytes(), ok.body().toByteArray());
    assertEquals("no-store", ok.header("Cache-Control"));
  }
}
