package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Media Playlist (RFC 8216 §4.3.3, §4.3.4): the segments of one rendition. Immutable; build with
 * {@link #builder()}, derive with {@link #toBuilder()}.
 *
 * <p><b>Target duration.</b> RFC 8216 §4.3.3.1: "The EXTINF duration of each Media Segment in the
 * Playlist file, when rounded to the nearest integer, MUST be less than or equal to the target duration".
 * {@link Builder#build()} enforces this and throws {@link IllegalArgumentException} naming the segment.
 * "Rounded" is taken as half-up on the value as written (with 3 and with 5 decimals, see
 * {@link #roundedSeconds(Duration)}), the stricter reading, so 6.5 s needs a target of 7. Without an
 * explicit {@link Builder#targetDuration(int)} the target is the smallest that fits: the largest rounded
 * EXTINF (at least 1).
 *
 * <p>Thread-safe (immutable).
 *
 * <pre>{@code
 * MediaPlaylist playlist = MediaPlaylist.builder()
 *     .mediaSequence(42)
 *     .playlistType(MediaPlaylist.PlaylistType.EVENT)
 *     .independentSegments(true)
 *     .addSegment(MediaSegment.builder(Duration.ofMillis(6000), "seg42.ts").build())
 *     .build();                                       // TARGETDURATION 6
 * }</pre>
 *
 * @param targetDuration {@code EXT-X-TARGETDURATION}, seconds
 * @param mediaSequence {@code EXT-X-MEDIA-SEQUENCE} (of the first segment)
 * @param discontinuitySequence {@code EXT-X-DISCONTINUITY-SEQUENCE}
 * @param playlistType {@code EXT-X-PLAYLIST-TYPE}, or null for none (live sliding window)
 * @param iFramesOnly {@code EXT-X-I-FRAMES-ONLY}
 * @param independentSegments {@code EXT-X-INDEPENDENT-SEGMENTS}
 * @param endList {@code EXT-X-ENDLIST}
 * @param segments the segments in order
 */
public record MediaPlaylist(int targetDuration, long mediaSequence, long discontinuitySequence,
    PlaylistType playlistType, boolean iFramesOnly, boolean independentSegments, boolean endList,
    List<MediaSegment> segments) implements HlsPlaylist {

  /** {@code EXT-X-PLAYLIST-TYPE} values (RFC 8216 §4.3.3.5). */
  public enum PlaylistType {
    /** The playlist cannot change. */
    VOD,
    /** Segments can only be appended. */
    EVENT
  }

  /** Validates and copies (the target-duration rule is checked by {@link Builder#build()}). */
  public MediaPlaylist {
    segments = List.copyOf(segments);
    Preconditions.requireArgument(targetDuration >= 0, "negative target duration %d", targetDuration);
    Preconditions.requireArgument(mediaSequence >= 0 && discontinuitySequence >= 0, "negative sequence number");
  }

  /** Starts a playlist. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this playlist (target duration included). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.targetDuration = targetDuration;
    b.mediaSequence = mediaSequence;
    b.discontinuitySequence = discontinuitySequence;
    b.playlistType = playlistType;
    b.iFramesOnly = iFramesOnly;
    b.independentSegments = independentSegments;
    b.endList = endList;
    b.segments.addAll(segments);
    return b;
  }

  /** Sum of the segment durations. */
  public Duration duration() {
    Duration total = Duration.ZERO;
    for (MediaSegment s : segments) {
      total = total.plus(s.duration());
    }
    return total;
  }

  /**
   * The EXTINF duration rounded to the nearest integer (half up) as a player sees it: the larger of the
   * values written with 3 and with 5 decimals, so that rounding for output never breaks the target.
   */
  public static long roundedSeconds(Duration duration) {
    BigDecimal seconds = new BigDecimal(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
    long three = seconds.setScale(3, RoundingMode.HALF_UP).setScale(0, RoundingMode.HALF_UP).longValueExact();
    long five = seconds.setScale(5, RoundingMode.HALF_UP).setScale(0, RoundingMode.HALF_UP).longValueExact();
    return Math.max(three, five);
  }

  /** Builds {@link MediaPlaylist}s. Not thread-safe. */
  public static final class Builder {
    private int targetDuration = -1;
    private long mediaSequence;
    private long discontinuitySequence;
    private PlaylistType playlistType;
    private boolean iFramesOnly;
    private boolean independentSegments;
    private boolean endList;
    private final List<MediaSegment> segments = new ArrayList<>();

    private Builder() {}

    /** {@code EXT-X-TARGETDURATION} in seconds; default: the smallest that fits the segments. */
    public Builder targetDuration(int seconds) {
      Preconditions.requireArgument(seconds >= 1, "targetDuration %d < 1", seconds);
      this.targetDuration = seconds;
      return this;
    }

    /** Uses the smallest target duration that fits the segments (the default). */
    public Builder automaticTargetDuration() {
      this.targetDuration = -1;
      return this;
    }

    /** {@code EXT-X-MEDIA-SEQUENCE}. */
    public Builder mediaSequence(long value) {
      Preconditions.requireArgument(value >= 0, "mediaSequence %d < 0", value);
      this.mediaSequence = value;
      return this;
    }

    /** {@code EXT-X-DISCONTINUITY-SEQUENCE}. */
    public Builder discontinuitySequence(long value) {
      Preconditions.requireArgument(value >= 0, "discontinuitySequence %d < 0", value);
      this.discontinuitySequence = value;
      return this;
    }

    /** {@code EXT-X-PLAYLIST-TYPE} (null: none). */
    public Builder playlistType(PlaylistType value) {
      this.playlistType = value;
      return this;
    }

    /** {@code EXT-X-I-FRAMES-ONLY}. */
    public Builder iFramesOnly(boolean value) {
      this.iFramesOnly = value;
      return this;
    }

    /** {@code EXT-X-INDEPENDENT-SEGMENTS}. */
    public Builder independentSegments(boolean value) {
      this.independentSegments = value;
      return this;
    }

    /** {@code EXT-X-ENDLIST}. */
    public Builder endList(boolean value) {
      this.endList = value;
      return this;
    }

    /** Appends a segment. */
    public Builder addSegment(MediaSegment segment) {
      segments.add(Objects.requireNonNull(segment, "segment"));
      return this;
    }

    /** Appends segments. */
    public Builder addSegments(List<MediaSegment> values) {
      values.forEach(this::addSegment);
      return this;
    }

    /** Removes all segments. */
    public Builder clearSegments() {
      segments.clear();
      return this;
    }

    /**
     * Builds the playlist.
     *
     * @throws IllegalArgumentException if a segment's rounded EXTINF exceeds the target duration
     *     (RFC 8216 §4.3.3.1)
     */
    public MediaPlaylist build() {
      return build(true);
    }

    /** Builds without the target-duration check: for the parser, which accepts non-conforming input. */
    MediaPlaylist buildUnchecked() {
      return build(false);
    }

    private MediaPlaylist build(boolean check) {
      long needed = 1;
      for (MediaSegment s : segments) {
        needed = Math.max(needed, roundedSeconds(s.duration()));
      }
      int target;
      if (targetDuration < 0) {
        Preconditions.requireArgument(needed <= Integer.MAX_VALUE, "segment too long");
        target = (int) needed;
      } else {
        target = targetDuration;
        if (check) {
          for (int i = 0; i < segments.size(); i++) {
            MediaSegment s = segments.get(i);
            long rounded = roundedSeconds(s.duration());
            if (rounded > target) {
              throw new IllegalArgumentException("segment " + (mediaSequence + i) + " (" + s.uri() + ") lasts "
                  + s.duration().toMillis() / 1000.0 + " s, rounded " + rounded
                  + " > EXT-X-TARGETDURATION " + target + " (RFC 8216 §4.3.3.1)");
            }
          }
        }
      }
      return new MediaPlaylist(target, mediaSequence, discontinuitySequence, playlistType, iFramesOnly,
          independentSegments, endList, segments);
    }
  }
}
