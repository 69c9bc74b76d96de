package io.iptv.segmenter.ts;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.StreamEvent.Discontinuity;
import io.iptv.core.pipeline.Emitter;

/**
 * Puts each {@link Discontinuity} between the last sample of the old timeline and the first of the new one.
 * A jump is detected on a PCR or a PES header, but readers may still hold an access unit of the old timeline
 * (a video reader emits a picture when the next one starts), so the event waits here until the first sample
 * whose timestamp is nearer to the new timeline than to the old one. Sits between the track emitters and the
 * demuxer's output. Not thread-safe.
 */
final class DiscontinuityPlacer implements Emitter {
  private final Emitter out;
  private Discontinuity pending;

  DiscontinuityPlacer(Emitter out) {
    this.out = out;
  }

  /** Schedules a discontinuity; one still pending is emitted first. */
  void schedule(Discontinuity discontinuity) throws MediaException {
    flushPending();
    pending = discontinuity;
  }

  /** Emits the pending discontinuity, if any (end of stream). */
  void flushPending() throws MediaException {
    if (pending != null) {
      Discontinuity d = pending;
      pending = null;
      out.emit(d);
    }
  }

  @Override
  public void emit(StreamEvent event) throws MediaException {
    if (pending != null) {
      long time = NO_TIMESTAMP;
      if (event instanceof MediaSample sample) {
        time = sample.dts90k();
      } else if (event instanceof StreamEvent.TimedMetadata metadata) {
        time = metadata.pts90k();
      }
      if (time != NO_TIMESTAMP && belongsAfter(time)) {
        flushPending();
      }
    }
    out.emit(event);
  }

  private boolean belongsAfter(long time90k) {
    long last = pending.lastTimestamp90k();
    long next = pending.nextTimestamp90k();
    if (last == NO_TIMESTAMP || next == NO_TIMESTAMP) {
      return true;
    }
    return Math.abs(time90k - next) < Math.abs(time90k - last);
  }
}
