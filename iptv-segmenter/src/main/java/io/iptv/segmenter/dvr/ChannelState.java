package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a live packager persists after every segment so that a restarted packager continues the channel:
 * numbering, discontinuity count, and per rendition the segments still retained (live window and DVR
 * window). Immutable.
 *
 * <pre>{@code
 * ChannelState state = store.load("news");       // null on the very first start
 * long next = state == null ? 0 : state.nextMediaSequence();
 * }</pre>
 *
 * @param nextMediaSequence the media sequence number the next segment gets
 * @param discontinuityCount discontinuity tags written so far in the whole stream (the next segment's
 *     {@link RetainedSegment#discontinuitySequence()})
 * @param lastSegmentEnd the wall-clock end of the newest segment (PROGRAM-DATE-TIME must not go back), or null
 * @param renditions per rendition directory its retained segments, oldest first
 * @param expiring per rendition directory the names of segments that left the windows but are still in their
 *     grace period: a restarted packager deletes them after a grace period of its own, so none is orphaned
 */
public record ChannelState(long nextMediaSequence, long discontinuityCount, Instant lastSegmentEnd,
    Map<String, List<RetainedSegment>> renditions, Map<String, List<String>> expiring) {

  /** Validates and copies. */
  public ChannelState {
    Preconditions.requireArgument(nextMediaSequence >= 0 && discontinuityCount >= 0, "negative counter");
    Objects.requireNonNull(renditions, "renditions");
    renditions = renditions.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
        Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    expiring = Objects.requireNonNull(expiring, "expiring").entrySet().stream().collect(
        java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
  }
}
