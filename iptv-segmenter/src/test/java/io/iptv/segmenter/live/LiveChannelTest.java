package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import io.iptv.core.testing.TestMedia;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveChannelTest {
  private static final int DATAGRAM = 1316;
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private LivePackager live;

  @AfterEach
  void tearDown() {
    if (live != null) {
      live.close();
    }
    pool.shutdownNow();
  }

  private LivePackager packager() {
    live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build();
    return live;
  }

  static void feedAsDatagrams(LiveChannel channel, byte[] ts) {
    for (int at = 0; at < ts.length; at += DATAGRAM) {
      channel.feed(ts, at, Math.min(DATAGRAM, ts.length - at));
    }
  }

  static String text(LiveChannel channel, String name) {
    ServedResource r = channel.load(ResourceKey.of(channel.name(), name));
    return r == null ? null : new String(r.body().toByteArray(), StandardCharsets.UTF_8);
  }

  static void await(java.util.function.BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void sourceRestartBecomesDiscontinuityAndTheOriginServesTheChannel() throws Exception {
    LiveChannel channel = packager().openChannel("news");
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    feedAsDatagrams(channel, clip);
    await(() -> channel.statistics().segmentsProduced() >= 2, Duration.ofSeconds(20), "first segments");
    Thread.sleep(200); // all input processed: nothing more comes before the next feed
    assertEquals(channel.statistics().segmentsProduced(), channel.statistics().publishLatency().count());
    String before = text(channel, "stream/index.m3u8");
    assertTrue(!before.contains("#EXT-X-DISCONTINUITY\n"), before);
    feedAsDatagrams(channel, clip); // the encoder restarts: timestamps jump back to the start
    channel.closeAsync().get(20, TimeUnit.SECONDS);

    String playlist = text(channel, "stream/index.m3u8");
    assertTrue(playlist.contains("#EXT-X-DISCONTINUITY\n"), playlist);
    assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
    ChannelStatistics s = channel.statistics();
    assertTrue(s.discontinuities() >= 1, s.toString());
    assertTrue(s.segmentsProduced() >= 5, s.toString());
    assertEquals(0, s.pipelineRestarts(), s.toString());
    assertTrue(s.publishLatency().count() >= 3 && s.publishLatency().max().toMillis() < 10_000, s.toString());
    assertEquals(2L * clip.length, s.bytesReceived());
    assertTrue(s.tsPackets() >= 2L * clip.length / 188 - 2, s.toString());
    // every segment the playlist lists is served by the origin
    OriginHandler origin = OriginHandler.builder(channel).build();
    HttpResponse master = origin.handle(HttpRequest.get("/news/master.m3u8")).join();
    assertEquals(200, master.status());
    for (String line : playlist.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        HttpResponse segment = origin.handle(HttpRequest.get("/news/stream/" + line)).join();
        assertEquals(200, segment.status(), line);
        assertEquals(0x47, segment.body().byteAt(0));
      }
    }
    assertNull(live.channel("news"), "closed channels leave the packager");
  }

  @Test
  void garbageDatagramsNeverStopTheChannel() throws Exception {
    LiveChannel channel = packager().openChannel("noisy");
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    Random random = new Random(7);
    byte[] garbage = new byte[DATAGRAM];
    for (int at = 0, i = 0; at < clip.length; at += DATAGRAM, i++) {
      channel.feed(clip, at, Math.min(DATAGRAM, clip.length - at));
      if (i % 10 == 3) {
        random.nextBytes(garbage);
        channel.feed(garbage, 0, 1 + random.nextInt(DATAGRAM));
      }
    }
    // then much more garbage than the demuxer searches for sync (1 MiB): the pipeline is rebuilt
    byte[] noise = new byte[DATAGRAM];
    for (int i = 0; i < (2 << 20) / DATAGRAM; i++) {
      random.nextBytes(noise);
      for (int k = 0; k < noise.length; k++) {
        if (noise[k] == 0x47) {
          noise[k] = 0x46;
        }
      }
      channel.feed(noise, 0, noise.length);
    }
    await(() -> channel.statistics().pipelineRestarts() >= 1, Duration.ofSeconds(20), "a pipeline restart");
    long segmentsBefore = channel.statistics().segmentsProduced();
    feedAsDatagrams(channel, clip);
    channel.closeAsync().get(20, TimeUnit.SECONDS);
    ChannelStatistics s = channel.statistics();
    assertTrue(s.segmentsProduced() > segmentsBefore, "no segments after the garbage: " + s);
    assertTrue(s.ccErrors() > 0 || s.transportStream() != null, s.toString());
    assertNotNull(s.lastError());
    String playlist = text(channel, "stream/index.m3u8");
    assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
  }

  @Test
  void fullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    List<Runnable> parked = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean park = new java.util.concurrent.atomic.AtomicBoolean(true);
    live = LivePackager.builder().executor(task -> { // runs nothing until released
      if (park.get()) {
        parked.add(task);
      } else {
        pool.execute(task);
      }
    }).build();
    LiveChannel channel = live.openChannel("slow", ChannelConfig.builder().inputQueueBytes(100_000).build());
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    long start = System.nanoTime();
    feedAsDatagrams(channel, clip);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "feeding blocked");
    ChannelStatistics s = channel.statistics();
    assertTrue(s.droppedChunks() > 0, s.toString());
    Thread.sleep(50);
    assertTrue(channel.statistics().inputIdle().toMillis() >= 50, "input idle since the last datagram");
    assertEquals(clip.length, s.bytesReceived() + s.droppedBytes());
    assertTrue(s.bytesReceived() <= 100_000);
    park.set(false);
    parked.forEach(pool::execute); // the packager catches up with what was kept
    await(() -> channel.statistics().bytesProcessed() == s.bytesReceived(), Duration.ofSeconds(20),
        "the queued input to be demuxed");
  }

  @Test
  void pipeSourceAndDirectBuffersFeedAChannel() throws Exception {
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    LiveChannel piped = packager().openChannel("piped");
    piped.attach(live.source(new java.io.ByteArrayInputStream(clip), "test pipe"));
    LiveChannel direct = live.openChannel("direct");
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(clip.length);
    buffer.put(clip).flip();
    direct.feed(buffer);
    assertEquals(0, buffer.remaining());
    for (LiveChannel channel : List.of(piped, direct)) {
      await(() -> channel.statistics().bytesProcessed() == clip.length, Duration.ofSeconds(20), "all input");
      channel.closeAsync().get(20, TimeUnit.SECONDS);
      assertTrue(channel.statistics().segmentsProduced() >= 2, channel.statistics().toString());
    }
    assertEquals(text(piped, "stream/index.m3u8").replaceAll("PROGRAM-DATE-TIME:.*", ""),
        text(direct, "stream/index.m3u8").replaceAll("PROGRAM-DATE-TIME:.*", ""));
  }

  @Test
  void closingAfterTheHostStoppedItsExecutorStillFlushes() throws Exception {
    LiveChannel channel = packager().openChannel("late");
    feedAsDatagrams(channel, TestMedia.bytes("h264_aac.ts"));
    await(() -> channel.statistics().bytesProcessed() > 0, Duration.ofSeconds(20), "some input");
    pool.shutdown();
    assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    long start = System.nanoTime();
    channel.close();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close waited for a dead executor");
    assertTrue(text(channel, "stream/index.m3u8").contains("#EXT-X-ENDLIST"));
  }

  @Test
  void aSourceWithoutKeyframesCannotGrowTheOpenSegmentWithoutBound() throws Exception {
    LiveChannel channel = packager().openChannel("nokeys", ChannelConfig.builder()
        .maxSegmentInputBytes(1 << 20).build());
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    feedAsDatagrams(channel, clip); // starts a segment
    // then the same stream's packets again and again, with the keyframes' PES removed: here simply the clip's
    // audio packets (PID 0x101) with video absent, so no keyframe ever closes the open segment
    java.io.ByteArrayOutputStream audioOnly = new java.io.ByteArrayOutputStream();
    for (int at = 0; at + 188 <= clip.length; at += 188) {
      int pid = (clip[at + 1] & 0x1F) << 8 | (clip[at + 2] & 0xFF);
      if (pid == 0x101) {
        audioOnly.write(clip, at, 188);
      }
    }
    byte[] audio = audioOnly.toByteArray();
    for (int i = 0; i < (3 << 20) / audio.length; i++) {
      feedAsDatagrams(channel, audio);
      Thread.sleep(1);
    }
    await(() -> channel.statistics().pipelineRestarts() >= 1, Duration.ofSeconds(20), "a bounded restart");
    assertTrue(channel.statistics().lastError().contains("no segment after"), channel.statistics().lastError());
  }

  @Test
  void servesNothingForOtherChannelsOrUnknownNames() {
    LiveChannel channel = packager().openChannel("a");
    assertNull(channel.load(ResourceKey.of("b", "master.m3u8")));
    assertNull(live.load(ResourceKey.of("a", "master.m3u8")), "nothing before the first segment");
    assertNull(live.load(ResourceKey.of("zzz", "master.m3u8")));
    assertNotNull(ByteSlice.empty());
  }
}
