package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.slate.InputLossGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test input: a committed clip's samples repeated as a live channel (each loop shifted by the clip's span so
 * timestamps keep growing), with a wall clock that follows the media time, so PROGRAM-DATE-TIME is
 * predictable. {@link #feedLoops} emits without pacing; tests needing real time pace themselves.
 */
final class LiveClipFeed {
  /** A settable clock. */
  static final class ManualClock implements InstantSource {
    private volatile Instant now;

    ManualClock(Instant start) {
      now = start;
    }

    void set(Instant value) {
      now = value;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final List<StreamEvent> tracks = new ArrayList<>();
  final List<MediaSample> samples = new ArrayList<>();
  final long loopSpan90k;
  final long firstDts90k;
  private boolean tracksSent;
  private long loops;

  LiveClipFeed(String clip) throws MediaException {
    List<StreamEvent> events = HlsOutput.demux(TestMedia.bytes(clip));
    long first = Long.MAX_VALUE;
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.TrackAdded) {
        tracks.add(e);
      } else if (e instanceof MediaSample s) {
        samples.add(s);
        first = Math.min(first, s.dts90k());
      }
    }
    this.firstDts90k = first;
    this.loopSpan90k = HlsOutput.span90k(events);
  }

  /** The sample of the next loop {@code loop}, shifted. */
  MediaSample shifted(MediaSample s, long loop, long offset90k) {
    long shift = loop * loopSpan90k + offset90k;
    return new MediaSample(s.trackId(), s.pts90k() + shift, s.dts90k() + shift, s.keyframe(), s.data());
  }

  /**
   * Emits {@code count} more loops; before each sample the clock is set to {@code epoch} plus the sample's
   * media time since the first loop.
   *
   * @param offset90k added to all timestamps (a source restarting elsewhere on its timeline)
   */
  void feedLoops(Emitter out, int count, ManualClock clock, Instant epoch, long offset90k) throws MediaException {
    if (!tracksSent) {
      for (StreamEvent t : tracks) {
        out.emit(t);
      }
      tracksSent = true;
    }
    for (int i = 0; i < count; i++, loops++) {
      for (MediaSample s : samples) {
        MediaSample m = shifted(s, loops, 0);
        clock.set(epoch.plus(Duration.ofNanos((m.dts90k() - firstDts90k) * 100_000L / 9)));
        out.emit(offset90k == 0 ? m : shifted(s, loops, offset90k));
      }
    }
  }

  /** Loops fed so far. */
  long loops() {
    return loops;
  }

  /**
   * A daemon thread (not started) that emits the clip in endless loops paced by the wall clock, {@code preroll90k}
   * ahead of it, and drops the media due between {@code gapStartMs} and {@code gapEndMs} (the source is down);
   * {@link Paced#close} stops it, {@link Paced#failure} is what the emitter threw.
   */
  Paced pacedWithGap(Emitter out, long preroll90k, long gapStartMs, long gapEndMs) {
    return new Paced(this, out, preroll90k, gapStartMs, gapEndMs);
  }

  /** What a player saw of a channel whose input went down for 10 s (see {@link #playAcrossATenSecondGap}). */
  record GapPlayback(PlayerCheck.Result result, Exception feedFailure, long slatePeriods) {
    /** The player's report, and the feeder's failure if any: a packaging failure shows as a stall. */
    String why() {
      return feedFailure == null ? result.json() : result.json() + "; the feed failed: " + feedFailure;
    }
  }

  /**
   * Real time: the committed {@code h264_aac.ts} fed 3 s ahead of the wall clock into an {@link InputLossGuard}
   * (slate after 1.5 s of silence, an IDR every second) in front of {@code packager}, which writes to {@code dir};
   * the source is down from 8 s to 18 s of media time. {@code player} plays {@code manifest} (relative to
   * {@code dir}, served as channel {@code ch}) for 22 s, a few segments after the start.
   */
  static GapPlayback playAcrossATenSecondGap(HlsPackager packager, Path dir, PlayerCheck.Player player,
      String manifest) throws Exception {
    PlayerCheck check = PlayerCheck.require();
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    InputLossGuard guard = InputLossGuard.builder(packager).silence(Duration.ofMillis(1500))
        .keyframeInterval(Duration.ofSeconds(1)).scheduler(scheduler).build();
    guard.start();
    Paced feeder = feed.pacedWithGap(guard, 3 * 90_000L, 8_000, 18_000);
    PlayerCheck.Result result;
    try (LocalOrigin origin = LocalOrigin.serve("ch", dir)) {
      feeder.start();
      Thread.sleep(3000); // a few segments published
      result = check.play(PlayerCheck.Run.builder(player, origin.url(manifest)).seconds(22).maxGapMs(2000)
          .stall(Duration.ofSeconds(7)).timeout(Duration.ofSeconds(90)).build());
    } finally {
      feeder.close();
      guard.close();
      scheduler.shutdownNow();
    }
    return new GapPlayback(result, feeder.failure(), guard.slatePeriods());
  }

  /** See {@link #pacedWithGap}. */
  static final class Paced implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    private Paced(LiveClipFeed feed, Emitter out, long preroll90k, long gapStartMs, long gapEndMs) {
      thread = new Thread(() -> {
        long startNanos = System.nanoTime();
        try {
          for (StreamEvent t : feed.tracks) {
            out.emit(t);
          }
          for (long loop = 0; !stop.get(); loop++) {
            for (MediaSample s : feed.samples) {
              MediaSample m = feed.shifted(s, loop, 0);
              long dueMs = (m.dts90k() - feed.firstDts90k - preroll90k) / 90;
              if (dueMs >= gapStartMs && dueMs < gapEndMs) {
                continue; // the source is down: its media of that time is lost
              }
              long waitMs = dueMs - (System.nanoTime() - startNanos) / 1_000_000;
              if (waitMs > 0) {
                Thread.sleep(waitMs);
              }
              if (stop.get()) {
                return;
              }
              out.emit(m);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          failure.set(e);
        }
      }, "live-feed");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    /** What emitting threw, or null. */
    Exception failure() {
      return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.interrupt();
      thread.join(5000);
    }
  }
}
