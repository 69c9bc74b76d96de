package io.iptv.core.pipeline;

import io.iptv.core.media.TrackType;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link SegmentTransform} knows about the segment it transforms. Immutable.
 *
 * <pre>{@code
 * SegmentContext context = new SegmentContext("stream", 42, Set.of(TrackType.VIDEO, TrackType.AUDIO));
 * }</pre>
 *
 * @param rendition the rendition's name (its directory below the channel, e.g. {@code stream})
 * @param sequence the media sequence number of the segment (RFC 8216 §4.3.3.2), the same in every rendition
 * @param trackTypes the types of the tracks muxed into the segment
 */
public record SegmentContext(String rendition, long sequence, Set<TrackType> trackTypes) {
  /** Validates and copies. */
  public SegmentContext {
    Objects.requireNonNull(rendition, "rendition");
    if (sequence < 0) {
      throw new IllegalArgumentException("negative sequence " + sequence);
    }
    trackTypes = Set.copyOf(trackTypes);
  }

  /** The main track type: VIDEO if the segment has video, else its only or first type (AUDIO, ...). */
  public TrackType mainTrackType() {
    if (trackTypes.contains(TrackType.VIDEO)) {
      return TrackType.VIDEO;
    }
    if (trackTypes.contains(TrackType.AUDIO)) {
      return TrackType.AUDIO;
    }
    return trackTypes.isEmpty() ? TrackType.UNKNOWN : trackTypes.iterator().next();
  }
}
