package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An {@code EXT-X-DATERANGE} tag (RFC 8216bis §4.4.5.1) with the SCTE-35 attributes of §4.4.5.1.4: a range of
 * wall-clock time, here an ad break or another SCTE-35 signal. The SCTE-35 attributes carry a whole
 * {@code splice_info_section} (ANSI/SCTE 35 §9.6), written as a hexadecimal-sequence ({@code 0xFC30...}).
 * Written before the segment it is attached to; a playlist with a date range must also have an
 * {@code EXT-X-PROGRAM-DATE-TIME} (§4.4.5.1). Immutable and thread-safe.
 *
 * <pre>{@code
 * DateRange out = DateRange.builder("splice-42", startDate)
 *     .plannedDuration(Duration.ofSeconds(30))
 *     .scte35Out(cue.section())
 *     .build();
 * }</pre>
 *
 * @param id ID: unique within the playlist; tags with the same ID describe the same range
 * @param startDate START-DATE
 * @param endDate END-DATE, or null
 * @param duration DURATION, or null
 * @param plannedDuration PLANNED-DURATION (the expected duration when the real one is not known yet), or null
 * @param scte35Cmd SCTE35-CMD: a splice_info_section that is neither an OUT nor an IN, or null
 * @param scte35Out SCTE35-OUT: the section that starts the range (out of network), or null
 * @param scte35In SCTE35-IN: the section that ends it (back to the network), or null
 */
public record DateRange(String id, OffsetDateTime startDate, OffsetDateTime endDate, Duration duration,
    Duration plannedDuration, ByteSlice scte35Cmd, ByteSlice scte35Out, ByteSlice scte35In) {

  /** Validates. */
  public DateRange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(startDate, "startDate");
    Preconditions.requireArgument(!id.isEmpty() && id.indexOf('"') < 0 && id.indexOf('\n') < 0
        && id.indexOf('\r') < 0, "invalid DATERANGE ID '%s'", id);
    Preconditions.requireArgument(duration == null || !duration.isNegative(), "negative DURATION");
    Preconditions.requireArgument(plannedDuration == null || !plannedDuration.isNegative(),
        "negative PLANNED-DURATION");
    Preconditions.requireArgument(endDate == null || !endDate.isBefore(startDate), "END-DATE before START-DATE");
  }

  /** Starts a date range. */
  public static Builder builder(String id, OffsetDateTime startDate) {
    return new Builder(id, startDate);
  }

  /** A hexadecimal-sequence (RFC 8216 §4.2): {@code 0x} and upper-case hex digits. */
  public static String hex(ByteSlice bytes) {
    return "0x" + HexFormat.of().withUpperCase().formatHex(bytes.toByteArray());
  }

  /** Parses a hexadecimal-sequence ({@code 0x} or {@code 0X} and an even number of hex digits). */
  public static ByteSlice parseHex(String value) {
    Preconditions.requireArgument(value.matches("0[xX]([0-9a-fA-F]{2})+"), "not a hexadecimal-sequence: %s",
        value);
    return ByteSlice.wrap(HexFormat.of().parseHex(value.substring(2)));
  }

  /** Builds {@link DateRange}s. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final OffsetDateTime startDate;
    private OffsetDateTime endDate;
    private Duration duration;
    private Duration plannedDuration;
    private ByteSlice scte35Cmd;
    private ByteSlice scte35Out;
    private ByteSlice scte35In;

    private Builder(String id, OffsetDateTime startDate) {
      this.id = id;
      this.startDate = startDate;
    }

    /** END-DATE. */
    public Builder endDate(OffsetDateTime value) {
      endDate = value;
      return this;
    }

    /** DURATION. */
    public Builder duration(Duration value) {
      duration = value;
      return this;
    }

    /** PLANNED-DURATION. */
    public Builder plannedDuration(Duration value) {
      plannedDuration = value;
      return this;
    }

    /** SCTE35-CMD. */
    public Builder scte35Cmd(ByteSlice value) {
      scte35Cmd = value;
      return this;
    }

    /** SCTE35-OUT. */
    public Builder scte35Out(ByteSlice value) {
      scte35Out = value;
      return this;
    }

    /** SCTE35-IN. */
    public Builder scte35In(ByteSlice value) {
      scte35In = value;
      return this;
    }

    /** Builds the date range. */
    public DateRange build() {
      return new DateRange(id, startDate, endDate, duration, plannedDuration, scte35Cmd, scte35Out, scte35In);
    }
  }
}
