package io.iptv.segmenter.pkg;

import io.iptv.core.time.Timestamps;

/**
 * An SCTE-35 ad break as an {@link HlsPackager} placed it: where the splice point was and which segments
 * start and end the break. When the source has no keyframe on the splice point the break starts at the next
 * keyframe; {@link #outOffset90k()} is how much later that is. Immutable.
 *
 * <pre>{@code
 * for (AdBreak b : packager.adBreaks()) {
 *   log("break " + b.eventId() + " at segment " + b.outSequence() + ", " + b.outOffset90k() + " ticks late");
 * }
 * }</pre>
 *
 * @param id the EXT-X-DATERANGE ID
 * @param eventId splice_event_id (or segmentation_event_id), -1 if none
 * @param splicePts90k the OUT splice point (unwrapped PTS)
 * @param outSegmentStart90k the start of the first segment of the break (a keyframe at or after the splice
 *     point), or NO_TIMESTAMP while not yet reached
 * @param outSequence the media sequence number of that segment, or -1
 * @param returnPts90k the return splice point (from break_duration or an IN cue), or NO_TIMESTAMP if unknown
 * @param inSequence the media sequence number of the first segment after the break, or -1
 */
public record AdBreak(String id, long eventId, long splicePts90k, long outSegmentStart90k, long outSequence,
    long returnPts90k, long inSequence) {

  /** How much later than the splice point the break's first segment starts (0 with a keyframe on it). */
  public long outOffset90k() {
    return outSegmentStart90k == Timestamps.NO_TIMESTAMP ? 0 : outSegmentStart90k - splicePts90k;
  }
}
