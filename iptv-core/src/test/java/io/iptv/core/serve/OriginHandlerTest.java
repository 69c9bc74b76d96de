package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP semantics of {@link OriginHandler}, table-driven, without sockets. */
class OriginHandlerTest {
  private static final String LIVE = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nseg-1.ts\n";
  private static final String VOD = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n#EXT-X-ENDLIST\n";
  private static final byte[] SEGMENT = new byte[1000];
  private static final MapResourceLoader LOADER = new MapResourceLoader();
  private static final OriginHandler ORIGIN;

  static {
    for (int i = 0; i < SEGMENT.length; i++) {
      SEGMENT[i] = (byte) i;
    }
    LOADER.put("/news/master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nindex.m3u8\n")
        .put("/news/index.m3u8", LIVE)
        .put("/vod/index.m3u8", VOD)
        .put("/news/seg-1.ts", SEGMENT)
        .put("/news/v/init.mp4", new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'})
        .put("/news/manifest.mpd", "<MPD type=\"dynamic\"/>")
        .put("/news/keys/k1.key", new byte[16]);
    ORIGIN = OriginHandler.builder(LOADER).cors(CorsPolicy.builder().allowOrigin("https://player.example").build())
        .build();
  }

  private static final String SEGMENT_ETAG =
      ServedResource.contentEtag(ByteSlice.wrap(SEGMENT));

  record Case(String name, String method, String path, Map<String, String> headers, int status,
      Map<String, String> expectHeaders, int contentLength) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Map<String, String> h(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("live playlist", "GET", "/news/index.m3u8", h(), 200,
            h("Content-Type", "application/vnd.apple.mpegurl", "Cache-Control", "public, max-age=3"), LIVE.length()),
        new Case("vod playlist", "GET", "/vod/index.m3u8", h(), 200,
            h("Cache-Control", "public, max-age=86400"), VOD.length()),
        new Case("multivariant", "GET", "/news/master.m3u8", h(), 200,
            h("Content-Type", "application/vnd.apple.mpegurl", "Cache-Control", "public, max-age=300"), -1),
        new Case("segment", "GET", "/news/seg-1.ts", h(), 200,
            h("Content-Type", "video/mp2t", "ETag", SEGMENT_ETAG,
                "Cache-Control", "public, max-age=31536000, immutable", "Accept-Ranges", "bytes"), 1000),
        new Case("init segment", "GET", "/news/v/init.mp4", h(), 200, h("Content-Type", "video/mp4"), 8),
        new Case("live manifest", "GET", "/news/manifest.mpd", h(), 200,
            h("Content-Type", "application/dash+xml", "Cache-Control", "public, max-age=1"), -1),
        new Case("key is never stored", "GET", "/news/keys/k1.key", h(), 200,
            h("Content-Type", "application/octet-stream", "Cache-Control", "no-store"), 16),
        new Case("HEAD keeps length, sends nothing", "HEAD", "/news/seg-1.ts", h(), 200,
            h("ETag", SEGMENT_ETAG), 1000),
        new Case("If-None-Match hit", "GET", "/news/seg-1.ts", h("If-None-Match", SEGMENT_ETAG), 304,
            h("ETag", SEGMENT_ETAG, "Cache-Control", "public, max-age=31536000, immutable"), -1),
        new Case("If-None-Match list, weak form", "GET", "/news/seg-1.ts",
            h("If-None-Match", "\"x\", W/" + SEGMENT_ETAG), 304, h(), -1),
        new Case("If-None-Match star", "GET", "/news/seg-1.ts", h("If-None-Match", "*"), 304, h(), -1),
        new Case("If-None-Match miss", "GET", "/news/seg-1.ts", h("If-None-Match", "\"other\""), 200, h(), 1000),
        new Case("range", "GET", "/news/seg-1.ts", h("Range", "bytes=10-19"), 206,
            h("Content-Range", "bytes 10-19/1000", "ETag", SEGMENT_ETAG), 10),
        new Case("open range", "GET", "/news/seg-1.ts", h("Range", "bytes=990-"), 206,
            h("Content-Range", "bytes 990-999/1000"), 10),
        new Case("suffix range", "GET", "/news/seg-1.ts", h("Range", "bytes=-100"), 206,
            h("Content-Range", "bytes 900-999/1000"), 100),
        new Case("range end clamped", "GET", "/news/seg-1.ts", h("Range", "bytes=500-5000"), 206,
            h("Content-Range", "bytes 500-999/1000"), 500),
        new Case("HEAD range", "HEAD", "/news/seg-1.ts", h("Range", "bytes=0-0"), 206,
            h("Content-Range", "bytes 0-0/1000"), 1),
        new Case("range past end", "GET", "/news/seg-1.ts", h("Range", "bytes=1000-"), 416,
            h("Content-Range", "bytes */1000"), -1),
        new Case("reversed range", "GET", "/news/seg-1.ts", h("Range", "bytes=20-10"), 416, h(), -1),
        new Case("garbage range", "GET", "/news/seg-1.ts", h("Range", "bytes=abc"), 416, h(), -1),
        new Case("zero suffix", "GET", "/news/seg-1.ts", h("Range", "bytes=-0"), 416, h(), -1),
        new Case("huge number", "GET", "/news/seg-1.ts", h("Range", "bytes=99999999999999999999-"), 416, h(), -1),
        new Case("multi range served whole", "GET", "/news/seg-1.ts", h("Range", "bytes=0-1,5-6"), 200, h(), 1000),
        new Case("other unit ignored", "GET", "/news/seg-1.ts", h("Range", "items=0-1"), 200, h(), 1000),
        new Case("If-Range mismatch ignores range", "GET", "/news/seg-1.ts",
            h("Range", "bytes=0-1", "If-Range", "\"old\""), 200, h(), 1000),
        new Case("If-Range match", "GET", "/news/seg-1.ts",
            h("Range", "bytes=0-1", "If-Range", SEGMENT_ETAG), 206, h(), 2),
        new Case("missing segment", "GET", "/news/seg-2.ts", h(), 404, h("Cache-Control", "public, max-age=2"), -1),
        new Case("unknown channel", "GET", "/other/seg-1.ts", h(), 404, h(), -1),
        new Case("unknown kind", "GET", "/news/readme.txt", h(), 404, h(), -1),
        new Case("traversal", "GET", "/news/../vod/index.m3u8", h(), 400, h("Cache-Control", "no-store"), -1),
        new Case("encoded traversal", "GET", "/news/%2e%2e/vod/index.m3u8", h(), 400, h(), -1),
        new Case("encoded slash", "GET", "/news/..%2Fvod%2Findex.m3u8", h(), 400, h(), -1),
        new Case("backslash traversal", "GET", "/news/..\\vod\\index.m3u8", h(), 400, h(), -1),
        new Case("POST not allowed", "POST", "/news/seg-1.ts", h(), 405, h("Allow", "GET, HEAD, OPTIONS"), -1),
        new Case("DELETE not allowed", "DELETE", "/news/seg-1.ts", h(), 405, h(), -1),
        new Case("licence without handler", "POST", "/license/clearkey", h(), 404, h(), -1),
        new Case("CORS allowed origin", "GET", "/news/seg-1.ts", h("Origin", "https://player.example"), 200,
            h("Access-Control-Allow-Origin", "https://player.example", "Vary", "Origin",
                "Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag, Accept-Ranges"), 1000),
        new Case("CORS preflight", "OPTIONS", "/news/seg-1.ts",
            h("Origin", "https://player.example", "Access-Control-Request-Method", "GET"), 204,
            h("Access-Control-Allow-Origin", "https://player.example", "Access-Control-Max-Age", "86400",
                "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"), -1),
        new Case("huge header", "GET", "/news/seg-1.ts", h("X-Big", "a".repeat(20_000)), 431, h(), -1),
        new Case("long request line", "GET", "/news/seg-1.ts?t=" + "a".repeat(9000), h(), 414, h(), -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answers(Case c) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    c.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    String path = c.path();
    String query = null;
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q + 1);
      path = path.substring(0, q);
    }
    HttpRequest request = new HttpRequest(c.method(), path, query, RequestHeaders.of(headers), null, false,
        ByteSlice.empty());
    HttpResponse response = ORIGIN.handle(request).join();
    assertEquals(c.status(), response.status(), "status of " + c.name());
    c.expectHeaders().forEach((name, value) -> assertEquals(value, response.header(name), name + " of " + c.name()));
    assertNull(response.header("Content-Length"), "adapters set Content-Length");
    if (c.contentLength() >= 0) {
      assertEquals(c.contentLength(), response.contentLength(), "length of " + c.name());
    }
    if (c.method().equals("HEAD") || c.status() == 304 || c.status() == 204) {
      assertFalse(response.sendBody());
      assertTrue(response.body().isEmpty());
    }
    if (c.status() == 304) {
      assertEquals(-1, response.contentLength());
    }
  }

