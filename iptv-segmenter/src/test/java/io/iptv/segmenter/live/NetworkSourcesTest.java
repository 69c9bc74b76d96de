package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.iptv.core.testing.TestMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RTP from ffmpeg through a lossy relay, and HTTP pull from a server that disconnects. */
class NetworkSourcesTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  @Test
  void rtpFromFfmpegCountsTheDatagramsARelayDropped() throws Exception {
    int channelPort = Ffmpeg.freeUdpPort();
    DatagramChannel relay = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    int relayPort = ((InetSocketAddress) relay.getLocalAddress()).getPort();
    AtomicLong forwarded = new AtomicLong();
    AtomicLong dropped = new AtomicLong();
    Thread relayThread = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocate(65536);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", channelPort);
      try {
        for (long i = 0; ; i++) {
          buffer.clear();
          relay.receive(buffer);
          buffer.flip();
          if (i % 25 == 12) {
            dropped.incrementAndGet(); // the network loses this one
          } else {
            relay.send(buffer, target);
            forwarded.incrementAndGet();
          }
        }
      } catch (IOException e) {
        // relay closed
      }
    }, "lossy-relay");
    relayThread.start();
    try (LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build()) {
      LiveChannel channel = live.openChannel("rtp");
      channel.attach(live.source(SourceUri.parse("rtp://127.0.0.1:" + channelPort)));
      try (Ffmpeg ffmpeg = Ffmpeg.start("-re", "-i", TestMedia.path("h264_aac.ts").toString(), "-c", "copy",
          "-f", "rtp_mpegts", "rtp://127.0.0.1:" + relayPort)) {
        assertEquals(0, ffmpeg.waitFor(60), ffmpeg.log());
      }
      LiveChannelTest.await(() -> channel.statistics().bytesProcessed() == channel.statistics().bytesReceived(),
          Duration.ofSeconds(10), "input processed");
      Thread.sleep(300);
      ChannelStatistics s = channel.statistics();
      System.out.println("RTP: forwarded " + forwarded + ", dropped " + dropped + ": " + s);
      assertTrue(dropped.get() >= 5, "the relay dropped too little to test: " + dropped);
      // A loss is seen at the next packet, so a dropped last packet could go unnoticed.
      assertTrue(s.rtpLostPackets() == dropped.get() || s.rtpLostPackets() == dropped.get() - 1,
          "lost " + s.rtpLostPackets() + " but the relay dropped " + dropped);
      assertTrue(s.ccErrors() > 0, "lost datagrams must show as continuity errors: " + s);
      assertTrue(s.segmentsProduced() >= 1, s.toString());
      assertEquals(0, s.pipelineRestarts(), s.toString());
    } finally {
      relay.close();
      relayThread.join(5000);
    }
  }

  @Test
  void httpPullReconnectsWhenTheServerStallsMidStream() throws Exception {
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    AtomicInteger requests = new AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/live.ts", exchange -> {
      int n = requests.incrementAndGet();
      try (exchange) {
        exchange.sendResponseHeaders(200, clip.length);
        OutputStream body = exchange.getResponseBody();
        body.write(clip, 0, n == 1 ? 50_000 : clip.length);
        body.flush();
        if (n == 1) {
          release.await(); // the encoder hangs: the connection stays open without data
        }
      } catch (IOException | InterruptedException e) {
        // the client went away
      }
    });
    server.setExecutor(pool);
    server.start();
    java.util.concurrent.ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try (LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build()) {
      LiveChannel channel = live.openChannel("stall");
      HttpTsSource source = HttpTsSource.builder(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts"))
          .scheduler(timers).initialBackoff(Duration.ofMillis(50)).stallTimeout(Duration.ofMillis(500)).build();
      channel.attach(source);
      LiveChannelTest.await(() -> requests.get() >= 2 && channel.statistics().sourceRestarts() >= 1,
          Duration.ofSeconds(30), "a reconnect after the stall");
      LiveChannelTest.await(() -> channel.statistics().segmentsProduced() >= 2, Duration.ofSeconds(30),
          "segments from the second connection");
      source.close();
      assertTrue(channel.statistics().sourceRestarts() >= 1, channel.statistics().toString());
    } finally {
      release.countDown();
      server.stop(0);
      timers.shutdownNow();
    }
  }

  @Test
  void httpPullReconnectsAfterAMidStreamDisconnectAndAnError() throws Exception {
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/live.ts", exchange -> {
      int n = requests.incrementAndGet();
      try (exchange) {
        if (n == 2) {
          exchange.sendResponseHeaders(503, -1); // the encoder is not back yet
          return;
        }
        exchange.sendResponseHeaders(200, clip.length);
        OutputStream body = exchange.getResponseBody();
        if (n == 1) {
          body.write(clip, 0, clip.length / 2 + 77); // then the connection drops mid-packet
          body.flush();
          return;
        }
        body.write(clip);
      } catch (IOException e) {
        // the client went away
      }
    });
    server.setExecutor(pool);
    server.start();
    java.util.concurrent.ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try (LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build()) {
      LiveChannel channel = live.openChannel("pull");
      HttpTsSource source = HttpTsSource.builder(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts"))
          .scheduler(timers)
          .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(400)).build();
      channel.attach(source);
      LiveChannelTest.await(() -> requests.get() >= 4 && channel.statistics().segmentsProduced() >= 4,
          Duration.ofSeconds(30), "reconnects and segments");
      source.close();
      String playlist = LiveChannelTest.text(channel, "stream/index.m3u8");
      ChannelStatistics s = channel.statistics();
      assertTrue(source.connections() >= 4, "connections " + source.connections());
      assertTrue(s.sourceRestarts() >= 2, s.toString());
      assertTrue(playlist.contains("#EXT-X-DISCONTINUITY\n"), playlist);
      assertEquals(0, s.pipelineRestarts(), s.toString());
    } finally {
      server.stop(0);
      timers.shutdownNow();
    }
  }
}
