package io.iptv.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The auth layer wired into {@link OriginHandler}: status codes, key resources, propagation, and no token in logs. */
class AuthOriginTest {
  static final String MASTER = "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n"
      + "#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e,mp4a.40.2\"\nstream/index.m3u8\n";
  static final String MEDIA = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n"
      + "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k1.key\",IV=0x00000000000000000000000000000001\n"
      + "#EXTINF:2.000,\nseg-00007.ts\n#EXTINF:2.000,\nseg-00008.ts\n";
  static final Map<String, String> CONTENT = Map.of(
      "/news/master.m3u8", MASTER,
      "/news/stream/index.m3u8", MEDIA,
      "/news/stream/seg-00007.ts", "segment bytes",
      "/news/keys/k1.key", "0123456789abcdef",
      "/sport/master.m3u8", MASTER);

  private final TokenSigner signer = TokenSigner.builder().key("k1", HmacTokenAuthorizerTest.SECRET_1).build();
  private final Authorizer hmac = HmacTokenAuthorizer.builder().secret("k1", HmacTokenAuthorizerTest.SECRET_1).build();

  static ResourceLoader loader() {
    return key -> {
      String text = CONTENT.get(key.path());
      return text == null ? null : ServedResource.of(key, ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_8)));
    };
  }

  static OriginHandler origin(Authorizer authorizer) {
    return OriginHandler.builder(loader())
        .interceptor(AuthInterceptor.of(authorizer))
        .resourceTransform(TokenPropagation.queryToken())
        .build();
  }

  static HttpResponse get(OriginHandler origin, String path, String query, String... headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return origin.handle(new HttpRequest("GET", path, query, RequestHeaders.of(h),
        new InetSocketAddress("127.0.0.1", 40000), false, ByteSlice.empty())).join();
  }

  static String body(HttpResponse response) {
    return new String(response.body().toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void unsignedIs401WithChallengeAndNoStore() {
    HttpResponse response = get(origin(hmac), "/news/master.m3u8", null);
    assertEquals(401, response.status());
    assertEquals("Bearer realm=\"iptv\"", response.header("WWW-Authenticate"));
    assertEquals("no-store", response.header("Cache-Control"));
    HttpResponse head = origin(hmac).handle(HttpRequest.get("/news/master.m3u8").withMethod("HEAD")).join();
    assertEquals(401, head.status());
    assertFalse(head.sendBody());
  }

  @Test
  void refusalsCarryTheCorsHeadersSoAPlayerOnAnotherOriginSeesTheStatus() {
    OriginHandler cors = OriginHandler.builder(loader())
        .cors(io.iptv.core.serve.CorsPolicy.builder().allowOrigin("https://player.example").build())
        .interceptor(AuthInterceptor.of(hmac))
        .build();
    String sportToken = "token=" + signer.sign("/sport/", Duration.ofMinutes(5));
    String[][] cases = {{"/news/master.m3u8", null, "401"}, {"/news/master.m3u8", sportToken, "403"},
        {"/news/keys/k1.key", null, "401"}, {"/news/keys/k1.key", sportToken, "403"}};
    for (String[] c : cases) {
      HttpResponse response = get(cors, c[0], c[1], "Origin", "https://player.example");
      assertEquals(Integer.parseInt(c[2]), response.status(), c[0]);
      assertEquals("https://player.example", response.header("Access-Control-Allow-Origin"), c[0]);
      assertTrue(response.headers().stream().anyMatch(h -> h.name().equals("Vary") && h.value().equals("Origin")));
      assertEquals("no-store", response.header("Cache-Control"));
      HttpResponse foreign = get(cors, c[0], c[1], "Origin", "https://evil.example");
      assertEquals(Integer.parseInt(c[2]), foreign.status());
      assertEquals(null, foreign.header("Access-Control-Allow-Origin"), "only the allowed origin");
    }
    assertEquals(null, get(origin(hmac), "/news/master.m3u8", null, "Origin", "https://player.example")
        .header("Access-Control-Allow-Origin"), "CORS off: no header");
  }

  @Test
  void aSignedMpdCarriesTheTokenInItsUrls() {
    String mpd = "<MPD><Period><AdaptationSet><Representation id=\"v\" bandwidth=\"1\">"
        + "<SegmentTemplate initialization=\"v/init.mp4\" media=\"v/seg-$Number$.m4s\"/>"
        + "</Representation></AdaptationSet></Period></MPD>";
    OriginHandler origin = OriginHandler.builder(key -> key.path().equals("/news/manifest.mpd")
            ? ServedResource.of(key, ByteSlice.wrap(mpd.getBytes(StandardCharsets.UTF_8))) : null)
        .interceptor(AuthInterceptor.of(hmac))
        .resourceTransform(TokenPropagation.queryToken())
        .build();
    String token = signer.sign("/news/", Duration.ofMinutes(5));
    HttpResponse response = get(origin, "/news/manifest.mpd", "token=" + token);
    assertEquals(200, response.status());
    assertTrue(response.header("Cache-Control").startsWith("private"), response.header("Cache-Control"));
    assertTrue(body(response).contains("initialization=\"v/init.mp4?token=" + token + "\" media=\"v/seg-$Number$.m4s?token="
        + token + "\""), body(response));
  }

  @Test
  void validTokenForAnotherChannelIs403() {
    String token = signer.sign("/sport/", Duration.ofMinutes(5));
    assertEquals(403, get(origin(hmac), "/news/master.m3u8", "token=" + token).status());
    assertEquals(200, get(origin(hmac), "/sport/master.m3u8", "token=" + token).status());
  }

  @Test
  void keysNeedAnExplicitAllowAndAreNeverCacheable() {
    assertEquals(403, get(origin(Authorizers.allowAll()), "/news/keys/k1.key", null).status());
    assertEquals(200, get(origin(Authorizers.allowAll()), "/news/stream/seg-00007.ts", null).status());
    assertEquals(401, get(origin(hmac), "/news/keys/k1.key", null).status());
    String token = signer.sign("/news/", Duration.ofMinutes(5));
    HttpResponse key = get(origin(hmac), "/news/keys/k1.key", "token=" + token);
    assertEquals(200, key.status());
    assertEquals("no-store", key.header("Cache-Control"));
    String segmentOnly = signer.sign("/news/stream/", Duration.ofMinutes(5));
    assertEquals(403, get(origin(hmac), "/news/keys/k1.key", "token=" + segmentOnly).status());
  }

  @Test
  void playlistsCarryTheCallersTokenArePrivateAndHaveAnEtagPerToken() {
    String token = signer.sign("/news/", Duration.ofMinutes(5));
    HttpResponse master = get(origin(hmac), "/news/master.m3u8", "token=" + token);
    assertEquals(200, master.status());
    assertTrue(body(master).contains("\nstream/index.m3u8?token=" + token + "\n"), body(master));
    assertTrue(master.header("Cache-Control").startsWith("private"), master.header("Cache-Control"));

    HttpResponse media = get(origin(hmac), "/news/stream/index.m3u8", "token=" + token);
    String text = body(media);
    assertTrue(text.contains("URI=\"../keys/k1.key?token=" + token + "\""), text);
    assertTrue(text.contains("\nseg-00007.ts?token=" + token + "\n"), text);
    assertTrue(text.contains("\nseg-00008.ts?token=" + token + "\n"), text);
    // Every URI the client is told about actually opens with the propagated token.
    assertEquals(200, get(origin(hmac), "/news/stream/seg-00007.ts", "token=" + token).status());
    assertEquals(200, get(origin(hmac), "/news/keys/k1.key", "token=" + token).status());

    String other = signer.sign("/news/", Duration.ofMinutes(6));
    HttpResponse otherMaster = get(origin(hmac), "/news/master.m3u8", "token=" + other);
    assertNotEquals(master.header("ETag"), otherMaster.header("ETag"), "ETags differ per token");
    assertEquals(304, get(origin(hmac), "/news/master.m3u8", "token=" + token,
        "If-None-Match", master.header("ETag")).status());
    assertEquals(200, get(origin(hmac), "/news/master.m3u8", "token=" + other,
        "If-None-Match", master.header("ETag")).status(), "another token's ETag must not validate");

    HttpResponse segment = get(origin(hmac), "/news/stream/seg-00007.ts", "token=" + token);
    assertTrue(segment.header("Cache-Control").startsWith("public"), "segments stay shareable");
  }

  @Test
  void headerTokensAreNotCopiedIntoPlaylists() {
    String token = signer.sign("/news/", Duration.ofMinutes(5));
    HttpResponse master = get(origin(hmac), "/news/master.m3u8", null, "Authorization", "Bearer " + token);
    assertEquals(200, master.status());
    assertEquals(MASTER, body(master));
    assertTrue(master.header("Cache-Control").startsWith("public"), master.header("Cache-Control"));
  }

  @Test
  void failingAuthorizerFailsClosed() {
    assertEquals(500, get(origin(r -> {
      throw new IllegalStateException("boom");
    }), "/news/master.m3u8", null).status());
    assertEquals(500, get(origin(r -> null), "/news/master.m3u8", null).status());
  }

  @Test
  void noTokenReachesTheLogsOrStandardStreams() {
    String token = signer.sign("/news/", Duration.ofMinutes(5));
    String expired = TokenSigner.builder().key("k1", HmacTokenAuthorizerTest.SECRET_1)
        .clock(java.time.InstantSource.fixed(java.time.Instant.parse("2020-01-01T00:00:00Z"))).build()
        .sign("/news/", Duration.ofMinutes(1));
    List<String> logged = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        StringBuilder b = new StringBuilder(String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
          for (Object p : record.getParameters()) {
            b.append(' ').append(p);
          }
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          b.append(' ').append(t);
        }
        logged.add(b.toString());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    Logger iptv = Logger.getLogger("io.iptv");
    Level before = iptv.getLevel();
    iptv.setLevel(Level.ALL);
    iptv.addHandler(capture);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream streams = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(streams, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      OriginHandler origin = origin(hmac);
      for (String path : List.of("/news/master.m3u8", "/sport/master.m3u8", "/news/keys/k1.key",
          "/news/stream/index.m3u8", "/news/../x", "/nope/master.m3u8")) {
        get(origin, path, "token=" + token);
        get(origin, path, "token=" + expired);
        get(origin, path, "token=" + token.substring(0, token.length() - 2) + "xx");
        get(origin, path, null, "Authorization", "Bearer " + token);
      }
      get(origin(r -> {
        throw new IllegalStateException("bad token " + r.token());
      }), "/news/master.m3u8", "token=" + token);
    } finally {
      System.setOut(out);
      System.setErr(err);
      iptv.removeHandler(capture);
      iptv.setLevel(before);
    }
    assertFalse(logged.isEmpty(), "the capture must see the DEBUG refusal lines, or it proves nothing");
    String all = String.join("\n", logged) + streams.toString(StandardCharsets.UTF_8);
    for (String secret : List.of(token, expired, token.substring(token.lastIndexOf('.') + 1))) {
      assertFalse(all.contains(secret), "a token leaked into the logs:\n" + all);
    }
  }
}
