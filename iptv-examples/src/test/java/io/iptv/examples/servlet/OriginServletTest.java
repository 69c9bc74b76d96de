package io.iptv.examples.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.DirectoryResourceLoader;
import io.iptv.core.serve.OriginHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OriginServlet} on a real embedded Jetty 12 serving a directory: status, headers, Range, 304, HEAD, CORS,
 * both on the synchronous path (loads on the container thread) and the async one (loads on a pool, the
 * response completed from there through {@code AsyncContext}).
 */
class OriginServletTest {
  private static final String MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nv/index.m3u8\n";
  private static final byte[] SEGMENT = new byte[1_000_000];
  @TempDir
  static Path dir;
  private static ExecutorService pool;
  private static JettyOrigin syncJetty;
  private static JettyOrigin asyncJetty;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    new Random(7).nextBytes(SEGMENT);
    Files.writeString(dir.resolve("master.m3u8"), MASTER);
    Files.write(dir.resolve("seg-1.ts"), SEGMENT);
    DirectoryResourceLoader loader = DirectoryResourceLoader.builder().channel("news", dir).build();
    pool = Executors.newFixedThreadPool(2);
    OriginHandler direct = OriginHandler.builder(loader).cors(CorsPolicy.anyOrigin()).build();
    OriginHandler pooled = OriginHandler.builder(loader).cors(CorsPolicy.anyOrigin()).executor(pool).build();
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    syncJetty = JettyOrigin.start(direct, any, "/");
    asyncJetty = JettyOrigin.start(pooled, any, "/live");
  }

  @AfterAll
  static void stop() throws Exception {
    syncJetty.close();
    asyncJetty.close();
    pool.shutdownNow();
  }

  static Stream<String> bases() {
    return Stream.of("http://127.0.0.1:" + syncJetty.port(), "http://127.0.0.1:" + asyncJetty.port() + "/live");
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return CLIENT.send(request.build(), BodyHandlers.ofByteArray());
  }

  private static HttpRequest.Builder get(String url) {
    return HttpRequest.newBuilder(URI.create(url));
  }

  @ParameterizedTest
  @MethodSource("bases")
  void servesPlaylistWithOriginHeaders(String base) throws Exception {
    HttpResponse<byte[]> response = send(get(base + "/news/master.m3u8").header("Origin", "https://p.example"));
    assertEquals(200, response.statusCode());
    assertEquals(MASTER, new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("application/vnd.apple.mpegurl", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("public, max-age=300", response.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertEquals(String.valueOf(MASTER.length()), response.headers().firstValue("Content-Length").orElseThrow());
    assertTrue(response.headers().firstValue("ETag").orElseThrow().startsWith("\""));
  }

  @ParameterizedTest
  @MethodSource("bases")
  void rangeAndConditionalRequests(String base) throws Exception {
    String url = base + "/news/seg-1.ts";
    HttpResponse<byte[]> full = send(get(url));
    assertEquals(200, full.statusCode());
    assertArrayEquals(SEGMENT, full.body());
    assertEquals("video/mp2t", full.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("public, max-age=31536000, immutable", full.headers().firstValue("Cache-Control").orElseThrow());
    String etag = full.headers().firstValue("ETag").orElseThrow();

    HttpResponse<byte[]> part = send(get(url).header("Range", "bytes=1000-1999"));
    assertEquals(206, part.statusCode());
    assertArrayEquals(Arrays.copyOfRange(SEGMENT, 1000, 2000), part.body());
    assertEquals("bytes 1000-1999/1000000", part.headers().firstValue("Content-Range").orElseThrow());

    HttpResponse<byte[]> notModified = send(get(url).header("If-None-Match", etag));
    assertEquals(304, notModified.statusCode());
    assertEquals(0, notModified.body().length);
    assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());

    assertEquals(416, send(get(url).header("Range", "bytes=2000000-")).statusCode());
  }

  @ParameterizedTest
  @MethodSource("bases")
  void headErrorsAndMethods(String base) throws Exception {
    HttpResponse<byte[]> head = send(get(base + "/news/seg-1.ts").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, head.statusCode());
    assertEquals("1000000", head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(0, head.body().length);
    HttpResponse<byte[]> missing = send(get(base + "/news/seg-9.ts"));
    assertEquals(404, missing.statusCode());
    assertEquals("public, max-age=2", missing.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(404, send(get(base + "/news/notes.txt")).statusCode());
    assertEquals(400, send(get(base + "/news/.hidden.ts")).statusCode());
    HttpResponse<byte[]> put = send(get(base + "/news/seg-1.ts").PUT(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(405, put.statusCode());
    assertEquals("GET, HEAD, OPTIONS", put.headers().firstValue("Allow").orElseThrow());
  }
}
