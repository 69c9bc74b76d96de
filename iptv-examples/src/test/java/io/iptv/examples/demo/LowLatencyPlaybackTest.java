package io.iptv.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.LowLatencyServing;
import io.iptv.core.serve.NioHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.testing.MiniJson;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * hls.js in low-latency mode plays a Low-Latency HLS channel fed in real time: the demo clip looped by a
 * {@link LiveLoop} with 2 s CMAF segments and 500 ms parts, served by an {@link OriginHandler} with
 * {@link LowLatencyServing} (blocking reload) over the NIO adapter. It must play 12 s, load parts and use
 * blocking reloads, and stay within 3 s of the live edge ({@code hls.latency}, sampled by play.mjs).
 */
class LowLatencyPlaybackTest {
  private static final double MAX_LATENCY_SECONDS = 3.0;

  @Test
  void hlsJsPlaysLowLatencyLiveNearTheEdge() throws Exception {
    PlayerCheck check = PlayerCheck.require();
    PlaylistUpdates updates = new PlaylistUpdates();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger partRequests = new AtomicInteger();
    AtomicInteger blockingRequests = new AtomicInteger();
    try (LiveLoop live = LiveLoop.builder(DemoClip.load())
        .segmentDuration(Duration.ofSeconds(2))
        .listSize(10)
        .tick(Duration.ofMillis(20))
        .preroll(Duration.ofSeconds(6))
        .partTarget(Duration.ofMillis(500))
        .updates(updates, "ll")
        .build()) {
      live.start(scheduler);
      ResourceLoader loader = live.loader();
      OriginHandler origin = OriginHandler.builder(loader)
          .cors(CorsPolicy.anyOrigin())
          .interceptor((request, key) -> {
            if (key.name().contains("/part-")) {
              partRequests.incrementAndGet();
            }
            if (request.rawQuery() != null && request.rawQuery().contains("_HLS_msn=")) {
              blockingRequests.incrementAndGet();
            }
            return null;
          })
          .lowLatency(LowLatencyServing.builder(updates).build())
          .build();
      try (NioHttpServerAdapter server = NioHttpServerAdapter.builder(origin)
          .address(new InetSocketAddress("127.0.0.1", 0)).start()) {
        String url = "http://127.0.0.1:" + server.port() + "/ll/master.m3u8";
        PlayerCheck.Result result = check.play(PlayerCheck.Run.builder(Player.HLS_JS, url).seconds(12).build(),
            List.of("--low-latency"));
        assertTrue(result.ok(), "hls.js plays LL-HLS: " + result.json());
        Map<?, ?> verdict = (Map<?, ?>) MiniJson.parse(result.json());
        Map<?, ?> liveInfo = (Map<?, ?>) verdict.get("live");
        assertTrue(liveInfo != null, "latency reported: " + result.json());
        assertEquals(Boolean.TRUE, liveInfo.get("lowLatencyMode"), result.json());
        double samples = ((Number) liveInfo.get("samples")).doubleValue();
        double median = ((Number) liveInfo.get("latencyMedian")).doubleValue();
        double max = ((Number) liveInfo.get("latencyMax")).doubleValue();
        System.out.printf("LL-HLS hls.js: latency median %.3f s, max %.3f s over %.0f samples; %d part and %d"
            + " blocking playlist requests; status %s%n", median, max, samples, partRequests.get(),
            blockingRequests.get(), live.status());
        assertTrue(samples >= 10, "latency sampled during playback: " + result.json());
        assertTrue(max <= MAX_LATENCY_SECONDS, "distance to the live edge ≤ 3 s: " + result.json());
        assertTrue(partRequests.get() > 5, "hls.js loaded parts: " + partRequests.get());
        assertTrue(blockingRequests.get() > 5, "hls.js used blocking reload: " + blockingRequests.get());
      }
    } finally {
      scheduler.shutdownNow();
    }
  }
}
