package io.iptv.examples.demo;

import io.iptv.core.serve.ResourceKey;
import io.iptv.segmenter.live.ChannelConfig;
import io.iptv.segmenter.live.ChannelStatistics;
import io.iptv.segmenter.live.LatencySummary;
import io.iptv.segmenter.live.LiveChannel;
import io.iptv.segmenter.live.LivePackager;
import io.iptv.segmenter.live.SourceUri;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A demo live channel fed the way {@code iptv serve --channel NAME=udp://…} is: a {@link TsHeadend} loops the
 * clip through the TS muxer in real time and sends it as UDP datagrams ({@link UdpTsSender}) to
 * {@code udp://127.0.0.1:PORT} (a free loopback port), which a {@link LivePackager} channel receives on its
 * shared selector thread, demuxes and packages: the same input queue, demuxer, live packager, statistics and
 * DVR window as a channel fed by a real headend.
 *
 * <p>Threading: the headend runs on the host's scheduler; the packager's threads are the host's (see
 * {@link LivePackager}). {@link #status()} and {@link #awaitPlayable} from any thread. {@link #close()} stops the
 * headend and the socket; the channel itself is closed with its packager.
 *
 * <pre>{@code
 * IngestChannel ingest = IngestChannel.open(packager, "live-ingest", config, clip, Duration.ofSeconds(12));
 * ingest.start(scheduler);
 * ingest.awaitPlayable(Duration.ofSeconds(30));
 * // GET /live-ingest/master.m3u8 from an origin over the packager
 * }</pre>
 */
public final class IngestChannel implements AutoCloseable {
  /** Segments published before the channel counts as playable (a live playlist of at least three). */
  static final int PLAYABLE_SEGMENTS = 3;
  private static final int PORT_ATTEMPTS = 3;

  private final LiveChannel channel;
  private final UdpTsSender sender;
  private final TsHeadend headend;
  private final String source;

  private IngestChannel(LiveChannel channel, UdpTsSender sender, TsHeadend headend, String source) {
    this.channel = channel;
    this.sender = sender;
    this.headend = headend;
    this.source = source;
  }

  /**
   * Opens channel {@code name} on {@code packager} with {@code config}, listening on a free loopback UDP port,
   * and a (not yet started) headend sending {@code clip} there with {@code preroll} ahead of real time.
   *
   * @throws IOException if no UDP port could be bound
   */
  public static IngestChannel open(LivePackager packager, String name, ChannelConfig config, DemoClip clip,
      Duration preroll) throws IOException {
    Objects.requireNonNull(clip, "clip");
    LiveChannel channel = packager.openChannel(name, config);
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      IOException last = null;
      for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
        int port = freeUdpPort(loopback); // may be taken again before the source binds it: then try another
        String uri = "udp://" + loopback.getHostAddress() + ":" + port;
        try {
          channel.attach(packager.source(SourceUri.parse(uri)));
        } catch (IOException e) {
          last = e;
          continue;
        }
        UdpTsSender sender = UdpTsSender.open(new InetSocketAddress(loopback, port));
        TsHeadend headend = TsHeadend.builder(clip, sender).preroll(preroll).build();
        return new IngestChannel(channel, sender, headend, uri);
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      channel.closeAsync();
      throw e;
    }
  }

  /** Starts the headend on {@code scheduler}. */
  public void start(ScheduledExecutorService scheduler) {
    headend.start(scheduler);
  }

  /** The channel's name. */
  public String name() {
    return channel.name();
  }

  /** The channel's counters. */
  public ChannelStatistics statistics() {
    return channel.statistics();
  }

  /**
   * Waits until the channel has published {@value #PLAYABLE_SEGMENTS} segments and its playlists (or the
   * headend failed), at most {@code timeout}; true if playable. An origin that listens before this answers 404
   * for the playlists of a channel it lists.
   */
  public boolean awaitPlayable(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!headend.failed()) {
      if (channel.statistics().segmentsProduced() >= PLAYABLE_SEGMENTS
          && channel.load(ResourceKey.of(channel.name(), "master.m3u8")) != null
          && channel.load(ResourceKey.of(channel.name(), "stream/index.m3u8")) != null) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The headend's and the channel's counters, for {@code /status}. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>(headend.status());
    status.put("source", source);
    status.put("datagramsSent", sender.datagrams());
    status.put("sendErrors", sender.errors());
    status.put("statistics", statistics(channel.statistics()));
    return status;
  }

  /** {@link ChannelStatistics} as JSON-friendly values (durations in ms; without the per-PID snapshot). */
  static Map<String, Object> statistics(ChannelStatistics s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytesReceived", s.bytesReceived());
    m.put("chunksReceived", s.chunksReceived());
    m.put("bytesProcessed", s.bytesProcessed());
    m.put("droppedChunks", s.droppedChunks());
    m.put("droppedBytes", s.droppedBytes());
    m.put("inputIdleMillis", s.inputIdle() == null ? null : s.inputIdle().toMillis());
    m.put("inputBitrateBitsPerSecond", s.inputBitrateBitsPerSecond());
    m.put("tsPackets", s.tsPackets());
    m.put("ccErrors", s.ccErrors());
    m.put("pcrJitterMaxNanos", s.pcrJitterMaxNanos());
    m.put("segmentsProduced", s.segmentsProduced());
    m.put("discontinuities", s.discontinuities());
    m.put("sourceRestarts", s.sourceRestarts());
    m.put("pipelineRestarts", s.pipelineRestarts());
    LatencySummary latency = s.publishLatency();
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("count", latency.count());
    l.put("p50Millis", latency.p50().toNanos() / 1e6);
    l.put("p99Millis", latency.p99().toNanos() / 1e6);
    l.put("maxMillis", latency.max().toNanos() / 1e6);
    m.put("publishLatency", l);
    m.put("lastError", s.lastError());
    return m;
  }

  /** Stops the headend and its socket. Idempotent. */
  @Override
  public void close() {
    headend.close();
    sender.close();
  }

  private static int freeUdpPort(InetAddress address) throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress(address, 0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }
}
