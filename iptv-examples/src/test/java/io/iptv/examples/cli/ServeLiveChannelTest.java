package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code iptv serve --channel NAME=udp://…}: a live channel packaged from UDP and served by the origin. */
class ServeLiveChannelTest {
  private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

  @Test
  void packagesAndServesAUdpChannel() throws Exception {
    int udpPort;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udpPort = probe.getLocalPort();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command = new Thread(() -> exit.set(IptvCommand.execute(new String[] {"serve", "--port", "0",
        "--channel", "tv=udp://127.0.0.1:" + udpPort, "--segment-duration", "1"},
        new PrintWriter(out), new PrintWriter(err))));
    command.start();
    int port = awaitPort(out, err);
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    try (DatagramChannel sender = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udpPort);
      for (int at = 0, i = 0; at < clip.length; at += 1316, i++) {
        sender.send(ByteBuffer.wrap(clip, at, Math.min(1316, clip.length - at)), target);
        if (i % 32 == 31) {
          Thread.sleep(2);
        }
      }
    }
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/tv/";
    HttpResponse<String> playlist = null;
    for (int i = 0; i < 200; i++) {
      playlist = client.send(HttpRequest.newBuilder(URI.create(base + "stream/index.m3u8")).build(),
          BodyHandlers.ofString());
      if (playlist.statusCode() == 200 && playlist.body().contains("seg-00001.ts")) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(200, playlist.statusCode(), playlist.body());
    assertTrue(playlist.body().contains("#EXTINF:"), playlist.body());
    assertFalse(playlist.body().contains("#EXT-X-ENDLIST"), "a live playlist: " + playlist.body());
    HttpResponse<byte[]> segment = client.send(HttpRequest.newBuilder(URI.create(base + "stream/seg-00000.ts"))
        .build(), BodyHandlers.ofByteArray());
    assertEquals(200, segment.statusCode());
    assertEquals(0x47, segment.body()[0] & 0xFF);
    assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "master.m3u8")).build(),
        BodyHandlers.discarding()).statusCode());
    assertTrue(out.toString().contains("tv (live udp://127.0.0.1:" + udpPort + ")"), out.toString());

    command.interrupt();
    command.join(20_000);
    assertFalse(command.isAlive(), "serve stops when interrupted");
    assertEquals(0, exit.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "serve --port 0 --channel tv=udp://239.0.0.1",
      "serve --port 0 --channel tv=ftp://x/",
      "serve --port 0 --channel tv=udp://239.0.0.1:5000?pkt_size=1316",
      "serve --port 0 --channel license=udp://:5000",
      "serve --port 0 --channel tv=udp://:5000 --channel tv=udp://:5001",
      "serve --port 0 --channel tv=udp://:5000 --segment-duration 0.1",
      "serve --port 0 --channel tv=udp://:5000 --list-size 1",
  })
  void badChannelFlagsExitTwo(String args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.split(" "), new PrintWriter(out), new PrintWriter(err));
    assertEquals(2, code, err.toString());
    assertFalse(err.toString().isBlank());
  }

  private static int awaitPort(StringWriter out, StringWriter err) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      Matcher m = SERVING.matcher(out.toString());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(25);
    }
    throw new AssertionError("serve did not start: out=" + out + " err=" + err);
  }
}
