package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.testing.TestMedia;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

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
}
