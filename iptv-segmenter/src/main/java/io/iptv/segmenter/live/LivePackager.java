package io.iptv.segmenter.live;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live packaging service: many {@link LiveChannel}s sharing the host's threads, served through one
 * {@link ResourceLoader} (give it to an {@link io.iptv.core.serve.OriginHandler}; keys route by channel).
 *
 * <p><b>Threads.</b> Demuxing and packaging run as per-channel serialised tasks on the host's {@link Executor};
 * timers (HTTP reconnect back-off, retirement of old segments) on the host's {@link ScheduledExecutorService}.
 * All UDP and RTP sources share one selector thread, started at the first UDP source from the thread factory;
 * pipe sources ({@link #source(InputStream, String)}) need one reading thread each (blocking reads). Executors
 * the host did not supply are created here and shut down by {@link #close()}.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newFixedThreadPool(2);
 * LivePackager live = LivePackager.builder()
 *     .executor(pool)
 *     .segmentDuration(Duration.ofSeconds(2))
 *     .build();
 * LiveChannel news = live.openChannel("news", ChannelConfig.defaults());
 * news.attach(live.source(SourceUri.parse("udp://239.1.1.1:5000?source=10.0.0.5&interface=eth1")));
 * OriginHandler origin = OriginHandler.builder(live).cors(CorsPolicy.anyOrigin()).build();
 * // GET /news/master.m3u8, /news/stream/index.m3u8, /news/stream/seg-00042.ts
 * }</pre>
 */
public final class LivePackager implements ResourceLoader, AutoCloseable {
  private final Settings settings;
  private final List<ExecutorService> owned;
  private final ThreadFactory threadFactory;
  private final Map<String, LiveChannel> channels = new ConcurrentHashMap<>();
  private UdpReceiverLoop udpLoop;
  private HttpClient httpClient;
  private boolean closed;

  /**
   * The resolved defaults and shared services, handed to channels and sources.
   *
   * @param executor runs the channels' tasks
   * @param scheduler runs timers
   * @param clock wall clock for EXT-X-PROGRAM-DATE-TIME
   * @param segmentDuration default target segment duration
   * @param listSize default live window in segments
   * @param segmentFormat default segment container
   * @param maxKeyframeInterval default longest keyframe interval of sources
   * @param inputQueueBytes default input queue capacity per channel
   * @param updates where the channels signal each resource they write or delete, or null for nowhere
   */
  record Settings(Executor executor, ScheduledExecutorService scheduler, InstantSource clock,
      Duration segmentDuration, int listSize, SegmentFormat segmentFormat, Duration maxKeyframeInterval,
      int inputQueueBytes, PlaylistUpdates updates) {}

  private LivePackager(Builder b) {
    List<ExecutorService> own = new ArrayList<>();
    this.threadFactory = b.threadFactory != null ? b.threadFactory : daemonThreads("iptv-live");
    Executor executor = b.executor;
    if (executor == null) {
      ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
          threadFactory);
      own.add(pool);
      executor = pool;
    }
    ScheduledExecutorService scheduler = b.scheduler;
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
      own.add(scheduler);
    }
    this.owned = List.copyOf(own);
    this.settings = new Settings(executor, scheduler, b.clock, b.segmentDuration, b.listSize, b.segmentFormat,
        b.maxKeyframeInterval, b.inputQueueBytes, b.updates);
  }

  /** Starts configuring a live packager. */
  public static Builder builder() {
    return new Builder();
  }

  /** Opens a channel with the packager's defaults; see {@link #openChannel(String, ChannelConfig)}. */
  public LiveChannel openChannel(String name) {
    return openChannel(name, ChannelConfig.defaults());
  }

  /**
   * Opens channel {@code name} ({@code [A-Za-z0-9_-]{1,64}}, not {@code license}); feed it or attach sources.
   *
   * @throws IllegalStateException if a channel of that name is open or the packager is closed
   */
  public LiveChannel openChannel(String name, ChannelConfig config) {
    Objects.requireNonNull(config, "config");
    new ResourceKey(name, io.iptv.core.serve.ResourceKind.SEGMENT, "x.ts"); // validates the name
    Preconditions.requireArgument(!name.equals("license"), "channel name 'license' is reserved");
    synchronized (this) {
      Preconditions.requireState(!closed, "live packager is closed");
      Preconditions.requireState(!channels.containsKey(name), "channel %s is already open", name);
      LiveChannel channel = new LiveChannel(name, this, settings, config);
      channels.put(name, channel);
      return channel;
    }
  }

  /** The open channel {@code name}, or null. */
  public LiveChannel channel(String name) {
    return channels.get(name);
  }

  /** The open channels. */
  public List<LiveChannel> channels() {
    return List.copyOf(channels.values());
  }

  @Override
  public ServedResource load(ResourceKey key) {
    LiveChannel channel = channels.get(key.channel());
    return channel == null ? null : channel.load(key);
  }

  /**
   * A source for {@code uri}: UDP and RTP (unicast or multicast) on the shared selector thread, HTTP pull on
   * the JDK client with reconnects, {@code -} for standard input. Not started: {@link LiveChannel#attach} it.
   */
  public TsSource source(SourceUri uri) {
    return switch (uri.scheme()) {
      case UDP, RTP -> new UdpSource(uri, this::udpLoop);
      case HTTP -> HttpTsSource.builder(uri.uri()).client(httpClient()).scheduler(settings.scheduler()).build();
      case STDIN -> new InputStreamSource(System.in, "stdin", threadFactory);
    };
  }

  /** A source reading {@code in} on a thread of its own (a pipe, a socket, a file being written). */
  public TsSource source(InputStream in, String description) {
    return new InputStreamSource(in, description, threadFactory);
  }

  /** Closes every channel (flushing them as configured), the UDP thread and the executors created here. */
  @Override
  public void close() {
    List<LiveChannel> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(channels.values());
    }
    open.forEach(LiveChannel::closeAsync);
    for (LiveChannel c : open) {
      c.close();
    }
    UdpReceiverLoop loop;
    synchronized (this) {
      loop = udpLoop;
    }
    if (loop != null) {
      loop.close();
    }
    owned.forEach(ExecutorService::shutdown);
  }

  void unregister(LiveChannel channel) {
    channels.remove(channel.name(), channel);
  }

  /** Deletes {@code names} from {@code store} after {@code delay}, unless rewritten since (playlists are). */
  void scheduleRetirement(ChannelStore store, Set<String> names, Duration delay) {
    Map<String, ServedResource> snapshot = new java.util.HashMap<>();
    for (String n : names) {
      ServedResource r = store.get(n);
      if (r != null) {
        snapshot.put(n, r);
      }
    }
    settings.scheduler().schedule(() -> snapshot.forEach((n, r) -> {
      if (store.get(n) == r) {
        store.delete(n);
      }
    }), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized UdpReceiverLoop udpLoop() throws IOException {
    Preconditions.requireState(!closed, "live packager is closed");
    if (udpLoop == null) {
      udpLoop = UdpReceiverLoop.start(threadFactory);
    }
    return udpLoop;
  }

  private synchronized HttpClient httpClient() {
    if (httpClient == null) {
      httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    return httpClient;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Configures a {@link LivePackager}. Each setting is validated at once and may be set once. Not thread-safe.
   *
   * <pre>{@code
   * LivePackager.builder().executor(pool).scheduler(timers).clock(InstantSource.system())
   *     .segmentDuration(Duration.ofSeconds(4)).listSize(6).build();
   * }</pre>
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private Executor executor;
    private ScheduledExecutorService scheduler;
    private ThreadFactory threadFactory;
    private InstantSource clock = InstantSource.system();
    private Duration segmentDuration = Duration.ofSeconds(4);
    private int listSize = 6;
    private SegmentFormat segmentFormat = SegmentFormat.TS;
    private Duration maxKeyframeInterval = Duration.ofSeconds(2);
    private int inputQueueBytes = 4 << 20;
    private PlaylistUpdates updates;

    private Builder() {}

    /** Runs the channels' demux/package tasks (default: a fixed pool of one thread per core, owned here). */
    public Builder executor(Executor value) {
      once("executor");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** Runs timers: reconnect back-off, retirement (default: one daemon thread, owned here). */
    public Builder scheduler(ScheduledExecutorService value) {
      once("scheduler");
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** Makes the UDP selector thread and pipe readers (default: daemon threads {@code iptv-live-N}). */
    public Builder threadFactory(ThreadFactory value) {
      once("threadFactory");
      threadFactory = Objects.requireNonNull(value, "threadFactory");
      return this;
    }

    /** Wall clock for EXT-X-PROGRAM-DATE-TIME (default the system clock). */
    public Builder clock(InstantSource value) {
      once("clock");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Default target segment duration (default 4 s; 0.5 to 60 s). */
    public Builder segmentDuration(Duration value) {
      once("segmentDuration");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(500)) >= 0
          && value.compareTo(Duration.ofSeconds(60)) <= 0, "segmentDuration %s out of range 0.5..60 s", value);
      segmentDuration = value;
      return this;
    }

    /** Default live window in segments (default 6, at least 3). */
    public Builder listSize(int value) {
      once("listSize");
      Preconditions.requireArgument(value >= 3 && value <= 10_000, "listSize %d out of range 3..10000", value);
      listSize = value;
      return this;
    }

    /** Default segment container (default TS). */
    public Builder segmentFormat(SegmentFormat value) {
      once("segmentFormat");
      segmentFormat = Objects.requireNonNull(value, "segmentFormat");
      return this;
    }

    /**
     * Default longest keyframe interval of the sources (default 2 s): EXT-X-TARGETDURATION is fixed at
     * {@code ceil(segmentDuration + maxKeyframeInterval)} so that segments cut at the first keyframe after the
     * target duration never exceed it.
     */
    public Builder maxKeyframeInterval(Duration value) {
      once("maxKeyframeInterval");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofSeconds(60)) <= 0,
          "maxKeyframeInterval %s out of range 0..60 s", value);
      maxKeyframeInterval = value;
      return this;
    }

    /** Default input queue per channel in bytes (default 4 MiB: about 6 s of a 5 Mbit/s stream). */
    public Builder inputQueueBytes(int value) {
      once("inputQueueBytes");
      Preconditions.requireArgument(value >= 64 * 1024 + 64 && value <= 256 << 20,
          "inputQueueBytes %d out of range 64 KiB..256 MiB", value);
      inputQueueBytes = value;
      return this;
    }

    /**
     * Signals every resource the channels write or delete (playlists, parts, segments) on {@code value}, so that
     * an origin with {@link io.iptv.core.serve.LowLatencyServing} on the same {@link PlaylistUpdates} answers
     * blocking playlist reloads and preload-hinted part requests as soon as they can be (Low-Latency HLS: give
     * the channels a part target through {@link ChannelConfig.Builder#packagerOptions}). Default: no signals.
     */
    public Builder playlistUpdates(PlaylistUpdates value) {
      once("playlistUpdates");
      updates = Objects.requireNonNull(value, "playlistUpdates");
      return this;
    }

    /** Builds the packager. */
    public LivePackager build() {
      return new LivePackager(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
