package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.LowLatencyServing;
import io.iptv.core.serve.NioHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import io.iptv.segmenter.hls.PartialSegment;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking playlist reload end to end: a LIVE CMAF packager with 300 ms parts fed in real time (the looped
 * test clip paced by the wall clock), its sink signalling {@link PlaylistUpdates}, served by an
 * {@link OriginHandler} with {@link LowLatencyServing} through the NIO and the JDK adapters. A request for
 * the next part (at a segment boundary: the next segment's part 0, also named by the preload hint, whose
 * request the origin holds) is answered within one part duration of the instant the packager wrote that part;
 * delivery directives too far ahead get 400; {@code _HLS_skip=YES} gets the delta playlist.
 */
class LowLatencyServingTest {
  private static final Duration PART_TARGET = Duration.ofMillis(300);
  private static final String CHANNEL = "ll";

  private final InMemorySegmentSink memory = new InMemorySegmentSink();
  private final Map<String, Long> writtenAtNanos = new ConcurrentHashMap<>();
  private final PlaylistUpdates updates = new PlaylistUpdates();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ScheduledExecutorService feeder;
  private volatile String feedFailure;

  @BeforeEach
  void startLiveFeed() throws Exception {
    LoopedClip clip = LoopedClip.of("h264_aac.ts");
    SegmentSink timed = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) {
        memory.write(name, bytes);
        writtenAtNanos.putIfAbsent(name, System.nanoTime()); // the part's availability instant
      }

