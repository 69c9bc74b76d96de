package io.iptv.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.iptv.core.serve.CachePolicy;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge mode against the library's own origin over loopback HTTP. */
class EdgeTest {
  private static final String LIVE = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n";
  private final CountingLoader originContent = new CountingLoader();
  private final List<String> conditionalRequests = new CopyOnWriteArrayList<>();
  private ExecutorService pool;
  private JdkHttpServerAdapter origin;
  private final AtomicLong now = new AtomicLong();

  @BeforeEach
  void startOrigin() throws IOException {
    for (int i = 0; i < 5; i++) {
      byte[] bytes = new byte[200_000];
      bytes[0] = (byte) i;
      originContent.put("/news/seg-" + i + ".ts", bytes);
    }
    originContent.put("/news/index.m3u8", LIVE).put("/news/keys/k1.key", new byte[16]);
    pool = Executors.newFixedThreadPool(8);
    origin = JdkHttpServerAdapter.builder(OriginHandler.builder(originContent).interceptor((request, key) -> {
      String inm = request.headers().first("If-None-Match");
      if (inm != null) {
        conditionalRequests.add(key.name() + " " + inm);
      }
      return null;
    }).build()).executor(pool).start();
  }

  @AfterEach
  void stop() {
    origin.close();
    pool.shutdownNow();
  }

  private HttpOriginLoader edgeLoader() {
    return HttpOriginLoader.builder()
        .upstream("news", URI.create("http://127.0.0.1:" + origin.port() + "/news")).build();
  }

  @Test
  void threeEdgesFetchEachSegmentFromTheOriginOnce() throws Exception {
    List<SegmentCache> edges = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      edges.add(SegmentCache.builder().maximumBytes(64 << 20).executor(pool).build(edgeLoader()));
    }
    List<CompletableFuture<ServedResource>> all = new ArrayList<>();
    ExecutorService players = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<CompletableFuture<ServedResource>>> calls = new ArrayList<>();
      for (int request = 0; request < 600; request++) {
        SegmentCache edge = edges.get(request % 3);
        ResourceKey key = ResourceKey.parse("/news/seg-" + (request % 5) + ".ts");
        calls.add(CompletableFuture.supplyAsync(() -> edge.get(key), players));
      }
      for (CompletableFuture<CompletableFuture<ServedResource>> c : calls) {
        all.add(c.get(10, TimeUnit.SECONDS));
      }
      for (int i = 0; i < all.size(); i++) {
        ServedResource r = all.get(i).get(10, TimeUnit.SECONDS);
        assertEquals(200_000, r.body().length());
        assertEquals((byte) ((i % 5)), (byte) r.body().byteAt(0));
      }
    } finally {
      players.shutdownNow();
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(3, originContent.loadsOf("/news/seg-" + i + ".ts"), "origin loads of seg-" + i);
    }
  }

  @Test
  void edgeKeepsUpstreamValidatorsAndRevalidatesWithIfNoneMatch() {
    SegmentCache edge = SegmentCache.builder().maximumBytes(1 << 20).executor(pool).ticker(now::get)
        .build(edgeLoader());
    ResourceKey key = ResourceKey.parse("/news/index.m3u8");
    ServedResource first = edge.get(key).join();
    String originEtag = ServedResource.contentEtag(first.body());
    assertEquals(originEtag, first.etag());
    assertEquals("application/vnd.apple.mpegurl", first.contentType());
    assertEquals(Duration.ofSeconds(2), first.maxAge(), "origin max-age=2 (half of 4 s) is respected");
    now.addAndGet(Duration.ofMillis(1500).toNanos());
    edge.get(key).join();
    assertTrue(conditionalRequests.isEmpty());
    now.addAndGet(Duration.ofMillis(1000).toNanos());
    ServedResource second = edge.get(key).join();
    assertEquals(List.of("index.m3u8 " + originEtag), conditionalRequests, "revalidated with If-None-Match");
    assertArrayEquals(first.body().toByteArray(), second.body().toByteArray());
    assertEquals(2, originContent.loadsOf("/news/index.m3u8"));
  }

  @Test
  void edgeKeepsUpstreamImmutableOnSegmentsOnly() {
    SegmentCache edge = SegmentCache.builder().maximumBytes(1 << 20).executor(pool).build(edgeLoader());
    ServedResource segment = edge.get(ResourceKey.parse("/news/seg-1.ts")).join();
    assertEquals(Duration.ofDays(365), segment.maxAge(), "the origin's lifetime");
    assertTrue(segment.immutable(), "origin sent immutable");
    assertEquals("public, max-age=31536000, immutable", CachePolicy.defaults().cacheControl(segment));
    ServedResource playlist = edge.get(ResourceKey.parse("/news/index.m3u8")).join();
    assertEquals("public, max-age=2", CachePolicy.defaults().cacheControl(playlist));
  }

  @Test
  void noStoreUpstreamIsNotCachedAndMissingIsNull() {
    SegmentCache edge = SegmentCache.builder().maximumBytes(1 << 20).executor(pool).build(edgeLoader());
    ResourceKey keyFile = ResourceKey.parse("/news/keys/k1.key");
    edge.get(keyFile).join();
    edge.get(keyFile).join();
    assertEquals(2, originContent.loadsOf("/news/keys/k1.key"));
    assertNull(edge.get(ResourceKey.parse("/news/seg-99.ts")).join());
    assertNull(edge.get(ResourceKey.parse("/other/seg-1.ts")).join());
  }

  @Test
  void retriesServerErrorsWithBackoffThenGivesUp() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer flaky = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    flaky.createContext("/", exchange -> {
      int n = calls.incrementAndGet();
      byte[] body = "ok".getBytes();
      exchange.sendResponseHeaders(n <= 2 ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    flaky.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + flaky.getAddress().getPort() + "/news/");
      HttpOriginLoader patient = HttpOriginLoader.builder().upstream("news", base).maxAttempts(3)
          .initialBackoff(Duration.ofMillis(10)).build();
      assertEquals(2, patient.load(ResourceKey.parse("/news/seg-1.ts")).body().length());
      assertEquals(3, calls.get());
      calls.set(0);
      HttpOriginLoader impatient = HttpOriginLoader.builder().upstream("news", base).maxAttempts(2)
          .initialBackoff(Duration.ofMillis(10)).build();
      IOException e = assertThrows(IOException.class, () -> impatient.load(ResourceKey.parse("/news/seg-1.ts")));
      assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
    } finally {
      flaky.stop(0);
    }
  }

  @Test
  void timesOutAndBoundsBodies() throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slow.createContext("/news/slow.ts", exchange -> {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    slow.createContext("/news/big.ts", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked, no length
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(new byte[100_000]);
      }
    });
    slow.setExecutor(Executors.newCachedThreadPool());
    slow.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + slow.getAddress().getPort() + "/news/");
      HttpOriginLoader loader = HttpOriginLoader.builder().upstream("news", base).maxAttempts(1)
          .requestTimeout(Duration.ofMillis(200)).maxBodyBytes(10_000).build();
      long start = System.nanoTime();
      IOException timeout = assertThrows(IOException.class, () -> loader.load(ResourceKey.parse("/news/slow.ts")));
      assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
      assertTrue(System.nanoTime() - start < 1_500_000_000L, "timed out promptly");
      assertThrows(IOException.class, () -> loader.load(ResourceKey.parse("/news/big.ts")));
    } finally {
      slow.stop(0);
    }
  }
}