  @Test
  void rangeBodyIsTheRequestedBytes() {
    HttpRequest request = HttpRequest.get("/news/seg-1.ts")
        .withHeaders(RequestHeaders.of(Map.of("Range", List.of("bytes=100-103"))));
    HttpResponse response = ORIGIN.handle(request).join();
    assertTrue(Arrays.equals(Arrays.copyOfRange(SEGMENT, 100, 104), response.body().toByteArray()));
  }

  @Test
  void corsNotSentToOtherOrigins() {
    HttpRequest request = HttpRequest.get("/news/seg-1.ts")
        .withHeaders(RequestHeaders.of(Map.of("Origin", List.of("https://evil.example"))));
    HttpResponse response = ORIGIN.handle(request).join();
    assertEquals(200, response.status());
    assertNull(response.header("Access-Control-Allow-Origin"));
  }

  @Test
  void loaderIoFailureIs503AndOtherFailures500() {
    MapResourceLoader failing = new MapResourceLoader();
    failing.failure = new IOException("upstream down");
    HttpResponse io = OriginHandler.builder(failing).build().handle(HttpRequest.get("/news/seg-1.ts")).join();
    assertEquals(503, io.status());
    assertEquals("no-store", io.header("Cache-Control"));
    ResourceLoader broken = key -> {
      throw new IllegalStateException("bug");
    };
    assertEquals(500, OriginHandler.builder(broken).build().handle(HttpRequest.get("/news/seg-1.ts")).join()
        .status());
  }

