package io.iptv.examples.demo;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import io.iptv.segmenter.pkg.InMemorySegmentSink;
import io.iptv.segmenter.pkg.SegmentFormat;
import io.iptv.segmenter.pkg.SignallingSegmentSink;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A live channel made from a {@link DemoClip} played in a loop: each repetition is shifted by the clip's
 * duration, so timestamps and the media sequence keep growing, and fed to an {@link HlsPackager} in
 * {@link HlsPlaylistType#LIVE} mode (sliding window, segments in memory) at real-time pace.
 *
 * <p>Pacing: on every tick of the host's scheduler, the samples whose shifted DTS is at most
 * {@code preroll + elapsed wall time} past the clip's start are emitted. The preroll fills the window at once,
 * so a player can start as soon as the demo is up.
 *
 * <p>Threading: the packager is fed only by the scheduled task (a fixed-rate task never overlaps itself);
 * {@link #loader()} reads the thread-safe sink from any thread. {@link #close()} stops feeding; idempotent.
 *
 * <pre>{@code
 * LiveLoop live = LiveLoop.builder(clip).segmentDuration(Duration.ofSeconds(2)).build();
 * live.start(scheduler);
 * ResourceLoader loader = live.loader();    // master.m3u8, stream/index.m3u8, stream/seg-00042.ts
 * }</pre>
 */
public final class LiveLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveLoop.class.getName());

  private final DemoClip clip;
  private final Duration tick;
  private final long preroll90k;
  private final InMemorySegmentSink sink = new InMemorySegmentSink();
  private final HlsPackager packager;
  private final AtomicLong segments = new AtomicLong();
  private final AtomicLong segmentBytes = new AtomicLong();
  private final long start90k;
  private final CountDownLatch firstTick = new CountDownLatch(1);

  // Feeder state: touched only by the scheduled task.
  private final ClipLoop position;
  private long startNanos = -1;

  private volatile String lastSegment;
  private volatile String failure;
  private volatile ScheduledFuture<?> task;
  private volatile boolean closed;

  private LiveLoop(Builder b) {
    this.clip = b.clip;
    this.position = new ClipLoop(b.clip);
    this.tick = b.tick;
    this.preroll90k = Timestamps.fromDuration(b.preroll);
    HlsPackager.Builder packaging = HlsPackager.builder()
        .segmentDuration(b.segmentDuration)
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(b.listSize)
        .listener((name, duration, bytes) -> {
          segments.incrementAndGet();
          segmentBytes.addAndGet(bytes);
          lastSegment = name;
        });
    if (b.partTarget != null) {
      // LL-HLS: CMAF parts published as they complete (RFC 8216bis §4.4.4.9)
      packaging.segmentFormat(SegmentFormat.FMP4).partTarget(b.partTarget);
    }
    b.packaging.accept(packaging);
    this.packager = packaging.build(b.updates == null ? sink
        : new SignallingSegmentSink(sink, b.updates, b.channel));
    long first = Long.MAX_VALUE;
    for (MediaSample s : clip.samples()) {
      first = Math.min(first, s.dts90k());
    }
    this.start90k = first;
  }

  /** A builder looping {@code clip}. */
  public static Builder builder(DemoClip clip) {
    return new Builder(clip);
  }

  /** Starts feeding on {@code scheduler} (the host's; this class starts no thread). Call once. */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (task != null || closed) {
      throw new IllegalStateException("already started or closed");
    }
    task = scheduler.scheduleAtFixedRate(this::tick, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** What the channel serves: the sink's multivariant playlist, media playlist and segments by name. */
  public ResourceLoader loader() {
    return key -> {
      ByteSlice bytes = sink.get(key.name());
      return bytes == null ? null : ServedResource.of(key, bytes);
    };
  }

  /** Counters for {@code /status}. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", failure != null ? "failed" : closed ? "stopped" : task == null ? "idle" : "running");
    status.put("loops", position.completedLoops());
    status.put("segmentsWritten", segments.get());
    status.put("segmentBytesWritten", segmentBytes.get());
    status.put("lastSegment", lastSegment);
    status.put("loopSeconds", Timestamps.toSeconds(clip.loopDuration90k()));
    if (failure != null) {
      status.put("failure", failure);
    }
    return status;
  }

  /**
   * Waits until the channel is playable (its first segments and playlists are written: the preroll's first
   * tick ran) or failed, at most {@code timeout}; true if playable. An origin that starts serving before this
   * answers 404 for the playlists of a channel it lists.
   */
  public boolean awaitPlayable(Duration timeout) throws InterruptedException {
    return firstTick.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && failure == null;
  }

  private void tick() {
    try {
      feed();
    } finally {
      firstTick.countDown();
    }
  }

  private void feed() {
    if (closed || failure != null) {
      return;
    }
    try {
      if (startNanos < 0) {
        startNanos = System.nanoTime();
        for (TrackFormat format : clip.tracks()) {
          packager.emit(new StreamEvent.TrackAdded(format));
        }
      }
      long elapsed90k = (System.nanoTime() - startNanos) * 9 / 100_000; // ns → 90 kHz
      long until90k = start90k + preroll90k + elapsed90k;
      position.emitUntil(until90k, packager::emit);
    } catch (MediaException | RuntimeException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.log(Level.ERROR, "live loop stopped", e);
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /** Stops feeding. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Configures a {@link LiveLoop}; each setter once. Not thread-safe. */
  public static final class Builder {
    private final DemoClip clip;
    private Duration segmentDuration = Duration.ofSeconds(2);
    private int listSize = 6;
    private Duration tick = Duration.ofMillis(100);
    private Duration preroll;
    private Consumer<HlsPackager.Builder> packaging = p -> { };
    private Duration partTarget;
    private PlaylistUpdates updates;
    private String channel;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder(DemoClip clip) {
      this.clip = Objects.requireNonNull(clip, "clip");
    }

    /** Segment duration (default 2 s; the clip's keyframe interval must divide it). */
    public Builder segmentDuration(Duration value) {
      once("segmentDuration");
      segmentDuration = Objects.requireNonNull(value, "segmentDuration");
      return this;
    }

    /** Segments listed in the live playlist (default 6). */
    public Builder listSize(int value) {
      once("listSize");
      require(value >= 3, "listSize must be at least 3: " + value);
      listSize = value;
      return this;
    }

    /** Pacing period (default 100 ms). */
    public Builder tick(Duration value) {
      once("tick");
      require(value.toMillis() >= 10 && value.toMillis() <= 1000, "tick out of 10..1000 ms: " + value);
      tick = value;
      return this;
    }

    /** Media packaged at once on start (default: {@code min(listSize, 6)} segments). */
    public Builder preroll(Duration value) {
      once("preroll");
      require(!value.isNegative(), "preroll must not be negative: " + value);
      preroll = value;
      return this;
    }

    /**
     * Further packaging settings for the channel (segment format, DASH manifest, encryption, …), applied after
     * the loop's own (segment duration, LIVE, list size, listener). Default: none.
     */
    public Builder packaging(Consumer<HlsPackager.Builder> value) {
      once("packaging");
      packaging = Objects.requireNonNull(value, "packaging");
      return this;
    }

    /**
     * Low-Latency HLS: CMAF segments published also as parts of at most this duration (see
     * {@link HlsPackager.Builder#partTarget}); default none (MPEG-TS segments).
     */
    public Builder partTarget(Duration value) {
      once("partTarget");
      partTarget = Objects.requireNonNull(value, "partTarget");
      return this;
    }

    /**
     * Signals every written playlist and part of {@code channel} on {@code value}, for an origin with
     * blocking playlist reload ({@code io.iptv.core.serve.LowLatencyServing}); default none.
     */
    public Builder updates(PlaylistUpdates value, String channel) {
      once("updates");
      updates = Objects.requireNonNull(value, "updates");
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** Builds the (not yet started) channel. */
    public LiveLoop build() {
      if (preroll == null) {
        preroll = segmentDuration.multipliedBy(Math.min(listSize, 6));
      }
      return new LiveLoop(this);
    }

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
