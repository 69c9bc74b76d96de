package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Key delivery: raw bytes, no-store, authorisation first, unknown KIDs revealed as nothing but 404. */
class KeyDeliveryHandlerTest {
  private static final ContentKey KEY = ContentKey.parse("00112233445566778899aabbccddeeff:"
      + "3c1f0e2d4b5a69788796a5b4c3d2e1f0");
  private static final String PATH = "/news/keys/00112233445566778899aabbccddeeff.key";

  private final KeyDeliveryHandler allowAll = KeyDeliveryHandler.builder(KeyProvider.fixed(KEY))
      .accessPolicy(KeyAccessPolicy.allowAll())
      .allowOrigin("*")
      .build();

  @Test
  void servesTheSixteenRawBytesUncacheable() {
    HttpResponse r = allowAll.handle(withOrigin(HttpRequest.get(PATH)), ResourceKey.parse(PATH));
    assertEquals(200, r.status());
    assertArrayEquals(KEY.keyBytes(), r.body().toByteArray());
    assertEquals(16, r.contentLength());
    assertEquals("application/octet-stream", r.header("Content-Type"));
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
  }

  @Test
  void derivedKeysAreServedWithoutAKeyTable() {
    byte[] secret = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f1011");
    ContentKey issued = KeyProvider.derived(secret).key(new KeyRequest("news", TrackType.VIDEO, 12));
    KeyDeliveryHandler handler = KeyDeliveryHandler.builder(KeyProvider.derived(secret))
        .accessPolicy(KeyAccessPolicy.allowAll()).build();
    String path = "/news/keys/" + issued.keyId().toHex() + ".key";
    assertArrayEquals(issued.keyBytes(), handler.handle(HttpRequest.get(path), ResourceKey.parse(path))
        .body().toByteArray());
    String other = "/sport/keys/" + issued.keyId().toHex() + ".key";
    assertEquals(404, handler.handle(HttpRequest.get(other), ResourceKey.parse(other)).status());
  }

  @Test
  void deniedBeforeTheKeyIsLookedUp() {
    AtomicInteger lookups = new AtomicInteger();
    KeyDeliveryHandler handler = KeyDeliveryHandler.builder((channel, kid) -> {
      lookups.incrementAndGet();
      return KEY;
    }).accessPolicy((request, key) -> request.secure()).build();
    HttpResponse r = handler.handle(HttpRequest.get(PATH), ResourceKey.parse(PATH));
    assertEquals(403, r.status());
    assertEquals("no-store", r.header("Cache-Control"));
    assertEquals(0, lookups.get());
    String unknown = "/news/keys/ffffffffffffffffffffffffffffffff.key";
    assertEquals(403, handler.handle(HttpRequest.get(unknown), ResourceKey.parse(unknown)).status(),
        "a denied client learns nothing about which KIDs exist");
  }

  @Test
  void unknownOrMalformedKidsAreAPlain404() {
    HttpResponse unknown = allowAll.handle(HttpRequest.get("/news/keys/ffffffffffffffffffffffffffffffff.key"),
        ResourceKey.parse("/news/keys/ffffffffffffffffffffffffffffffff.key"));
    HttpResponse malformed = allowAll.handle(HttpRequest.get("/news/keys/k1.key"), ResourceKey.parse("/news/keys/k1.key"));
    for (HttpResponse r : List.of(unknown, malformed)) {
      assertEquals(404, r.status());
      assertEquals("no-store", r.header("Cache-Control"));
      assertEquals("not found\n", new String(r.body().toByteArray(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void headAndMethods() {
    HttpResponse head = allowAll.handle(HttpRequest.get(PATH).withMethod("HEAD"), ResourceKey.parse(PATH));
    assertEquals(200, head.status());
    assertEquals(0, head.body().length());
    assertEquals(16, head.contentLength());
    HttpResponse post = allowAll.handle(HttpRequest.get(PATH).withMethod("POST"), ResourceKey.parse(PATH));
    assertEquals(405, post.status());
    assertThrows(IllegalArgumentException.class,
        () -> allowAll.handle(HttpRequest.get("/news/master.m3u8"), ResourceKey.parse("/news/master.m3u8")));
  }

  @Test
  void mountedInTheOriginKeysBypassTheLoaderOtherRequestsReachTheHostInterceptor() {
    AtomicInteger hostCalls = new AtomicInteger();
    RequestInterceptor host = (request, key) -> {
      hostCalls.incrementAndGet();
      return null;
    };
    ResourceLoader loader = key -> key.kind() == io.iptv.core.serve.ResourceKind.KEY
        ? fail() : io.iptv.core.serve.ServedResource.of(key, ByteSlice.wrap("#EXTM3U\n".getBytes(StandardCharsets.UTF_8)));
    OriginHandler origin = OriginHandler.builder(loader).interceptor(allowAll.interceptor(host)).build();
    HttpResponse key = origin.handle(HttpRequest.get(PATH)).join();
    assertEquals(200, key.status());
    assertArrayEquals(KEY.keyBytes(), key.body().toByteArray());
    assertEquals(0, hostCalls.get());
    assertEquals(200, origin.handle(HttpRequest.get("/news/master.m3u8")).join().status());
    assertEquals(1, hostCalls.get());
    assertNull(allowAll.interceptor(host).intercept(HttpRequest.get("/news/a.ts"), ResourceKey.parse("/news/a.ts")));
  }

  @Test
  void accessPolicyIsRequired() {
    assertThrows(IllegalStateException.class, () -> KeyDeliveryHandler.builder(KeyProvider.fixed(KEY)).build());
    assertFalse(allowAll.toString().contains("3c1f0e2d"));
  }

  private static io.iptv.core.serve.ServedResource fail() {
    throw new AssertionError("a key must never be loaded through the ResourceLoader");
  }

  private static HttpRequest withOrigin(HttpRequest request) {
    return request.withHeaders(RequestHeaders.of(Map.of("Origin", List.of("http://127.0.0.1:1234"))));
  }
}
