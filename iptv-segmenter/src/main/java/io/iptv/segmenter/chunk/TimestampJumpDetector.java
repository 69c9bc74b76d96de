package io.iptv.segmenter.chunk;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.time.Timestamps;

/**
 * Turns a jump in the lead track's decode timestamps into a {@link StreamEvent.Discontinuity} for inputs
 * that do not signal one themselves (samples fed directly rather than through
 * {@link io.iptv.segmenter.ts.TsDemuxer}, which detects jumps on its own): a source reset (DTS going back) or a
 * forward jump of more than {@link #FORWARD_JUMP_90K}. Only the lead track is watched, as only it decides
 * cuts; the event carries the last and next timestamps so that the {@link Chunker} routes the other tracks'
 * late old-timeline samples to the old period. A {@code Discontinuity} from the input resets the watch, so a
 * signalled jump is never doubled. Not thread-safe.
 *
 * <pre>{@code
 * StreamEvent.Discontinuity jump = detector.check(event, chunker.leadTrackId());
 * if (jump != null) { chunker.onEvent(jump); }
 * chunker.onEvent(event);
 * }</pre>
 */
public final class TimestampJumpDetector {
  /** A forward jump on the lead track that counts as a discontinuity: 10 s (as the TS demuxer's). */
  public static final long FORWARD_JUMP_90K = 10 * Timestamps.TICKS_PER_SECOND;

  private long lastDts90k = Timestamps.NO_TIMESTAMP;
  private int watchedTrackId = -1;
  private long detected;

  /**
   * Checks the next input event.
   *
   * @param leadTrackId the chunker's lead track, or -1 if not chosen yet
   * @return the discontinuity to insert before {@code event}, or null
   */
  public StreamEvent.Discontinuity check(StreamEvent event, int leadTrackId) {
    if (event instanceof StreamEvent.Discontinuity) {
      lastDts90k = Timestamps.NO_TIMESTAMP;
      return null;
    }
    if (!(event instanceof MediaSample s) || (leadTrackId >= 0 && s.trackId() != leadTrackId)) {
      return null;
    }
    if (s.trackId() != watchedTrackId) {
      // a lead chosen or changed (the Chunker promotes a video track announced after the first audio): its
      // own timeline starts here; comparing it with the previous lead's timestamps would invent a jump
      watchedTrackId = s.trackId();
      lastDts90k = s.dts90k();
      return null;
    }
    long last = lastDts90k;
    lastDts90k = s.dts90k();
    if (last == Timestamps.NO_TIMESTAMP || leadTrackId < 0) {
      return null;
    }
    if (s.dts90k() < last || s.dts90k() - last > FORWARD_JUMP_90K) {
      detected++;
      return new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.TIMESTAMP_JUMP, last, s.dts90k());
    }
    return null;
  }

  /** Jumps detected so far. */
  public long detected() {
    return detected;
  }
}
