package io.iptv.examples.demo;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.live.TsReceiver;
import io.iptv.segmenter.ts.TsMuxer;
import io.iptv.segmenter.ts.TsSegment;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated headend: plays a {@link DemoClip} in a loop through one {@link TsMuxer} and hands the resulting
 * single-program transport stream to a {@link TsReceiver} (a {@link UdpTsSender}, or a
 * {@link io.iptv.segmenter.live.LiveChannel} directly) in real time, as an encoder's multiplexer would send it.
 *
 * <p><b>Stream.</b> One muxer for the whole life of the stream, so continuity counters (ISO/IEC 13818-1
 * §2.4.3.3) and the PCR run on across ticks and loops; each repetition of the clip is shifted by its duration
 * ({@link DemoClip#shifted}), so PTS/DTS keep growing without a discontinuity (re-wrapped to 33 bits by the
 * muxer). Every tick's output starts with a PAT and a PMT (the muxer's "segment"), i.e. PSI every tick
 * (100 ms by default; ETSI TR 101 290 1.3 wants the PAT at least every 0.5 s).
 *
 * <p><b>Pacing.</b> On every tick of the host's scheduler, the samples whose shifted DTS is at most
 * {@code preroll + elapsed wall time} past the clip's start are muxed and sent. The preroll (media sent at once
 * so that the receiver's playlist fills quickly) is not sent in one burst: the media time sent per tick is
 * capped at {@code catchUpSpeed} times the tick, so a UDP receive buffer never sees more than a few hundred
 * milliseconds of stream at once.
 *
 * <p><b>Threading.</b> The muxer is used only by the scheduled task (a fixed-rate task never overlaps itself);
 * {@link #status()} reads volatile counters from any thread. No thread of its own. {@link #close()} stops it;
 * idempotent.
 *
 * <pre>{@code
 * TsHeadend headend = TsHeadend.builder(clip, sender).preroll(Duration.ofSeconds(12)).build();
 * headend.start(scheduler);
 * }</pre>
 */
public final class TsHeadend implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TsHeadend.class.getName());

  private final DemoClip clip;
  private final TsReceiver output;
  private final Duration tick;
  private final long preroll90k;
  private final long maxPerTick90k;
  private final long start90k;
  /** Added to every timestamp: the stream's first DTS is {@code firstDts90k}. */
  private final long offset90k;
  private final TsMuxer muxer = TsMuxer.builder().build();
  private final AtomicLong bytesSent = new AtomicLong();

  // Feeder state: touched only by the scheduled task.
  private final ClipLoop position;
  private long startNanos = -1;
  private long sent90k;

  private volatile String failure;
  private volatile ScheduledFuture<?> task;
  private volatile boolean closed;

  private TsHeadend(Builder b) {
    this.clip = b.clip;
    this.position = new ClipLoop(b.clip);
    this.output = b.output;
    this.tick = b.tick;
    this.preroll90k = Timestamps.fromDuration(b.preroll);
    this.maxPerTick90k = Math.max(1, Math.round(Timestamps.fromDuration(b.tick) * b.catchUpSpeed));
    long first = Long.MAX_VALUE;
    for (MediaSample s : clip.samples()) {
      first = Math.min(first, s.dts90k());
    }
    this.start90k = first;
    this.offset90k = b.firstDts90k - first;
    if (clip.tracks().stream().noneMatch(t -> t.type() == TrackType.VIDEO)) {
      throw new IllegalArgumentException("the clip has no video track");
    }
    // Video first (PID 0x100), as encoders lay programs out; then the others in the clip's order
    List<TrackFormat> tracks = new ArrayList<>(clip.tracks());
    tracks.sort(Comparator.comparing(t -> t.type() != TrackType.VIDEO));
    for (TrackFormat format : tracks) {
      muxer.addTrack(format);
    }
  }

  /** A builder sending {@code clip} to {@code output}. */
  public static Builder builder(DemoClip clip, TsReceiver output) {
    return new Builder(clip, output);
  }

  /** Starts sending on {@code scheduler} (the host's; this class starts no thread). Call once. */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (task != null || closed) {
      throw new IllegalStateException("already started or closed");
    }
    task = scheduler.scheduleAtFixedRate(this::tick, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether sending stopped on an error (see {@link #status()}). */
  public boolean failed() {
    return failure != null;
  }

  /** Counters for {@code /status}. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", failure != null ? "failed" : closed ? "stopped" : task == null ? "idle" : "running");
    status.put("loops", position.completedLoops());
    status.put("bytesSent", bytesSent.get());
    status.put("loopSeconds", Timestamps.toSeconds(clip.loopDuration90k()));
    if (failure != null) {
      status.put("failure", failure);
    }
    return status;
  }

  private void tick() {
    if (closed || failure != null) {
      return;
    }
    try {
      long now = System.nanoTime();
      if (startNanos < 0) {
        startNanos = now;
        sent90k = start90k;
      }
      long elapsed90k = (now - startNanos) * 9 / 100_000; // ns → 90 kHz
      long until90k = Math.min(start90k + preroll90k + elapsed90k, sent90k + maxPerTick90k);
      muxer.startSegment(); // PAT + PMT
      position.emitUntil(until90k, shifted -> muxer.write(new MediaSample(shifted.trackId(),
          shifted.pts90k() + offset90k, shifted.dts90k() + offset90k, shifted.keyframe(), shifted.data())));
      sent90k = until90k;
      TsSegment out = muxer.finishSegment(); // flushes bundled audio: whole PES packets per tick
      bytesSent.addAndGet(out.bytes().length());
      output.receive(out.bytes().asReadOnlyByteBuffer());
    } catch (MediaException | RuntimeException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.log(Level.ERROR, "headend stopped", e);
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /** Stops sending. Idempotent; does not close the output. */
  @Override
  public synchronized void close() {
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Configures a {@link TsHeadend}; each setter once. Not thread-safe. */
  public static final class Builder {
    private final DemoClip clip;
    private final TsReceiver output;
    private final Set<String> set = new HashSet<>();
    private Duration tick = Duration.ofMillis(100);
    private Duration preroll = Duration.ZERO;
    private double catchUpSpeed = 5;
    private long firstDts90k = 10 * Timestamps.TICKS_PER_SECOND;

    private Builder(DemoClip clip, TsReceiver output) {
      this.clip = Objects.requireNonNull(clip, "clip");
      this.output = Objects.requireNonNull(output, "output");
    }

    /** Pacing period (default 100 ms; 10 ms to 500 ms: PSI is repeated every tick). */
    public Builder tick(Duration value) {
      once("tick");
      require(value.toMillis() >= 10 && value.toMillis() <= 500, "tick out of 10..500 ms: " + value);
      tick = value;
      return this;
    }

    /** Media sent ahead of real time at the start, at {@link #catchUpSpeed} (default none). */
    public Builder preroll(Duration value) {
      once("preroll");
      require(!value.isNegative() && value.compareTo(Duration.ofMinutes(1)) <= 0,
          "preroll out of 0..60 s: " + value);
      preroll = value;
      return this;
    }

    /** Largest media time sent per wall-clock time while sending the preroll (default 5; 1 to 50). */
    public Builder catchUpSpeed(double value) {
      once("catchUpSpeed");
      require(value >= 1 && value <= 50, "catchUpSpeed out of 1..50: " + value);
      catchUpSpeed = value;
      return this;
    }

    /**
     * The DTS of the stream's first sample, 90 kHz (default 10 s: the PCR, which runs the muxer's PCR offset
     * behind, starts positive; {@code 0 .. 2^33 - 1}, re-wrapped to 33 bits as the stream goes on).
     */
    public Builder firstDts90k(long value) {
      once("firstDts90k");
      require(value >= 0 && value < (1L << 33), "firstDts90k out of 0..2^33-1: " + value);
      firstDts90k = value;
      return this;
    }

    /** Builds the (not yet started) headend. */
    public TsHeadend build() {
      return new TsHeadend(this);
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
