package io.iptv.segmenter.slate;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a live channel going when its input stops: wraps the {@link Emitter} a live input feeds (usually an
 * {@link io.iptv.segmenter.pkg.HlsPackager}) and, after {@code silence} of wall-clock time without a sample,
 * continues the channel with a slate — a still H.264 colour-bar picture at the channel's resolution and frame
 * rate ({@link SlateEncoder}, one GOP encoded once and repeated, an IDR every {@code keyframeInterval}) and
 * silent AAC-LC frames at each AAC track's sample rate and channel count ({@link SilentAacFrame}). The slate
 * is bracketed by {@link StreamEvent.Discontinuity} events (the encoding changes, RFC 8216 §4.3.2.3); its
 * timestamps continue from the end of the last input sample and fill the silence, then follow the wall clock.
 * When input resumes, a discontinuity again and the input passes through. The slate's IDRs carry its own
 * SPS/PPS in band; a CMAF {@link io.iptv.segmenter.pkg.HlsPackager} gives the slate period and the return to
 * live each a new init segment from them (EXT-X-MAP after the discontinuity), TS needs nothing.
 *
 * <p>Slate tracks: the first video track if it is H.264 (a channel with other video gets no slate: its lead
 * track could not continue), and every AAC track with a standard sample rate and 1 to 8 channels. Formats come
 * from the {@code TrackAdded}/{@code TrackChanged} events seen; unknown sizes default to 640×360 at 25 fps.
 *
 * <p>Threading: {@link #emit} is called by the input thread, the watchdog runs on the given scheduler; both
 * reach the wrapped emitter only under this guard's lock, so it sees one event at a time. The slate GOP is
 * encoded on the scheduler thread, outside the lock, as soon as the video format is known. A
 * {@link MediaException} thrown by the wrapped emitter during the slate stops the slate and is rethrown by
 * the next {@link #emit}. {@link #close()} stops the watchdog; idempotent.
 *
 * <pre>{@code
 * InputLossGuard guard = InputLossGuard.builder(packager)
 *     .silence(Duration.ofSeconds(2))
 *     .scheduler(scheduler)
 *     .build();
 * guard.start();
 * TsDemuxer demuxer = TsDemuxer.builder().build(guard);   // the input feeds the guard
 * }</pre>
 */
public final class InputLossGuard implements Emitter, AutoCloseable {
  private static final int DEFAULT_WIDTH = 640;
  private static final int DEFAULT_HEIGHT = 360;
  private static final double DEFAULT_FRAME_RATE = 25;

  private final Emitter downstream;
  private final Duration silence;
  private final Duration checkInterval;
  private final Duration keyframeInterval;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;

  private final Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
  private final Map<Integer, Long> trackEnds90k = new LinkedHashMap<>();
  private final Map<Integer, Long> lastDts90k = new LinkedHashMap<>();
  private volatile TrackFormat videoFormat;
  private volatile Slate slate;
  private ScheduledFuture<?> task;

  private Instant lastInputAt;
  private boolean onSlate;
  private boolean ended;
  private boolean closed;
  private MediaException failure;
  private long slateStart90k;
  private Instant slateAnchor;
  private long slateVideoFrames;
  private final Map<Integer, Long> slateAudioFrames = new LinkedHashMap<>();
  /** Silent ADTS frames by (sample rate, channels), built once. */
  private final Map<Long, ByteSlice> audioFrames = new LinkedHashMap<>();
  private long slatePeriods;
  private long slateSamples;

  private InputLossGuard(Builder b) {
    this.downstream = b.downstream;
    this.silence = b.silence;
    this.checkInterval = b.checkInterval;
    this.keyframeInterval = b.keyframeInterval;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
  }

  /** Starts configuring a guard in front of {@code downstream}. */
  public static Builder builder(Emitter downstream) {
    return new Builder(downstream);
  }

  /** Starts the watchdog on the scheduler. */
  public synchronized void start() {
    Preconditions.requireState(task == null && !closed, "already started or closed");
    long period = checkInterval.toNanos();
    task = scheduler.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void emit(StreamEvent event) throws MediaException {
    Objects.requireNonNull(event, "event");
    synchronized (this) {
      if (failure != null) {
        MediaException f = failure;
        failure = null;
        throw f;
      }
      if (event instanceof StreamEvent.TrackAdded added) {
        onFormat(added.format());
      } else if (event instanceof StreamEvent.TrackChanged changed) {
        onFormat(changed.format());
      } else if (event instanceof MediaSample sample) {
        if (onSlate) {
          onSlate = false;
          downstream.emit(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED,
              Timestamps.NO_TIMESTAMP, Timestamps.NO_TIMESTAMP));
        }
        lastInputAt = clock.instant();
        observe(sample);
      } else if (event instanceof StreamEvent.EndOfStream) {
        ended = true;
      }
      downstream.emit(event);
    }
  }

  /** Whether the channel is currently on the slate. */
  public synchronized boolean onSlate() {
    return onSlate;
  }

  /** How many times the slate started. */
  public synchronized long slatePeriods() {
    return slatePeriods;
  }

  /** Slate samples (video and audio) emitted so far. */
  public synchronized long slateSamples() {
    return slateSamples;
  }

  /** Stops the watchdog (the slate stops too). Does not close the wrapped emitter. */
  @Override
  public synchronized void close() {
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
  }

  /**
   * One watchdog step, as the scheduler runs it every {@code checkInterval}: prepares the slate once the
   * format is known, starts it after the silence, feeds it up to the clock. Public for drivers with their own
   * timing (tests with a manual clock); thread-safe.
   */
  public void check() {
    prepare();
    synchronized (this) {
      if (closed || ended || failure != null || lastInputAt == null) {
        return;
      }
      Instant now = clock.instant();
      try {
        if (!onSlate) {
          if (Duration.between(lastInputAt, now).compareTo(silence) < 0 || !ready()) {
            return;
          }
          startSlate();
        }
        emitSlateUntil(now);
      } catch (MediaException e) {
        failure = e;
        onSlate = false;
      }
    }
  }

  /** Whether a slate can start: audio only, or H.264 video whose GOP is encoded (other video: never). */
  private boolean ready() {
    TrackFormat video = videoFormat;
    Slate s = slate;
    return video == null || (video.codec() == Codec.H264 && s != null && s.matches(video));
  }

  /** Encodes the GOP for the current video format if it changed (outside the lock: it takes a while). */
  private void prepare() {
    TrackFormat video = videoFormat;
    if (video == null || video.codec() != Codec.H264) {
      return;
    }
    Slate s = slate;
    if (s != null && s.matches(video)) {
      return;
    }
    int width = video.width() > 0 ? video.width() & ~1 : DEFAULT_WIDTH;
    int height = video.height() > 0 ? video.height() & ~1 : DEFAULT_HEIGHT;
    double fps = video.frameRate() > 0 ? video.frameRate() : DEFAULT_FRAME_RATE;
    long frameDuration90k = Math.max(1, Math.round(Timestamps.TICKS_PER_SECOND / fps));
    int frames = (int) Math.max(1, Math.min(600, Timestamps.fromDuration(keyframeInterval) / frameDuration90k));
    slate = new Slate(video.width(), video.height(), video.frameRate(), frameDuration90k,
        SlateEncoder.encodeGop(width, height, frames));
  }

  private void onFormat(TrackFormat format) {
    formats.put(format.trackId(), format);
    TrackFormat video = videoFormat;
    if (format.type() == TrackType.VIDEO && (video == null || video.trackId() == format.trackId())) {
      videoFormat = format;
    }
  }

  private void observe(MediaSample s) {
    Long previous = lastDts90k.put(s.trackId(), s.dts90k());
    long frame = previous != null && s.dts90k() > previous && s.dts90k() - previous < Timestamps.TICKS_PER_SECOND
        ? s.dts90k() - previous : 0;
    TrackFormat f = formats.get(s.trackId());
    if (f != null && f.codec() == Codec.AAC && f.sampleRate() > 0) {
      frame = SilentAacFrame.duration90k(f.sampleRate());
    }
    trackEnds90k.merge(s.trackId(), s.pts90k() + frame, Math::max);
  }

  private void startSlate() throws MediaException {
    long end = Long.MIN_VALUE;
    for (long e : trackEnds90k.values()) {
      end = Math.max(end, e);
    }
    downstream.emit(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED,
        Timestamps.NO_TIMESTAMP, Timestamps.NO_TIMESTAMP));
    onSlate = true;
    slatePeriods++;
    slateStart90k = end;
    // the input's last sample ended about when it arrived: the slate fills the silence, then keeps pace
    slateAnchor = lastInputAt;
    slateVideoFrames = 0;
    slateAudioFrames.clear();
    for (TrackFormat f : formats.values()) {
      if (f.type() == TrackType.AUDIO && f.codec() == Codec.AAC && SilentAacFrame.isSupported(f.sampleRate(),
          f.channels())) {
        slateAudioFrames.put(f.trackId(), 0L);
      }
    }
  }

  /** Emits the slate samples up to the wall clock, interleaved by timestamp. */
  private void emitSlateUntil(Instant now) throws MediaException {
    long until90k = slateStart90k + Timestamps.fromDuration(Duration.between(slateAnchor, now));
    TrackFormat video = videoFormat;
    Slate s = video != null && video.codec() == Codec.H264 ? slate : null;
    while (true) {
      long videoPts = s == null ? Long.MAX_VALUE : slateStart90k + slateVideoFrames * s.frameDuration90k();
      int audioTrack = -1;
      long audioPts = Long.MAX_VALUE;
      for (Map.Entry<Integer, Long> e : slateAudioFrames.entrySet()) {
        int sampleRate = formats.get(e.getKey()).sampleRate();
        long pts = slateStart90k + e.getValue() * 1024L * Timestamps.TICKS_PER_SECOND / sampleRate;
        if (pts < audioPts) {
          audioPts = pts;
          audioTrack = e.getKey();
        }
      }
      long next = Math.min(videoPts, audioPts);
      if (next == Long.MAX_VALUE || next >= until90k) {
        return;
      }
      if (videoPts <= audioPts) {
        int index = (int) (slateVideoFrames % s.gop().size());
        downstream.emit(new MediaSample(video.trackId(), videoPts, videoPts, index == 0, s.gop().get(index)));
        slateVideoFrames++;
      } else {
        TrackFormat a = formats.get(audioTrack);
        downstream.emit(new MediaSample(audioTrack, audioPts, audioPts, true, audioFrame(a)));
        slateAudioFrames.merge(audioTrack, 1L, Long::sum);
      }
      slateSamples++;
    }
  }

  private ByteSlice audioFrame(TrackFormat f) {
    return audioFrames.computeIfAbsent((long) f.sampleRate() << 8 | f.channels(),
        k -> SilentAacFrame.adts(f.sampleRate(), f.channels()));
  }

  /** The encoded slate GOP for one video format. */
  private record Slate(int width, int height, double frameRate, long frameDuration90k, List<ByteSlice> gop) {
    boolean matches(TrackFormat f) {
      return f.width() == width && f.height() == height && f.frameRate() == frameRate;
    }
  }

  /** Configures an {@link InputLossGuard}. Each setting once, validated at once; not thread-safe. */
  public static final class Builder {
    private final Emitter downstream;
    private final List<String> set = new ArrayList<>();
    private Duration silence = Duration.ofSeconds(2);
    private Duration checkInterval = Duration.ofMillis(100);
    private Duration keyframeInterval = Duration.ofSeconds(1);
    private InstantSource clock = InstantSource.system();
    private ScheduledExecutorService scheduler;

    private Builder(Emitter downstream) {
      this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /** Wall-clock time without input after which the slate starts (default 2 s). */
    public Builder silence(Duration value) {
      once("silence");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(100)) >= 0, "silence %s < 100 ms", value);
      silence = value;
      return this;
    }

    /** How often the watchdog runs and the slate is fed (default 100 ms). */
    public Builder checkInterval(Duration value) {
      once("checkInterval");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(10)) >= 0
          && value.compareTo(Duration.ofSeconds(5)) <= 0, "checkInterval %s out of 10 ms..5 s", value);
      checkInterval = value;
      return this;
    }

    /** The slate's GOP length: an IDR this often (default 1 s; use the segment duration or a divisor). */
    public Builder keyframeInterval(Duration value) {
      once("keyframeInterval");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(100)) >= 0
          && value.compareTo(Duration.ofSeconds(20)) <= 0, "keyframeInterval %s out of 0.1..20 s", value);
      keyframeInterval = value;
      return this;
    }

    /** The wall clock (default the system clock). */
    public Builder clock(InstantSource value) {
      once("clock");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Runs the watchdog (required). */
    public Builder scheduler(ScheduledExecutorService value) {
      once("scheduler");
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** Builds the guard; call {@link InputLossGuard#start()} to arm it. */
    public InputLossGuard build() {
      Preconditions.requireState(scheduler != null, "scheduler is required");
      return new InputLossGuard(this);
    }

    private void once(String name) {
      Preconditions.requireState(!set.contains(name), "%s was already set", name);
      set.add(name);
    }
  }
}
