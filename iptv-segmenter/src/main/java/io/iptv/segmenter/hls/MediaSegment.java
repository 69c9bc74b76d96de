package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One Media Segment entry of a {@link MediaPlaylist} (RFC 8216 §4.3.2): duration and URI plus the tags that
 * apply to it. The key and map are those in force for this segment; the writer emits {@code EXT-X-KEY} /
 * {@code EXT-X-MAP} only where they change. Immutable; build with {@link #builder(Duration, String)}.
 *
 * <pre>{@code
 * MediaSegment s = MediaSegment.builder(Duration.ofMillis(6006), "seg42.ts")
 *     .discontinuity(true)
 *     .programDateTime(OffsetDateTime.parse("2024-05-01T12:00:00.000Z"))
 *     .build();
 * }</pre>
 *
 * @param duration EXTINF duration
 * @param title EXTINF title, or empty
 * @param uri the segment URI as written
 * @param discontinuity whether {@code EXT-X-DISCONTINUITY} precedes it
 * @param programDateTime {@code EXT-X-PROGRAM-DATE-TIME}, or null
 * @param byteRange {@code EXT-X-BYTERANGE}, or null
 * @param keys the keys in force, one {@code EXT-X-KEY} each (several key formats for the same segment, RFC 8216
 *     §4.3.2.4), empty when not encrypted
 * @param map the {@code EXT-X-MAP} in force, or null
 * @param dateRanges {@code EXT-X-DATERANGE} tags written before this segment (RFC 8216bis §4.4.5.1)
 * @param cueMarkers {@code EXT-X-CUE-OUT} / {@code -CUE-OUT-CONT} / {@code -CUE-IN} tags written before it
 */
public record MediaSegment(Duration duration, String title, String uri, boolean discontinuity,
    OffsetDateTime programDateTime, ByteRange byteRange, List<HlsKey> keys, MediaInitialization map,
    List<DateRange> dateRanges, List<CueMarker> cueMarkers) {

  /** A segment with at most one key and without date ranges or cue markers (the original form). */
  public MediaSegment(Duration duration, String title, String uri, boolean discontinuity,
      OffsetDateTime programDateTime, ByteRange byteRange, HlsKey key, MediaInitialization map) {
    this(duration, title, uri, discontinuity, programDateTime, byteRange, key == null ? List.of() : List.of(key),
        map, List.of(), List.of());
  }

  /** Validates and copies. */
  public MediaSegment {
    dateRanges = dateRanges == null ? List.of() : List.copyOf(dateRanges);
    cueMarkers = cueMarkers == null ? List.of() : List.copyOf(cueMarkers);
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(uri, "uri");
    Preconditions.requireArgument(!duration.isNegative(), "negative duration %s", duration);
    Preconditions.requireArgument(!uri.isEmpty() && uri.indexOf('\n') < 0 && uri.indexOf('\r') < 0,
        "invalid URI '%s'", uri);
    Preconditions.requireArgument(title.indexOf('\n') < 0 && title.indexOf('\r') < 0, "title with line break");
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /** The first key in force, or null (not encrypted). */
  public HlsKey key() {
    return keys.isEmpty() ? null : keys.get(0);
  }

  /** Starts a segment. */
  public static Builder builder(Duration duration, String uri) {
    return new Builder(duration, uri);
  }

  /** A builder pre-filled with this segment. */
  public Builder toBuilder() {
    return new Builder(duration, uri).title(title).discontinuity(discontinuity).programDateTime(programDateTime)
        .byteRange(byteRange).keys(keys).map(map).dateRanges(dateRanges).cueMarkers(cueMarkers);
  }

  /** Builds {@link MediaSegment}s. Not thread-safe. */
  public static final class Builder {
    private final Duration duration;
    private final String uri;
    private String title = "";
    private boolean discontinuity;
    private OffsetDateTime programDateTime;
    private ByteRange byteRange;
    private List<HlsKey> keys = List.of();
    private MediaInitialization map;
    private List<DateRange> dateRanges = List.of();
    private List<CueMarker> cueMarkers = List.of();

    private Builder(Duration duration, String uri) {
      this.duration = duration;
      this.uri = uri;
    }

    /** EXTINF title. */
    public Builder title(String value) {
      this.title = Objects.requireNonNull(value, "title");
      return this;
    }

    /** Precede with {@code EXT-X-DISCONTINUITY}. */
    public Builder discontinuity(boolean value) {
      this.discontinuity = value;
      return this;
    }

    /** {@code EXT-X-PROGRAM-DATE-TIME} (null for none). */
    public Builder programDateTime(OffsetDateTime value) {
      this.programDateTime = value;
      return this;
    }

    /** {@code EXT-X-BYTERANGE} (null for none). */
    public Builder byteRange(ByteRange value) {
      this.byteRange = value;
      return this;
    }

    /** The key in force (null: not encrypted); replaces any keys set before. */
    public Builder key(HlsKey value) {
      this.keys = value == null ? List.of() : List.of(value);
      return this;
    }

    /** The keys in force, one per key format (empty: not encrypted); replaces any keys set before. */
    public Builder keys(List<HlsKey> value) {
      this.keys = List.copyOf(value);
      return this;
    }

    /** The {@code EXT-X-MAP} in force (null for none). */
    public Builder map(MediaInitialization value) {
      this.map = value;
      return this;
    }

    /** {@code EXT-X-DATERANGE} tags written before the segment (default none). */
    public Builder dateRanges(List<DateRange> value) {
      this.dateRanges = List.copyOf(value);
      return this;
    }

    /** {@code EXT-X-CUE-*} tags written before the segment (default none). */
    public Builder cueMarkers(List<CueMarker> value) {
      this.cueMarkers = List.copyOf(value);
      return this;
    }

    /** Builds the segment. */
    public MediaSegment build() {
      return new MediaSegment(duration, title, uri, discontinuity, programDateTime, byteRange, keys, map,
          dateRanges, cueMarkers);
    }
  }
}
