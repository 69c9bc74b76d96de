package io.iptv.core.auth;

import static io.iptv.core.auth.HmacTokenAuthorizerTest.assertDeny;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtAuthorizerTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final long NOW_S = NOW.getEpochSecond();
  static final byte[] HS_SECRET = "0123456789abcdef0123456789abcdef-hs256".getBytes(StandardCharsets.US_ASCII);
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static KeyPair rsa;
  static KeyPair ec;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp256r1"));
    ec = e.generateKeyPair();
  }

  static JwtAuthorizer authorizer(Instant now) {
    return JwtAuthorizer.builder()
        .hmacSecret("hs", HS_SECRET)
        .publicKey("rs", rsa.getPublic())
        .publicKey("es", ec.getPublic())
        .clock(InstantSource.fixed(now))
        .build();
  }

  static String claims(String channels, long exp, Long nbf) {
    return "{\"sub\":\"alice\",\"exp\":" + exp + (nbf == null ? "" : ",\"nbf\":" + nbf)
        + (channels == null ? "" : ",\"channels\":" + channels) + "}";
  }

  static String hs256(String kid, String payload, byte[] secret) throws Exception {
    String input = part("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + part(payload);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static String signed(String alg, String kid, String payload, PrivateKey key) throws Exception {
    String input = part("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "." + part(payload);
    Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(s.sign());
  }

  static String part(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rfc7515AppendixA1VectorVerifies() {
    // RFC 7515 A.1 (HS256): signature checked independently (python hmac); it has no channels claim.
    String token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
        + "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    byte[] key = Base64.getUrlDecoder().decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    JwtAuthorizer before = JwtAuthorizer.builder().hmacSecret(null, key)
        .clock(InstantSource.fixed(Instant.ofEpochSecond(1300819000L))).build();
    assertDeny(403, before.authorize(request("/news/master.m3u8", token)), "valid, but not entitled");
    JwtAuthorizer after = JwtAuthorizer.builder().hmacSecret(null, key)
        .clock(InstantSource.fixed(Instant.ofEpochSecond(1300819381L))).build();
    assertDeny(401, after.authorize(request("/news/master.m3u8", token)), "expired");
  }

  @Test
  void allThreeAlgorithmsGrantTheClaimedChannels() throws Exception {
    String payload = claims("[\"news\",\"sport\"]", NOW_S + 600, NOW_S - 5);
    for (String token : List.of(hs256("hs", payload, HS_SECRET), signed("RS256", "rs", payload, rsa.getPrivate()),
        signed("ES256", "es", payload, ec.getPrivate()))) {
      AuthDecision.Allow allow = assertInstanceOf(AuthDecision.Allow.class,
          authorizer(NOW).authorize(request("/news/keys/k1.key", token)), token);
      assertEquals(Duration.ofSeconds(600), allow.maxAge());
      assertTrue(authorizer(NOW).authorize(request("/sport/master.m3u8", token)).allowed());
      assertDeny(403, authorizer(NOW).authorize(request("/movies/master.m3u8", token)));
      assertEquals("alice", authorizer(NOW).subject(request("/news/master.m3u8", token)));
    }
    String all = hs256("hs", claims("[\"*\"]", NOW_S + 60, null), HS_SECRET);
    assertTrue(authorizer(NOW).authorize(request("/movies/master.m3u8", all)).allowed());
  }

  @Test
  void timeClaimsAreEnforced() throws Exception {
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8",
        hs256("hs", claims("[\"news\"]", NOW_S - 1, null), HS_SECRET))), "expired");
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8",
        hs256("hs", claims("[\"news\"]", NOW_S + 60, NOW_S + 30), HS_SECRET))), "not yet valid");
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8",
        hs256("hs", "{\"channels\":[\"news\"]}", HS_SECRET))), "exp is required");
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8",
        hs256("hs", "{\"exp\":\"soon\",\"channels\":[\"news\"]}", HS_SECRET))), "exp must be a number");
  }

  @Test
  void forgedTamperedAndConfusedTokensAre401() throws Exception {
    String payload = claims("[\"news\"]", NOW_S + 600, null);
    String good = signed("RS256", "rs", payload, rsa.getPrivate());
    // Another key.
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8",
        signed("RS256", "rs", payload, g.generateKeyPair().getPrivate()))));
    // Tampered payload: more channels.
    String[] parts = good.split("\\.");
    String widened = parts[0] + "." + part(claims("[\"*\"]", NOW_S + 600, null)) + "." + parts[2];
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", widened)));
    // alg=none.
    String none = part("{\"alg\":\"none\"}") + "." + part(payload) + ".";
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", none)));
    // Algorithm confusion: HS256 "signed" with the RSA public key's bytes as the secret.
    String confused = hs256("rs", payload, rsa.getPublic().getEncoded());
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", confused)));
    // Replayed under another kid of the same algorithm family.
    String otherKid = signed("ES256", "rs", payload, ec.getPrivate());
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", otherKid)));
    // Garbage.
    for (String garbage : List.of("", "a.b", "a.b.c", "a.b.c.d.e", part("{") + "." + part("{}") + ".AA",
        part("{\"alg\":\"HS256\",\"alg\":\"none\"}") + "." + part(payload) + ".AA")) {
      assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", garbage)), garbage);
    }
    assertNull(authorizer(NOW).subject(request("/news/master.m3u8", widened)));
    assertDeny(401, authorizer(NOW).authorize(request("/news/master.m3u8", null)));
  }

  @Test
  void providerBuildsFromStringSettings() throws Exception {
    Authorizer loaded = Authorizers.load("jwt", java.util.Map.of(
        "rsa.rs", Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded()),
        "ec.es", Base64.getEncoder().encodeToString(ec.getPublic().getEncoded()),
        "hs256.hs", Base64.getEncoder().encodeToString(HS_SECRET)));
    String payload = claims("[\"news\"]", Instant.now().getEpochSecond() + 600, null);
    for (String token : List.of(hs256("hs", payload, HS_SECRET), signed("RS256", "rs", payload, rsa.getPrivate()),
        signed("ES256", "es", payload, ec.getPrivate()))) {
      assertTrue(loaded.authorize(request("/news/master.m3u8", token)).allowed(), token);
    }
    assertThrows(IllegalArgumentException.class, () -> Authorizers.load("jwt", java.util.Map.of("rsa.x", "AAAA")));
    Authorizer edge = Authorizers.load("edgeauth-2", java.util.Map.of("key", EdgeAuthTokenAuthorizerTest.KEY));
    assertDeny(401, edge.authorize(request("/news/master.m3u8", EdgeAuthTokenAuthorizerTest.ACL_TOKEN)), "expired");
  }

  @Test
  void builderValidates() {
    assertThrows(IllegalArgumentException.class, () -> JwtAuthorizer.builder().hmacSecret("k", new byte[16]));
    assertThrows(IllegalStateException.class, () -> JwtAuthorizer.builder().build());
    assertThrows(IllegalStateException.class,
        () -> JwtAuthorizer.builder().hmacSecret("k", HS_SECRET).hmacSecret("k", HS_SECRET));
    assertFalse(authorizer(NOW).toString().contains("0123"), authorizer(NOW).toString());
  }
}
