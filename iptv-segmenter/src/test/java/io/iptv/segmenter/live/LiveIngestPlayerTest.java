package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.TestMedia;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real encoder and a real player: ffmpeg sends a clip in real time over UDP, a
 * {@link LivePackager} channel packages it, the library's origin serves it, and hls.js plays it for 24 s while
 * ffmpeg is killed and restarted: the playlist must get EXT-X-DISCONTINUITY and playback must go on.
 */
class LiveIngestPlayerTest {
  @Test
  void hlsJsPlaysThroughAnEncoderRestart() throws Exception {
    ExternalTools.requireFfmpeg();
    PlayerCheck player = PlayerCheck.require();
    Path clip = TestMedia.path("h264_aac.ts");
    int port = Ffmpeg.freeUdpPort();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(2))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build()) {
      LiveChannel channel = live.openChannel("tv");
      channel.attach(live.source(SourceUri.parse("udp://127.0.0.1:" + port)));
      OriginHandler origin = OriginHandler.builder(live).cors(CorsPolicy.anyOrigin()).build();
      JdkHttpServerAdapter server = JdkHttpServerAdapter.builder(origin)
          .address(new InetSocketAddress("127.0.0.1", 0)).executor(pool).start();
      Ffmpeg encoder = Ffmpeg.udpLoop(clip, port);
      try {
        LiveChannelTest.await(() -> channel.statistics().segmentsProduced() >= 3, Duration.ofSeconds(30),
            "3 segments from ffmpeg");
        String url = "http://127.0.0.1:" + server.port() + "/tv/master.m3u8";
        CompletableFuture<PlayerCheck.Result> playing = CompletableFuture.supplyAsync(() -> player.play(
            PlayerCheck.Run.builder(PlayerCheck.Player.HLS_JS, url).seconds(24).stall(Duration.ofSeconds(15))
                .timeout(Duration.ofSeconds(90)).build()));
        Thread.sleep(10_000);
        encoder.close(); // the encoder crashes ...
        Thread.sleep(700);
        encoder = Ffmpeg.udpLoop(clip, port); // ... and comes back with timestamps from the start
        AtomicBoolean sawDiscontinuity = new AtomicBoolean();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!playing.isDone() && System.nanoTime() < end) {
          String playlist = LiveChannelTest.text(channel, "stream/index.m3u8");
          if (playlist != null && playlist.contains("#EXT-X-DISCONTINUITY\n")) {
            sawDiscontinuity.set(true);
          }
          Thread.sleep(200);
        }
        PlayerCheck.Result result = playing.get();
        ChannelStatistics s = channel.statistics();
        System.out.println("LiveIngestPlayerTest: " + s);
        assertTrue(sawDiscontinuity.get(), "no EXT-X-DISCONTINUITY after the encoder restart: " + s);
        assertTrue(s.discontinuities() >= 1, s.toString());
        assertTrue(result.ok(), "hls.js did not play through the restart: " + result.reasons() + "\n" + result.json());
        assertTrue(result.playedSeconds() >= 20, result.json());
        assertTrue(s.droppedChunks() == 0, s.toString());
        assertTrue(s.publishLatency().count() >= 8 && s.publishLatency().max().toMillis() < 2000, s.toString());
      } finally {
        encoder.close();
        server.close();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
