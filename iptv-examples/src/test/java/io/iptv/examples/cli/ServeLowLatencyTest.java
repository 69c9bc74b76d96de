package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.MiniJson;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iptv serve --channel x=udp://… --low-latency}: a channel fed in real time by ffmpeg (a live libx264 encode
 * of a test pattern, 1 s GOP) publishes LL-HLS parts, the origin holds a blocking playlist reload for a future part
 * until the part exists, and hls.js in low-latency mode plays it.
 */
@Isolated // measures time or heap: nothing else runs beside it (junit-platform.properties)
class ServeLowLatencyTest {
  private static final Pattern PART = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"part-(\\d+)\\.(\\d+)\\.m4s\"");

  @TempDir
  Path tmp;

  @Test
  void lowLatencyChannelAnswersBlockingReloadsAndPlaysInHlsJs() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    int udpPort = EmbeddedServe.freeUdpPort();
    try (EmbeddedServe serve = EmbeddedServe.start("serve", "--port", "0", "--cors",
        "--channel", "x=udp://127.0.0.1:" + udpPort, "--segment-duration", "2", "--list-size", "10",
        "--low-latency")) {
      assertTrue(serve.out().contains("low latency (500ms parts)"), serve.out());
      Path ffmpegLog = tmp.resolve("ffmpeg.log");
      // A live encoder (not the clip looped with -stream_loop: ffmpeg leaves a timestamp hole at each loop, on
      // which hls.js once stalled 10 s in CI before seeking over it)
      Process feeder = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
          "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
          "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-keyint_min", "25",
          "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts",
          "udp://127.0.0.1:" + udpPort + "?pkt_size=1316")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ffmpegLog.toFile()).start();
      try {
        HttpClient client = HttpClient.newHttpClient();
        String playlistUrl = serve.baseUrl() + "x/stream/index.m3u8";
        String playlist = awaitPlaylistWithParts(client, playlistUrl, feeder, ffmpegLog);
        assertTrue(playlist.contains("#EXT-X-PART-INF:PART-TARGET=0.5"), playlist);
        assertTrue(playlist.contains("CAN-BLOCK-RELOAD=YES"), playlist);
        assertTrue(playlist.lines().anyMatch(l -> l.startsWith("#EXT-X-SERVER-CONTROL:")), playlist);
        assertTrue(playlist.contains("#EXT-X-PRELOAD-HINT:TYPE=PART"), playlist);
        assertTrue(playlist.contains("#EXT-X-MAP:"), "CMAF segments: " + playlist);

        // A part about a second in the future: part 1 of the segment after the newest part's.
        long[] newest = newestPart(playlist);
        long msn = newest[0] + 1;
        String future = String.format("part-%05d.1.m4s", msn);
        assertFalse(playlist.contains(future), playlist);
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<String>> blocked = client.sendAsync(HttpRequest.newBuilder(
            URI.create(playlistUrl + "?_HLS_msn=" + msn + "&_HLS_part=1")).timeout(Duration.ofSeconds(20)).build(),
            BodyHandlers.ofString());
        Thread.sleep(150);
        assertFalse(blocked.isDone(), "the reload for " + future + " is held until the part exists");
        HttpResponse<String> answer = blocked.get(20, TimeUnit.SECONDS);
        long heldMillis = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains(future), "answered once " + future + " exists: " + answer.body());
        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(URI.create(serve.baseUrl() + "x/stream/"
            + future)).build(), BodyHandlers.ofByteArray());
        assertEquals(200, part.statusCode());
        assertTrue(part.body().length > 8 && new String(part.body(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII)
            .matches("styp|moof"), "a CMAF fragment");
        System.out.println("serve --low-latency: blocking reload for " + future + " held " + heldMillis + " ms");

        PlayerCheck check = PlayerCheck.require();
        PlayerCheck.Result result = playNearTheEdge(check, serve);
        if (result.stalledInPlayerOnly() && !nearTheEdge(result)) {
          // As LowLatencyPlaybackTest: one retry (a fresh browser on the same channel), only when hls.js stalled
          // and no request failed; once in CI it stalled and then played 12 s behind for the whole run.
          System.out.println("serve --low-latency: hls.js stalled in the player, retrying once: " + result.json());
          result = playNearTheEdge(check, serve);
        }
        PlayerCheck.Result last = result;
        assertTrue(last.ok(), () -> "hls.js plays the low-latency channel: " + last.json());
        Map<?, ?> report = (Map<?, ?>) MiniJson.parse(last.json());
        Map<?, ?> live = (Map<?, ?>) report.get("live");
        assertTrue(((Number) report.get("audioDecodedBytes")).longValue() > 0, "audio played: " + last.json());
        assertTrue(live != null && Boolean.TRUE.equals(live.get("lowLatencyMode")), last.json());
        assertTrue(nearTheEdge(last), "hls.js plays near the live edge: " + last.json());
        assertTrue(feeder.isAlive(), "ffmpeg kept feeding: " + Files.readString(ffmpegLog));
      } finally {
        feeder.destroy();
        if (!feeder.waitFor(5, TimeUnit.SECONDS)) {
          feeder.destroyForcibly();
        }
      }
      assertEquals(0, serve.stop());
    }
  }

  private static PlayerCheck.Result playNearTheEdge(PlayerCheck check, EmbeddedServe serve) {
    return check.play(PlayerCheck.Run.builder(Player.HLS_JS, serve.baseUrl() + "x/master.m3u8").seconds(8).build(),
        List.of("--low-latency"));
  }

  /**
   * Whole 2 s segments alone would keep hls.js three target durations (12 s) behind the edge; parts and blocking
   * reloads bring it to about 1.5 to 2 s. The bound leaves room for a stall on a loaded machine.
   */
  private static boolean nearTheEdge(PlayerCheck.Result result) {
    Map<?, ?> live = (Map<?, ?>) ((Map<?, ?>) MiniJson.parse(result.json())).get("live");
    return result.ok() && live != null && live.get("latencyMedian") instanceof Number median
        && median.doubleValue() < 4.0;
  }

  /** Polls the media playlist until it lists a complete segment and parts (at most 20 s). */
  private static String awaitPlaylistWithParts(HttpClient client, String url, Process feeder, Path log)
      throws Exception {
    HttpResponse<String> last = null;
    for (int i = 0; i < 200; i++) {
      last = client.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
      if (last.statusCode() == 200 && last.body().contains("#EXTINF:") && PART.matcher(last.body()).find()) {
        return last.body();
      }
      if (!feeder.isAlive()) {
        throw new AssertionError("ffmpeg exited " + feeder.exitValue() + ": " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no LL-HLS playlist with parts: " + (last == null ? "" : last.statusCode() + " "
        + last.body()));
  }

  /** {sequence, index} of the last EXT-X-PART. */
  private static long[] newestPart(String playlist) {
    Matcher m = PART.matcher(playlist);
    long[] newest = null;
    while (m.find()) {
      newest = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
    return newest;
  }
}
