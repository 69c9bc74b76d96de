package io.iptv.core.media;

import io.iptv.core.io.ByteSlice;
import java.util.Objects;

/**
 * What flows between pipeline stages: the sealed set of events a demuxer produces and packagers consume
 * (after Shaka Packager's {@code StreamData}). Dispatch with {@code instanceof} patterns:
 *
 * <pre>{@code
 * void onEvent(StreamEvent event) {
 *   if (event instanceof MediaSample s) { ... }
 *   else if (event instanceof StreamEvent.TrackAdded t) { ... }
 *   else if (event instanceof StreamEvent.Discontinuity d) { ... }
 * }
 * }</pre>
 *
 * <p>Order guarantees of a demuxer: a track's {@link TrackAdded} comes before its first sample;
 * {@link TrackChanged} before the first sample in the new format; {@link EndOfStream} last. All events are
 * immutable and thread-safe.
 */
public sealed interface StreamEvent
    permits StreamEvent.TrackAdded, StreamEvent.TrackChanged, MediaSample, StreamEvent.Discontinuity,
        SpliceCue, StreamEvent.TimedMetadata, StreamEvent.EndOfStream {

  /** A new track, with everything known about it so far. */
  record TrackAdded(TrackFormat format) implements StreamEvent {
    /** Validates. */
    public TrackAdded {
      Objects.requireNonNull(format, "format");
    }
  }

  /** A known track changed format (new PMT, new SPS resolution, became scrambled). */
  record TrackChanged(TrackFormat format) implements StreamEvent {
    /** Validates. */
    public TrackChanged {
      Objects.requireNonNull(format, "format");
    }
  }

  /**
   * The timeline breaks: timestamps after this event do not continue those before it.
   *
   * @param reason why
   * @param lastTimestamp90k the last timestamp before the break (unwrapped), or NO_TIMESTAMP if unknown
   * @param nextTimestamp90k the first timestamp after it (unwrapped), or NO_TIMESTAMP if unknown
   */
  record Discontinuity(Reason reason, long lastTimestamp90k, long nextTimestamp90k) implements StreamEvent {
    /** Validates. */
    public Discontinuity {
      Objects.requireNonNull(reason, "reason");
    }

    /** Why the timeline broke. */
    public enum Reason {
      /** Signalled by the source (MPEG-TS {@code discontinuity_indicator}, ISO/IEC 13818-1 §2.4.3.5). */
      SIGNALLED,
      /** Detected: timestamps jumped without a signal (a splice, an encoder restart). */
      TIMESTAMP_JUMP
    }
  }

  /**
   * Timed metadata (ID3v2 tags in MPEG-TS, stream_type 0x15) at a presentation time.
   *
   * @param trackId the metadata track
   * @param pts90k presentation time, unwrapped
   * @param data the whole ID3 tag(s)
   */
  record TimedMetadata(int trackId, long pts90k, ByteSlice data) implements StreamEvent {
    /** Validates. */
    public TimedMetadata {
      Objects.requireNonNull(data, "data");
    }
  }

  /** The input ended; nothing follows. */
  record EndOfStream() implements StreamEvent {}
}
