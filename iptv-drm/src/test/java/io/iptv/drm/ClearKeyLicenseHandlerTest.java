package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.auth.AuthDecision;
import io.iptv.core.auth.Authorizer;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClearKeyLicenseHandlerTest {
  private static final String KID_HEX = "00112233445566778899aabbccddeeff";
  private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f";
  // base64url without padding of the KID and key above, computed by hand from their hex digits.
  private static final String KID_B64 = "ABEiM0RVZneImaq7zN3u_w";
  private static final String KEY_B64 = "AAECAwQFBgcICQoLDA0ODw";
  private static final String OTHER_KID_B64 = "_____________________w"; // ff…ff: unknown
  private static final FixedKeys KEYS = KeyProvider.fixed(ContentKey.parse(KID_HEX + ":" + KEY_HEX));

  /** Allows a channel's keys to the token "t-{channel}"; no token: 401; another token: 403. */
  private static final Authorizer TOKENS = request -> {
    if (request.token() == null) {
      return AuthDecision.unauthenticated("no token");
    }
    return request.token().equals("t-" + request.channel()) ? AuthDecision.allow(Duration.ZERO)
        : AuthDecision.forbidden("not entitled");
  };

  private static HttpRequest post(String body, String query) {
    return new HttpRequest("POST", "/license/clearkey", query, RequestHeaders.of(Map.of("Origin",
        List.of("http://player.example"))), null, false, ByteSlice.wrap(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String body(HttpResponse response) {
    return new String(response.body().toByteArray(), StandardCharsets.UTF_8);
  }

  private static ClearKeyLicenseHandler handler(List<String> channels) {
    return ClearKeyLicenseHandler.builder(KeyLocator.inChannels(KEYS, channels)).authorizer(TOKENS).build();
  }

  @Test
  void answersAJsonWebKeySetForAnAuthorizedKid() {
    HttpResponse r = handler(List.of("news")).handle(post("{\"kids\":[\"" + KID_B64 + "\"],\"type\":\"temporary\"}",
        "token=t-news"));
    assertEquals(200, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals("{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + KEY_B64 + "\",\"kid\":\"" + KID_B64
        + "\"}],\"type\":\"temporary\"}", body(r));
  }

  @Test
  void unknownKidsAreLeftOutSilently() {
    HttpResponse r = handler(List.of("news")).handle(post(" {\"type\":\"temporary\", \"kids\" : [\"" + OTHER_KID_B64
        + "\", \"" + KID_B64 + "==\"], \"extra\":{\"a\":[1,2.5e3,true,null]}}", "token=t-news"));
    assertEquals(200, r.status());
    assertTrue(body(r).contains(KEY_B64));
    assertFalse(body(r).contains(OTHER_KID_B64));
  }

  @Test
  void refusalsFollowTheAuthorization() {
    ClearKeyLicenseHandler h = handler(List.of("news"));
    HttpResponse anonymous = h.handle(post("{\"kids\":[\"" + KID_B64 + "\"]}", null));
    assertEquals(401, anonymous.status());
    assertFalse(body(anonymous).contains(KEY_B64));
    HttpResponse otherChannel = h.handle(post("{\"kids\":[\"" + KID_B64 + "\"]}", "token=t-sport"));
    assertEquals(403, otherChannel.status());
    // Unknown KIDs are refused the same way, so a client cannot probe which KIDs exist.
    assertEquals(401, h.handle(post("{\"kids\":[\"" + OTHER_KID_B64 + "\"]}", null)).status());
    assertEquals(403, h.handle(post("{\"kids\":[\"" + OTHER_KID_B64 + "\"]}", "token=t-sport")).status());
  }

  @Test
  void aKeySharedByChannelsIsGrantedThroughAnyOfThem() {
    HttpResponse r = handler(List.of("news", "sport")).handle(post("{\"kids\":[\"" + KID_B64 + "\"]}",
        "token=t-sport"));
    assertEquals(200, r.status());
    assertTrue(body(r).contains(KEY_B64));
  }

  @Test
  void malformedRequestsAre400WithAReason() {
    ClearKeyLicenseHandler h = ClearKeyLicenseHandler.builder(KeyLocator.inChannels(KEYS, List.of("news")))
        .accessPolicy(KeyAccessPolicy.allowAll()).maxBodyBytes(256).build();
    for (String bad : List.of("", "{", "[]", "{\"kids\":[]}", "{\"kids\":\"" + KID_B64 + "\"}",
        "{\"kids\":[\"short\"]}", "{\"kids\":[\"" + KID_B64 + "\"]} x", "{\"kids\":[\"" + KID_B64 + "\"],}",
        "{\"kids\":[\"" + KID_B64 + "\"],\"type\":\"persistent-license\"}", "{\"kids\":[1]}",
        "{\"a\":" + "[".repeat(20) + "]".repeat(20) + ",\"kids\":[\"" + KID_B64 + "\"]}")) {
      HttpResponse r = h.handle(post(bad, null));
      assertEquals(400, r.status(), bad);
      assertTrue(body(r).startsWith("bad licence request"), body(r));
      assertEquals("no-store", r.header("Cache-Control"));
    }
    assertEquals(413, h.handle(post("{\"kids\":[\"" + KID_B64 + "\"]," + "\"x\":\"" + "a".repeat(300) + "\"}", null))
        .status());
    assertEquals(405, h.handle(post("{}", null).withMethod("GET")).status());
    assertEquals(200, h.handle(post("{\"kids\":[\"" + KID_B64 + "\"]}", null)).status());
  }

  @Test
  void damagedBodiesGetA400OrAnAnswerNeverAnException() {
    ClearKeyLicenseHandler h = ClearKeyLicenseHandler.builder(KeyLocator.inChannels(KEYS, List.of("news")))
        .accessPolicy(KeyAccessPolicy.allowAll()).build();
    byte[] good = ("{\"kids\":[\"" + KID_B64 + "\",\"" + OTHER_KID_B64 + "\"],\"type\":\"temporary\","
        + "\"x\":[{\"a\":\"\\u0041\\n\"},-1.5e3,true,false,null]}").getBytes(StandardCharsets.UTF_8);
    assertEquals(200, h.handle(post(new String(good, StandardCharsets.UTF_8), null)).status());
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] damaged = java.util.Arrays.copyOf(good, random.nextInt(good.length + 1));
      for (int j = random.nextInt(4); j > 0 && damaged.length > 0; j--) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      HttpRequest request = new HttpRequest("POST", "/license/clearkey", null, RequestHeaders.none(), null, false,
          ByteSlice.wrap(damaged));
      int status = h.handle(request).status(); // must not throw
      assertTrue(status == 200 || status == 400, "status " + status);
    }
  }

  @Test
  void neverShowsKeys() {
    ClearKeyLicenseHandler h = handler(List.of("news"));
    assertFalse(h.toString().contains(KEY_HEX));
    assertFalse(new LocatedKey("news", KEYS.keys().get(0)).toString().contains(KEY_HEX));
  }

  @Test
  void issuedKeyIndexLocatesDerivedKeysAndEvictsTheLeastRecent() throws Exception {
    IssuedKeyIndex index = IssuedKeyIndex.builder(KeyProvider.derived(new byte[32])).maximumSize(2).build();
    ContentKey k0 = index.key(new KeyRequest("news", TrackType.VIDEO, 0));
    ContentKey k1 = index.key(new KeyRequest("news", TrackType.VIDEO, 1));
    assertEquals(List.of(new LocatedKey("news", k0)), index.locate(k0.keyId())); // k0 now most recent
    ContentKey k2 = index.key(new KeyRequest("sport", TrackType.VIDEO, 2));
    assertEquals(2, index.size());
    assertEquals(List.of(), index.locate(k1.keyId()));
    assertEquals("sport", index.locate(k2.keyId()).get(0).channel());
    assertThrows(IllegalArgumentException.class, () -> IssuedKeyIndex.builder(index).maximumSize(0));
  }

  @Test
  void theOriginServesTheLicenceWithCors() {
    ClearKeyLicenseHandler license = ClearKeyLicenseHandler.builder(KeyLocator.inChannels(KEYS, List.of("news")))
        .accessPolicy(KeyAccessPolicy.allowAll()).build();
    ResourceLoader nothing = key -> null;
    OriginHandler origin = OriginHandler.builder(nothing).cors(CorsPolicy.anyOrigin())
        .licenseHandler(license::handleAsync).build();
    HttpResponse r = origin.handle(post("{\"kids\":[\"" + KID_B64 + "\"]}", null)).join();
    assertEquals(200, r.status());
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
    assertTrue(body(r).contains(KEY_B64));
    HttpResponse preflight = origin.handle(new HttpRequest("OPTIONS", "/license/clearkey", null,
        RequestHeaders.of(Map.of("Origin", List.of("http://player.example"), "Access-Control-Request-Method",
            List.of("POST"), "Access-Control-Request-Headers", List.of("content-type"))), null, false,
        ByteSlice.empty())).join();
    assertEquals(204, preflight.status());
    assertTrue(preflight.header("Access-Control-Allow-Methods").contains("POST"));
    assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Content-Type"));
    OriginHandler closed = OriginHandler.builder(nothing).build();
    assertNull(closed.handle(post("{}", null)).join().header("Access-Control-Allow-Origin"));
  }
}
