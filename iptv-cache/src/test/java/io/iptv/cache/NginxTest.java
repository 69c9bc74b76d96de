package io.iptv.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real nginx (Debian package {@code nginx}): nginx as a CDN tier in front of the library's origin
 * (with the shipped {@code iptv-examples/src/main/resources/nginx/cdn-tier.conf}), and the library's edge in
 * front of nginx serving a directory. Fails when {@code CI=true} and nginx is missing.
 */
class NginxTest {
  private static final Path CDN_TIER_CONF =
      Path.of("..", "iptv-examples", "src", "main", "resources", "nginx", "cdn-tier.conf");

  @TempDir
  Path temp;

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<byte[]> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache-Status").orElse("none");
  }

  @Test
  void nginxCdnTierCachesSegmentsAndVodPlaylistsExpiresLivePlaylistsNeverKeys() throws Exception {
    NginxProcess.binary();
    String live = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg-1.ts\n"; // max-age=1
    String vod = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n#EXT-X-ENDLIST\n";
    CountingLoader content = new CountingLoader().put("/news/seg-1.ts", new byte[300_000])
        .put("/news/index.m3u8", live).put("/vod/index.m3u8", vod).put("/news/keys/k1.key", new byte[16]);
    List<String> conditional = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (JdkHttpServerAdapter origin = JdkHttpServerAdapter.builder(OriginHandler.builder(content)
        .interceptor((request, key) -> {
          if (request.headers().first("If-None-Match") != null) {
            conditional.add(key.path());
          }
          return null;
        }).build()).executor(pool).start()) {
      String tier = Files.readString(CDN_TIER_CONF)
          .replace("__CACHE_DIR__", temp.resolve("cache").toString())
          .replace("__ORIGIN__", "127.0.0.1:" + origin.port());
      try (NginxProcess nginx = NginxProcess.start(temp.resolve("nginx"), tier)) {
        // Segments: MISS then HIT, one origin load.
        HttpResponse<byte[]> seg1 = get(nginx.port, "/news/seg-1.ts");
        HttpResponse<byte[]> seg2 = get(nginx.port, "/news/seg-1.ts");
        assertEquals(200, seg2.statusCode());
        assertEquals(300_000, seg2.body().length);
        assertEquals("MISS", cacheStatus(seg1));
        assertEquals("HIT", cacheStatus(seg2));
        assertEquals(1, content.loadsOf("/news/seg-1.ts"));
        // Range requests are answered from the cached object.
        HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + nginx.port + "/news/seg-1.ts")).header("Range", "bytes=0-9").build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals(1, content.loadsOf("/news/seg-1.ts"));
        // VOD playlist: cached.
        assertEquals("MISS", cacheStatus(get(nginx.port, "/vod/index.m3u8")));
        assertEquals("HIT", cacheStatus(get(nginx.port, "/vod/index.m3u8")));
        assertEquals(1, content.loadsOf("/vod/index.m3u8"));
        // Live playlist: cached for max-age=1, then revalidated with If-None-Match (304 from the origin).
        assertEquals("MISS", cacheStatus(get(nginx.port, "/news/index.m3u8")));
        assertEquals("HIT", cacheStatus(get(nginx.port, "/news/index.m3u8")));
        Thread.sleep(2100);
        HttpResponse<byte[]> expired = get(nginx.port, "/news/index.m3u8");
        assertEquals("REVALIDATED", cacheStatus(expired));
        assertEquals(live, new String(expired.body(), StandardCharsets.UTF_8));
        assertEquals(List.of("/news/index.m3u8"), conditional);
        // Keys: never cached.
        for (int i = 0; i < 3; i++) {
          HttpResponse<byte[]> key = get(nginx.port, "/news/keys/k1.key");
          assertEquals(200, key.statusCode());
          assertEquals("no-store", key.headers().firstValue("Cache-Control").orElse(""));
        }
        assertEquals(3, content.loadsOf("/news/keys/k1.key"));
        // Unknown resources: the origin's 404 (max-age=2) is cached briefly.
        assertEquals(404, get(nginx.port, "/news/seg-404.ts").statusCode());
        assertEquals("HIT", cacheStatus(get(nginx.port, "/news/seg-404.ts")));
        assertEquals(1, content.loadsOf("/news/seg-404.ts"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void edgeInFrontOfNginxServingADirectory() throws Exception {
    NginxProcess.binary();
    Path root = Files.createDirectories(temp.resolve("www/news"));
    byte[] segment = new byte[500_000];
    new java.util.Random(7).nextBytes(segment);
    Files.write(root.resolve("seg-1.ts"), segment);
    Files.writeString(root.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n");
    String site = "types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }\n"
        + "server { listen __LISTEN__; root " + temp.resolve("www") + ";\n"
        + "  location ~ \\.m3u8$ { add_header Cache-Control \"max-age=2\"; } }\n";
    try (NginxProcess nginx = NginxProcess.start(temp.resolve("nginx"), site)) {
      AtomicLong now = new AtomicLong();
      HttpOriginLoader loader = HttpOriginLoader.builder()
          .upstream("news", URI.create("http://127.0.0.1:" + nginx.port + "/news/")).build();
      SegmentCache edge = SegmentCache.builder().maximumBytes(8 << 20).ticker(now::get).build(loader);
      ServedResource seg = edge.get(ResourceKey.parse("/news/seg-1.ts")).join();
      assertArrayEquals(segment, seg.body().toByteArray());
      assertEquals("video/mp2t", seg.contentType());
      assertTrue(seg.etag().startsWith("\""), "nginx's strong ETag is kept: " + seg.etag());
      ServedResource playlist = edge.get(ResourceKey.parse("/news/index.m3u8")).join();
      assertEquals(Duration.ofSeconds(2), playlist.maxAge());
      assertTrue(playlist.live());
      now.addAndGet(Duration.ofSeconds(3).toNanos());
      ServedResource revalidated = edge.get(ResourceKey.parse("/news/index.m3u8")).join();
      assertEquals(playlist.etag(), revalidated.etag(), "304 from nginx keeps the cached bytes");
      assertEquals(1, edge.metrics().revalidationCount());
      assertNull(edge.get(ResourceKey.parse("/news/seg-2.ts")).join());
    }
  }
}
