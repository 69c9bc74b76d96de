package io.iptv.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed URLs: what {@link TokenSigner} issues, {@link HmacTokenAuthorizer} accepts, and nothing else. */
class HmacTokenAuthorizerTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final byte[] SECRET_1 = "0123456789abcdef-secret-one".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SECRET_2 = "fedcba9876543210-secret-two".getBytes(StandardCharsets.US_ASCII);
  static final String CLIENT = "192.0.2.10";

  private final TokenSigner signer1 = TokenSigner.builder().key("k1", SECRET_1).clock(fixed(NOW)).build();
  private final TokenSigner signer2 = TokenSigner.builder().key("k2", SECRET_2).clock(fixed(NOW)).build();
  private final HmacTokenAuthorizer auth = authorizerAt(NOW);

  static HmacTokenAuthorizer authorizerAt(Instant now) {
    return HmacTokenAuthorizer.builder().secret("k1", SECRET_1).secret("k2", SECRET_2).clock(fixed(now)).build();
  }

  static InstantSource fixed(Instant now) {
    return InstantSource.fixed(now);
  }

  static AccessRequest request(String path, String token, String client) {
    return AccessRequest.from(new HttpRequest("GET", path, token == null ? null : "token=" + token,
        RequestHeaders.none(), client == null ? null : new InetSocketAddress(client, 50000), false,
        ByteSlice.empty()), ResourceKey.parse(path));
  }

  static AccessRequest request(String path, String token) {
    return request(path, token, CLIENT);
  }

  @Test
  void validTokenCoversTheChannelsPlaylistsSegmentsAndKeys() {
    String token = signer1.sign("/news/", Duration.ofMinutes(10));
    for (String path : List.of("/news/master.m3u8", "/news/stream/index.m3u8", "/news/stream/seg-00001.ts",
        "/news/keys/k1.key")) {
      AuthDecision decision = auth.authorize(request(path, token));
      AuthDecision.Allow allow = assertInstanceOf(AuthDecision.Allow.class, decision, path);
      assertEquals(Duration.ofMinutes(10), allow.maxAge(), "valid until the token expires");
    }
  }

  @Test
  void missingTokenIs401() {
    assertDeny(401, auth.authorize(request("/news/master.m3u8", null)));
  }

  @Test
  void forgedTokenIs401() {
    // Same kid, same claims, signed with a secret the origin does not have.
    TokenSigner forger = TokenSigner.builder().key("k1", "attacker-secret-attacker".getBytes(StandardCharsets.US_ASCII))
        .clock(fixed(NOW)).build();
    assertDeny(401, auth.authorize(request("/news/master.m3u8", forger.sign("/news/", Duration.ofMinutes(10)))));
  }

  @Test
  void expiredTokenIs401AndClockSkewIsHonoured() {
    String token = signer1.sign("/news/", Duration.ofMinutes(1));
    assertDeny(401, authorizerAt(NOW.plusSeconds(61)).authorize(request("/news/master.m3u8", token)));
    assertTrue(authorizerAt(NOW.plusSeconds(60)).authorize(request("/news/master.m3u8", token)).allowed());
    HmacTokenAuthorizer lenient = HmacTokenAuthorizer.builder().secret("k1", SECRET_1)
        .maxClockSkew(Duration.ofSeconds(30)).clock(fixed(NOW.plusSeconds(85))).build();
    assertTrue(lenient.authorize(request("/news/master.m3u8", token)).allowed());
    HmacTokenAuthorizer late = HmacTokenAuthorizer.builder().secret("k1", SECRET_1)
        .maxClockSkew(Duration.ofSeconds(30)).clock(fixed(NOW.plusSeconds(91))).build();
    assertDeny(401, late.authorize(request("/news/master.m3u8", token)));
  }

  @Test
  void wrongPathIs403() {
    String token = signer1.sign("/news/", Duration.ofMinutes(10));
    assertDeny(403, auth.authorize(request("/sport/master.m3u8", token)));
    assertDeny(403, auth.authorize(request("/newsroom/master.m3u8", token)), "a prefix ends at its '/'");
    String one = signer1.sign("/news/stream/", Duration.ofMinutes(10));
    assertDeny(403, auth.authorize(request("/news/keys/k1.key", one)));
    assertTrue(auth.authorize(request("/news/stream/seg-1.ts", one)).allowed());
  }

  @Test
  void tokenBoundToAClientIsRefusedElsewhere() throws Exception {
    String token = signer1.sign("/news/", Duration.ofMinutes(10), InetAddress.getByName(CLIENT));
    assertTrue(auth.authorize(request("/news/master.m3u8", token, CLIENT)).allowed());
    assertDeny(403, auth.authorize(request("/news/master.m3u8", token, "192.0.2.11")));
    assertDeny(403, auth.authorize(request("/news/master.m3u8", token, null)));
    String v6 = signer1.sign("/news/", Duration.ofMinutes(10), InetAddress.getByName("::1"));
    assertTrue(auth.authorize(request("/news/master.m3u8", v6, "0:0:0:0:0:0:0:1")).allowed());
  }

  @Test
  void tokenReplayedUnderAnotherKidIs401() {
    String token = signer1.sign("/news/", Duration.ofMinutes(10));
    String[] f = token.split("\\.", -1);
    f[1] = "k2"; // k2 is a valid kid with another secret: the MAC covers the kid
    assertDeny(401, auth.authorize(request("/news/master.m3u8", String.join(".", f))));
    HmacTokenAuthorizer onlyK2 = HmacTokenAuthorizer.builder().secret("k2", SECRET_2).clock(fixed(NOW)).build();
    assertDeny(401, onlyK2.authorize(request("/news/master.m3u8", token)), "retired kid");
  }

  @Test
  void rotationAcceptsEveryConfiguredKid() {
    assertTrue(auth.authorize(request("/news/master.m3u8", signer1.sign("/news/", Duration.ofMinutes(1)))).allowed());
    assertTrue(auth.authorize(request("/news/master.m3u8", signer2.sign("/news/", Duration.ofMinutes(1)))).allowed());
  }

  @Test
  void everyTamperedFieldIs401() throws Exception {
    String token = signer1.sign("/news/", Duration.ofMinutes(10), InetAddress.getByName(CLIENT));
    String[] f = token.split("\\.", -1);
    assertEquals(6, f.length, token);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    List<String[]> tampered = List.of(
        with(f, 0, "v2"),
        with(f, 2, Long.toString(Long.parseLong(f[2]) + 3600)),             // longer life
        with(f, 3, b64.encodeToString("/".getBytes(StandardCharsets.UTF_8))), // the whole origin
        with(f, 4, ""),                                                     // unbind the client
        with(f, 5, flipLast(f[5])),
        with(f, 5, ""));
    for (String[] t : tampered) {
      String bad = String.join(".", t);
      assertDeny(401, auth.authorize(request("/news/master.m3u8", bad)), bad);
    }
    // Every single-character change anywhere.
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      String bad = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertFalse(auth.authorize(request("/news/master.m3u8", bad)).allowed(), bad);
    }
  }

  @Test
  void garbageTokensAre401WithoutExceptions() {
    for (String garbage : List.of("", "v1", ".....", "v1.k1.1.2.3.4", "v1.k1.99999999999999.Lw..AAAA",
        "v1.k1.123.%%%.x.y", "v1.k\u00e9.1.Lw..AA", "x".repeat(5000), "v1.k1.-5.Lw..AAAA")) {
      assertDeny(401, auth.authorize(request("/news/master.m3u8", garbage)), garbage);
    }
  }

  @Test
  void providerBuildsTheSameAuthorizerByName() {
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET_1);
    Authorizer loaded = Authorizers.load("hmac-token", Map.of("secret.k1", secret));
    assertTrue(loaded.authorize(request("/news/master.m3u8", TokenSigner.builder().key("k1", SECRET_1).build()
        .sign("/news/", Duration.ofMinutes(1)))).allowed());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Authorizers.load("hmac-token", Map.of("secret.k1", "c2hvcnQ")));
    assertFalse(e.getMessage().contains("c2hvcnQ"), "never echo a secret: " + e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Authorizers.load("hmac-token", Map.of("colour", "red")));
    assertThrows(IllegalStateException.class, () -> Authorizers.load("hmac-token", Map.of()));
  }

  @Test
  void builderRejectsWeakOrRepeatedSettings() {
    assertThrows(IllegalArgumentException.class, () -> HmacTokenAuthorizer.builder().secret("k1", new byte[8]));
    assertThrows(IllegalArgumentException.class, () -> HmacTokenAuthorizer.builder().secret("k 1", SECRET_1));
    assertThrows(IllegalStateException.class,
        () -> HmacTokenAuthorizer.builder().secret("k1", SECRET_1).secret("k1", SECRET_2));
    assertThrows(IllegalStateException.class, () -> HmacTokenAuthorizer.builder().build());
    assertThrows(IllegalArgumentException.class, () -> signer1.sign("news", Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> signer1.sign("/news/", Duration.ZERO));
    assertFalse(auth.toString().contains("secret"), auth.toString());
  }

  @Test
  void tokenIsUrlSafe() {
    String token = signer1.sign("/news/", Duration.ofDays(1));
    assertTrue(token.matches("[A-Za-z0-9._-]+"), token);
    assertTrue(token.length() < 120, token);
  }

  @Test
  void accessRequestFindsTokensInHeaderAndCookieAndNeverPrintsThem() {
    String token = signer1.sign("/news/", Duration.ofMinutes(1));
    ResourceKey key = ResourceKey.parse("/news/master.m3u8");
    AccessRequest bearer = AccessRequest.from(HttpRequest.get("/news/master.m3u8")
        .withHeaders(RequestHeaders.of(Map.of("Authorization", List.of("Bearer " + token)))), key);
    assertEquals(token, bearer.token());
    assertEquals(AccessRequest.TokenSource.BEARER, bearer.tokenSource());
    assertTrue(auth.authorize(bearer).allowed());
    AccessRequest cookie = AccessRequest.from(HttpRequest.get("/news/master.m3u8")
        .withHeaders(RequestHeaders.of(Map.of("Cookie", List.of("a=b; iptv_token=" + token)))), key);
    assertEquals(AccessRequest.TokenSource.COOKIE, cookie.tokenSource());
    assertTrue(auth.authorize(cookie).allowed());
    assertFalse(bearer.toString().contains(token), bearer.toString());
    assertFalse(cookie.toString().contains(token), cookie.toString());
  }

  private static String[] with(String[] fields, int index, String value) {
    String[] copy = fields.clone();
    copy[index] = value;
    return copy;
  }

  private static String flipLast(String s) {
    char c = s.charAt(s.length() - 1);
    return s.substring(0, s.length() - 1) + (c == 'A' ? 'Q' : 'A');
  }

  static void assertDeny(int status, AuthDecision decision) {
    assertDeny(status, decision, "");
  }

  static void assertDeny(int status, AuthDecision decision, String message) {
    AuthDecision.Deny deny = assertInstanceOf(AuthDecision.Deny.class, decision, message);
    assertEquals(status, deny.status(), message + " " + deny);
  }
}
