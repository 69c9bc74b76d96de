package io.iptv.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * 1,000 concurrent clients on loopback, each with its own signed URL for one of the demo's channels (live and
 * VOD; clear TS, CMAF and AES-128 with rotating keys, spread evenly), fetch as a player does (master, media
 * playlist, init segment and each new key once, the newest segments, again) through the auth layer, the key
 * handler, token propagation and the segment cache, for a bounded time: zero errors, heap bounded, every
 * channel and every kind of resource served. Prints requests/s.
 */
@Isolated // measures time or heap: nothing else runs beside it (junit-platform.properties)
class DemoLoadTest {
  private static final int CLIENTS = 1000;
  private static final Duration RUN = Duration.ofSeconds(10);
  private static final long MAX_HEAP_GROWTH_BYTES = 512L << 20;
  /** URI attributes of EXT-X-KEY and EXT-X-MAP (keys, init segments): fetched once per client. */
  private static final Pattern URI_ATTRIBUTE = Pattern.compile("#EXT-X-(?:KEY|MAP):.*?URI=\"([^\"]+)\"");
  /** Successful responses by file extension. */
  private static final Map<String, AtomicLong> KINDS = new ConcurrentHashMap<>();

  private static long byKind(String extension) {
    AtomicLong n = KINDS.get(extension);
    return n == null ? 0 : n.get();
  }

  @Test
  void thousandConcurrentClientsWithoutErrors() throws Exception {
    ExecutorService clientPool = Executors.newFixedThreadPool(4);
    try (DemoServer demo = DemoServer.start(DemoServer.config().port(0).threads(16).build())) {
      HttpClient http = HttpClient.newBuilder().executor(clientPool).connectTimeout(Duration.ofSeconds(10))
          .version(HttpClient.Version.HTTP_1_1).build();
      List<DemoChannel> channels = demo.channels();
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      System.gc();
      long heapBefore = usedHeap();
      AtomicLong requests = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
      long deadline = System.nanoTime() + RUN.toNanos();
      long start = System.nanoTime();
      CompletableFuture<?>[] clients = new CompletableFuture<?>[CLIENTS];
      for (int i = 0; i < CLIENTS; i++) {
        DemoChannel channel = channels.get(i % channels.size());
        URI master = URI.create(demo.baseUrl() + demo.signedMasterPath(channel, loopback));
        clients[i] = session(http, master, deadline, requests, bytes, errors);
      }
      KINDS.clear();
      CompletableFuture.allOf(clients).get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      long heapGrowth = usedHeap() - heapBefore;
      System.out.printf("DemoLoadTest: %d clients, %d requests in %.1f s = %.0f requests/s, %.1f MB/s, "
              + "errors %s, by kind %s, heap growth %d MB, cache %s%n", CLIENTS, requests.get(), seconds,
          requests.get() / seconds, bytes.get() / seconds / 1e6, errors, KINDS, heapGrowth >> 20,
          demo.status().get("cache"));
      assertTrue(errors.isEmpty(), "errors: " + errors);
      for (String kind : List.of("m3u8", "ts", "m4s", "mp4", "key")) {
        assertTrue(byKind(kind) > 0, "no ." + kind + " served under load: " + KINDS);
      }
      assertTrue(requests.get() >= CLIENTS * 3L, "every client completed a round: " + requests.get());
      assertTrue(heapGrowth < MAX_HEAP_GROWTH_BYTES, "heap grew by " + (heapGrowth >> 20) + " MB");
    } finally {
      clientPool.shutdownNow();
    }
  }

  /** One player: master, then media playlist + its last two segments, until the deadline. */
  private static CompletableFuture<Void> session(HttpClient http, URI master, long deadline, AtomicLong requests,
      AtomicLong bytes, Map<String, AtomicLong> errors) {
    return fetch(http, master, requests, bytes, errors).thenCompose(body -> {
      List<String> variants = uris(body);
      if (variants.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      return loop(http, master.resolve(variants.get(0)), deadline, requests, bytes, errors,
          ConcurrentHashMap.newKeySet());
    });
  }

  /**
   * One round (media playlist, the init segment and keys it names that this client has not fetched yet, its
   * two newest segments), repeated until the deadline; at least one round.
   */
  private static CompletableFuture<Void> loop(HttpClient http, URI media, long deadline, AtomicLong requests,
      AtomicLong bytes, Map<String, AtomicLong> errors, Set<String> fetchedOnce) {
    return fetch(http, media, requests, bytes, errors).thenCompose(body -> {
      List<String> segments = uris(body);
      CompletableFuture<String> chain = CompletableFuture.completedFuture("");
      Matcher attribute = URI_ATTRIBUTE.matcher(body);
      while (attribute.find()) {
        String once = attribute.group(1);
        // data: URIs (a ClearKey KID for hls.js) are not fetched; their keys come from the licence endpoint
        if (!once.startsWith("data:") && fetchedOnce.add(once)) {
          chain = chain.thenCompose(ignored -> fetch(http, media.resolve(once), requests, bytes, errors));
        }
      }
      for (String segment : segments.subList(Math.max(0, segments.size() - 2), segments.size())) {
        chain = chain.thenCompose(ignored -> fetch(http, media.resolve(segment), requests, bytes, errors));
      }
      return chain.thenCompose(ignored -> System.nanoTime() > deadline
          ? CompletableFuture.completedFuture(null)
          : loop(http, media, deadline, requests, bytes, errors, fetchedOnce));
    });
  }

  private static CompletableFuture<String> fetch(HttpClient http, URI uri, AtomicLong requests, AtomicLong bytes,
      Map<String, AtomicLong> errors) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    boolean playlist = uri.getPath().endsWith(".m3u8");
    return http.sendAsync(request, playlist ? HttpResponse.BodyHandlers.ofString()
            : responseInfo -> HttpResponse.BodySubscribers.replacing(""))
        .handle((response, error) -> {
          requests.incrementAndGet();
          if (error != null) {
            errors.computeIfAbsent(error.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            return "";
          }
          if (response.statusCode() != 200) {
            errors.computeIfAbsent("HTTP " + response.statusCode() + " " + uri.getPath().replaceAll("\\d+", "N"),
                k -> new AtomicLong()).incrementAndGet();
            if (response.statusCode() == 404 && errors.size() < 4) {
              System.out.println("404 " + uri.getPath());
            }
            return "";
          }
          bytes.addAndGet(response.headers().firstValueAsLong("Content-Length").orElse(0));
          String path = uri.getPath();
          KINDS.computeIfAbsent(path.substring(path.lastIndexOf('.') + 1), k -> new AtomicLong()).incrementAndGet();
          return response.body();
        });
  }

  private static List<String> uris(String playlist) {
    return playlist.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void oneClientRoundTripSanity() throws Exception {
    try (DemoServer demo = DemoServer.start(DemoServer.config().port(0).build())) {
      HttpClient http = HttpClient.newHttpClient();
      URI master = URI.create(demo.baseUrl() + demo.signedMasterPath(demo.channels().get(1), null));
      AtomicLong requests = new AtomicLong();
      Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
      session(http, master, System.nanoTime(), requests, new AtomicLong(), errors).get(30, TimeUnit.SECONDS);
      assertEquals(Map.of(), Map.copyOf(errors));
      assertTrue(requests.get() >= 4, "master, media playlist and two segments: " + requests.get());
    }
  }
}