  @Test
  void interceptorRunsBeforeLoading() {
    MapResourceLoader loader = new MapResourceLoader().put("/news/keys/k.key", new byte[16]);
    List<ResourceKey> seen = new ArrayList<>();
    OriginHandler origin = OriginHandler.builder(loader).interceptor((request, key) -> {
      seen.add(key);
      return key.kind() == ResourceKind.KEY ? HttpResponse.text(403, "forbidden", List.of()) : null;
    }).build();
    assertEquals(403, origin.handle(HttpRequest.get("/news/keys/k.key")).join().status());
    assertEquals(0, loader.loads.get());
    assertEquals(List.of(ResourceKey.parse("/news/keys/k.key")), seen);
  }

  @Test
  void basePathIsStripped() {
    OriginHandler origin = OriginHandler.builder(LOADER).basePath("/live").build();
    assertEquals(200, origin.handle(HttpRequest.get("/live/news/seg-1.ts")).join().status());
    assertEquals(404, origin.handle(HttpRequest.get("/news/seg-1.ts")).join().status());
    assertEquals(404, origin.handle(HttpRequest.get("/livex/news/seg-1.ts")).join().status());
  }

  @Test
  void licenceRequestsGoToTheLicenceHandler() {
    OriginHandler origin = OriginHandler.builder(LOADER).licenseHandler(request -> CompletableFuture
        .completedFuture(HttpResponse.text(200, "keys:" + request.body().length(), List.of()))).build();
    HttpRequest post = new HttpRequest("POST", "/license/clearkey", null, RequestHeaders.none(), null, false,
        ByteSlice.wrap(new byte[5]));
    HttpResponse response = origin.handle(post).join();
    assertEquals(200, response.status());
    assertEquals("keys:5\n", new String(response.body().toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(405, origin.handle(HttpRequest.get("/license/clearkey")).join().status());
    HttpRequest big = new HttpRequest("POST", "/license/clearkey", null, RequestHeaders.none(), null, false,
        ByteSlice.wrap(new byte[70_000]));
    assertEquals(413, origin.handle(big).join().status());
  }

  @Test
  void builderRejectsSettingTwice() {
    OriginHandler.Builder b = OriginHandler.builder(LOADER).cors(CorsPolicy.anyOrigin());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> b.cors(CorsPolicy.disabled()));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> OriginHandler.builder(LOADER).basePath("/a/../b"));
  }
}