      @Override
      public void delete(String name) {
        memory.delete(name);
      }
    };
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(10)
        .segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET)
        .build(new SignallingSegmentSink(timed, updates, CHANNEL));
    feeder = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime();
    long preroll90k = 8 * 90_000; // a window longer than CAN-SKIP-UNTIL (6 s) at once
    long[] next = {0};
    feeder.execute(() -> {
      try {
        for (var f : clip.tracks) {
          packager.emit(new io.iptv.core.media.StreamEvent.TrackAdded(f));
        }
      } catch (MediaException e) {
        feedFailure = e.toString();
      }
    });
    feeder.scheduleAtFixedRate(() -> {
      long until90k = clip.firstDts90k + preroll90k + (System.nanoTime() - start) * 9 / 100_000;
      try {
        while (clip.sample(next[0]).dts90k() <= until90k) {
          packager.emit(clip.sample(next[0]++));
        }
      } catch (MediaException | RuntimeException e) {
        feedFailure = e.toString();
        throw new IllegalStateException(e);
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    feeder.shutdownNow();
  }

  private OriginHandler origin(Duration timeout) {
    ResourceLoader loader = key -> {
      ByteSlice bytes = memory.get(key.name());
      return bytes == null ? null : ServedResource.of(key, bytes);
    };
    LowLatencyServing.Builder ll = LowLatencyServing.builder(updates);
    if (timeout != null) {
      ll.timeout(timeout);
    }
    return OriginHandler.builder(loader).lowLatency(ll.build()).build();
  }

  @Test
  void blockingReloadAnswersWhenThePartIsWrittenNio() throws Exception {
    try (NioHttpServerAdapter server = NioHttpServerAdapter.builder(origin(null))
        .address(new InetSocketAddress("127.0.0.1", 0)).start()) {
      measure("http://127.0.0.1:" + server.port());
    }
  }

  @Test
  void blockingReloadAnswersWhenThePartIsWrittenJdk() throws Exception {
    try (JdkHttpServerAdapter server = JdkHttpServerAdapter.builder(origin(null))
        .address(new InetSocketAddress("127.0.0.1", 0)).start()) {
      measure("http://127.0.0.1:" + server.port());
    }
  }

  private void measure(String base) throws Exception {
    String playlistUrl = base + "/" + CHANNEL + "/stream/index.m3u8";
    waitForParts(playlistUrl);
    Thread.sleep(1000); // past the preroll burst: parts now appear at the wall-clock pace
    LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(get(playlistUrl).body());
    List<Long> latenciesMs = new ArrayList<>();
    List<Long> heldMs = new ArrayList<>();
    int boundaries = 0;
    for (int round = 0; round < 14; round++) {
      long msn = ll.nextMediaSequence();
      List<PartialSegment> parts = ll.parts().getOrDefault(msn, List.of());
      int part = parts.size();
      String partName = PartialSegmentWriter.partName(msn, part);
      CompletableFuture<HttpResponse<String>> hinted = null;
      if (parts.isEmpty()) {
        // a segment boundary (§4.4.5.3): the hint is the next segment's first part, which the origin holds
        assertEquals(partName, ll.preloadHintUri(), "hint at a boundary");
        hinted = client.sendAsync(HttpRequest.newBuilder(URI.create(playlistUrl.replace("index.m3u8",
            partName))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        boundaries++;
      }
      long sent = System.nanoTime();
      HttpResponse<String> response = get(playlistUrl + "?_HLS_msn=" + msn + "&_HLS_part=" + part);
      long received = System.nanoTime();
      assertEquals(200, response.statusCode(), response.body());
      if (hinted != null) {
        assertEquals(200, hinted.get(10, TimeUnit.SECONDS).statusCode(), "the hinted part " + partName);
      }
      assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("max-age=1"),
          response.headers().map().toString());
      LowLatencyPlaylist answer = LowLatencyPlaylistParser.parse(response.body());
      boolean hasPart = answer.parts().getOrDefault(msn, List.of()).size() > part
          || answer.nextMediaSequence() > msn;
      assertTrue(hasPart, "the answer holds msn " + msn + " part " + part + ":\n" + response.body());
      Long written = writtenAtNanos.get("stream/" + partName);
      if (written != null && written > sent) {
        latenciesMs.add((received - written) / 1_000_000);
        heldMs.add((received - sent) / 1_000_000);
      }
      ll = answer;
    }
    assertTrue(feedFailure == null, feedFailure);
    assertTrue(boundaries >= 1, "rounds at a segment boundary: " + boundaries);
    assertTrue(latenciesMs.size() >= 5, "requests that waited for their part: " + latenciesMs);
    List<Long> sorted = new ArrayList<>(latenciesMs);
    Collections.sort(sorted);
    System.out.println("LL blocking reload: answer − part written (ms) " + latenciesMs + ", held " + heldMs);
    // one part duration (280 ms here) is the bound the brief asks for: generous for a loaded machine
    assertTrue(sorted.get(sorted.size() - 1) <= PART_TARGET.toMillis(),
        "answered within one part duration of availability: " + latenciesMs);
    assertTrue(heldMs.stream().mapToLong(Long::longValue).max().orElse(0) >= 50,
        "requests for future parts were held: " + heldMs);

    // §6.2.5.2: more than two segments ahead → 400; _HLS_part without _HLS_msn → 400
    long far = ll.nextMediaSequence() + 3;
    assertEquals(400, get(playlistUrl + "?_HLS_msn=" + far).statusCode());
    assertEquals(400, get(playlistUrl + "?_HLS_part=1").statusCode());
    assertEquals(400, get(playlistUrl + "?_HLS_msn=x").statusCode());

    // delta update
    HttpResponse<String> delta = get(playlistUrl + "?_HLS_msn=" + ll.nextMediaSequence() + "&_HLS_skip=YES");
    assertEquals(200, delta.statusCode());
    assertTrue(delta.body().contains("#EXT-X-SKIP:SKIPPED-SEGMENTS="), delta.body());
  }

  @Test
  void blockingRequestTimesOutWith503() throws Exception {
    try (NioHttpServerAdapter server = NioHttpServerAdapter.builder(origin(Duration.ofMillis(400)))
        .address(new InetSocketAddress("127.0.0.1", 0)).start()) {
      String playlistUrl = "http://127.0.0.1:" + server.port() + "/" + CHANNEL + "/stream/index.m3u8";
      LowLatencyPlaylist ll = waitForParts(playlistUrl);
      feeder.shutdownNow(); // the live edge stops moving
      assertTrue(feeder.awaitTermination(5, TimeUnit.SECONDS));
      LowLatencyPlaylist now = LowLatencyPlaylistParser.parse(get(playlistUrl).body());
      long sent = System.nanoTime();
      HttpResponse<String> r = get(playlistUrl + "?_HLS_msn=" + (now.nextMediaSequence() + 1));
      long tookMs = (System.nanoTime() - sent) / 1_000_000;
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(tookMs >= 350 && tookMs < 3000, "timed out after the configured 400 ms: " + tookMs);
      assertTrue(ll.nextMediaSequence() <= now.nextMediaSequence());
    }
  }

  private LowLatencyPlaylist waitForParts(String playlistUrl) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(playlistUrl);
      if (r.statusCode() == 200) {
        LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(r.body());
        if (ll.parts().size() >= 2) {
          return ll;
        }
      }
      assertTrue(feedFailure == null, feedFailure);
      Thread.sleep(100);
    }
    throw new AssertionError("no parts within 20 s: " + memory.snapshot().keySet());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
