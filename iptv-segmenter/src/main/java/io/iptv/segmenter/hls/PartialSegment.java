package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * One Partial Segment of a Low-Latency HLS media playlist: an {@code EXT-X-PART} tag (RFC 8216bis §4.4.4.9).
 * Immutable.
 *
 * <pre>{@code
 * new PartialSegment(Duration.ofMillis(480), "part-00042.0.m4s", true, null);
 * // #EXT-X-PART:DURATION=0.48000,URI="part-00042.0.m4s",INDEPENDENT=YES
 * }</pre>
 *
 * @param duration the part's duration (DURATION)
 * @param uri its URI, relative to the playlist
 * @param independent whether it starts with an independent frame (INDEPENDENT=YES)
 * @param byteRange a sub-range of the resource (BYTERANGE), or null for the whole resource
 */
public record PartialSegment(Duration duration, String uri, boolean independent, ByteRange byteRange) {
  /** Validates. */
  public PartialSegment {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(uri, "uri");
    Preconditions.requireArgument(!duration.isNegative(), "negative part duration %s", duration);
    Preconditions.requireArgument(!uri.isEmpty() && uri.indexOf('"') < 0 && uri.indexOf('\n') < 0,
        "invalid part URI %s", uri);
  }
}
