package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.StreamEvent.TrackAdded;
import io.iptv.core.media.StreamEvent.TrackChanged;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;

/**
 * The emitter one track's reader writes to. It keeps the demuxer's promise that every track gets exactly one
 * {@link TrackAdded} before anything else of it: a second {@code TrackAdded} (a reader replaced after a PMT
 * update) becomes a {@link TrackChanged}, a sample before any format announces a minimal one first, and
 * {@link StreamEvent.EndOfStream} from a reader is dropped (the demuxer emits it once). Lives as long as the
 * track's PID is in the PMT, across reader replacements. Not thread-safe.
 */
final class TrackEmitter implements Emitter {
  private final Emitter out;
  private TrackFormat announced;
  private TrackFormat fallback;

  TrackEmitter(Emitter out, TrackFormat fallback) {
    this.out = out;
    this.fallback = fallback;
  }

  @Override
  public void emit(StreamEvent event) throws MediaException {
    if (event instanceof TrackAdded added) {
      announce(added.format());
    } else if (event instanceof TrackChanged changed) {
      announce(changed.format());
    } else if (!(event instanceof StreamEvent.EndOfStream)) {
      if (announced == null) {
        announce(fallback);
      }
      out.emit(event);
    }
  }

  /** Emits {@code format} as TrackAdded the first time, TrackChanged afterwards. */
  void announce(TrackFormat format) throws MediaException {
    out.emit(announced == null ? new TrackAdded(format) : new TrackChanged(format));
    announced = format;
  }

  /** The format announced last, or null. */
  TrackFormat announced() {
    return announced;
  }

  /** Sets the format used if a sample comes before any format. */
  void fallback(TrackFormat format) {
    this.fallback = format;
  }
}
