package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code iptv serve --channel … --dvr 2m}: the timeshift playlist keeps growing past the live window, the
 * DVR multivariant playlist and catch-up are served; bad {@code --dvr} values exit 2 with one line.
 */
class ServeDvrTest {
  private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");

  @TempDir
  Path tmp;

  @Test
  void dvrPlaylistGrowsBeyondTheLiveWindow() throws Exception {
    // 12 s of continuous timestamps (the 3 s clip four times), made quickly by ffmpeg, sent paced over UDP.
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path looped = tmp.resolve("looped.ts");
    Process loop = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-stream_loop", "3",
        "-i", TestMedia.path("h264_aac.ts").toString(), "-c", "copy", "-f", "mpegts", looped.toString())
        .redirectErrorStream(true).start();
    String loopLog = new String(loop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(loop.waitFor(60, TimeUnit.SECONDS) && loop.exitValue() == 0, loopLog);
    byte[] ts = Files.readAllBytes(looped);

    int udpPort = EmbeddedServe.freeUdpPort();
    try (EmbeddedServe serve = EmbeddedServe.start("serve", "--port", "0", "--channel",
        "x=udp://127.0.0.1:" + udpPort, "--segment-duration", "1", "--list-size", "3", "--dvr", "2m")) {
      assertTrue(serve.out().contains("DVR 2m (at most " + ServeCommand.DEFAULT_DVR_MAX_BYTES), serve.out());
      send(ts, udpPort);
      HttpClient client = HttpClient.newHttpClient();
      String base = serve.baseUrl() + "x/";
      String dvr = "";
      for (int i = 0; i < 200 && count(dvr, "#EXTINF:") < 8; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "stream/dvr.m3u8")).build(),
            BodyHandlers.ofString());
        dvr = r.statusCode() == 200 ? r.body() : "";
        Thread.sleep(50);
      }
      String live = get(client, base + "stream/index.m3u8");
      int liveSegments = count(live, "#EXTINF:");
      int dvrSegments = count(dvr, "#EXTINF:");
      assertTrue(liveSegments <= 3, live);
      assertTrue(dvrSegments >= 8 && dvrSegments > liveSegments, "the DVR window keeps what the live window"
          + " dropped: " + dvr + "\nlive:\n" + live);
      assertTrue(dvr.contains("seg-00000.ts") && !live.contains("seg-00000.ts"), dvr);
      assertFalse(dvr.contains("#EXT-X-ENDLIST"), dvr);
      assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "stream/seg-00000.ts")).build(),
          BodyHandlers.discarding()).statusCode(), "the oldest DVR segment is still served");
      assertTrue(get(client, base + "master-dvr.m3u8").contains("stream/dvr.m3u8"));

      Matcher first = PDT.matcher(dvr);
      assertTrue(first.find(), dvr);
      String catchup = get(client, base + "stream/catchup.m3u8?start="
          + URLEncoder.encode(first.group(1), StandardCharsets.UTF_8));
      assertTrue(catchup.contains("seg-00000.ts") && count(catchup, "#EXTINF:") >= 8,
          "catch-up from the oldest segment: " + catchup);
      assertEquals(0, serve.stop());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-5m", "0s", "5", "PT-5M", "31d", "PT0.5S", "90x"})
  void badDvrValuesExitTwoWithOneLine(String value) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(new String[] {"serve", "--port", "0", "--channel", "x=udp://127.0.0.1:1",
        "--dvr", value}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(2, code, err.toString());
    String message = err.toString().strip();
    assertTrue(message.startsWith("serve: --dvr " + value + ":") && !message.contains("\n"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--dvr 2m --dvr-max-bytes 10",
      "--dvr-max-bytes 1048576",
      "--part-target 500ms",
      "--low-latency --part-target 100ms",
      "--low-latency --part-target 4s",
      "--low-latency --part-target abc",
  })
  void badDvrAndLowLatencyCombinationsExitTwo(String args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(("serve --port 0 --channel x=udp://127.0.0.1:1 " + args).split(" "),
        new PrintWriter(out), new PrintWriter(err));
    assertEquals(2, code, err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    String[] words = args.split(" ");
    assertTrue(err.toString().contains(words[words.length - 2]), "names the flag: " + err);
  }

  @Test
  void dvrWithoutLiveChannelsExitsTwo() {
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(new String[] {"serve", "--port", "0", "--dir", "a=" + tmp, "--dvr", "2h"},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--channel"), err.toString());
  }

  @Test
  void helpListsTheNewFlags() {
    StringWriter out = new StringWriter();
    assertEquals(0, IptvCommand.execute(new String[] {"serve", "--help"}, new PrintWriter(out),
        new PrintWriter(new StringWriter())));
    for (String flag : new String[] {"--dvr", "--dvr-max-bytes", "--low-latency", "--part-target"}) {
      assertTrue(out.toString().contains(flag), out.toString());
    }
  }

  @Test
  void durationsInHumanAndIsoForm() throws BadInputException {
    assertEquals(Duration.ofHours(2), DurationOption.parse("--dvr", "2h"));
    assertEquals(Duration.ofMinutes(90), DurationOption.parse("--dvr", "90m"));
    assertEquals(Duration.ofMinutes(90), DurationOption.parse("--dvr", "1h30m"));
    assertEquals(Duration.ofHours(2), DurationOption.parse("--dvr", "PT2H"));
    assertEquals(Duration.ofMillis(500), DurationOption.parse("--part-target", "500ms"));
    assertEquals(Duration.ofMillis(1500), DurationOption.parse("--part-target", "1.5s"));
    assertEquals("1h30m", DurationOption.format(Duration.ofMinutes(90)));
  }

  /** Sends {@code ts} in 1316-byte datagrams, paced so that the loopback socket buffer does not overflow. */
  private static void send(byte[] ts, int udpPort) throws Exception {
    try (DatagramChannel sender = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udpPort);
      for (int at = 0, i = 0; at < ts.length; at += 1316, i++) {
        sender.send(ByteBuffer.wrap(ts, at, Math.min(1316, ts.length - at)), target);
        if (i % 32 == 31) {
          Thread.sleep(2);
        }
      }
    }
  }

  private static String get(HttpClient client, String url) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }
}
