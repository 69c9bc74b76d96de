package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Start-over and catch-up playlists, generated on request from the retained segments of a live rendition
 * ({@link DvrWindow}) for a wall-clock range {@code [start, end)} matched against
 * {@code EXT-X-PROGRAM-DATE-TIME}.
 *
 * <p>A segment is listed when it overlaps the range: {@code pdt < end} and {@code pdt + duration > start}
 * (by more than the millisecond precision of PROGRAM-DATE-TIME).
 * When the range is complete (its end is at or before the end of the newest segment) the playlist is
 * {@code EXT-X-PLAYLIST-TYPE:VOD} with {@code EXT-X-ENDLIST}; when {@code end} is absent or not yet
 * reached it is {@code EVENT} without ENDLIST, and grows on reload as the packager adds segments
 * (RFC 8216 §4.3.3.5). Errors: {@link CatchupRangeException.Reason#BAD_RANGE} for malformed parameters,
 * {@code end <= start} or a start in the future; {@link CatchupRangeException.Reason#NOT_AVAILABLE} for
 * an unknown rendition or a range that ended before the oldest retained segment.
 *
 * <p>Thread-safe: reads the windows' immutable snapshots.
 *
 * <pre>{@code
 * CatchupPlaylists catchup = packager.catchupPlaylists();
 * MediaPlaylist p = catchup.playlist("stream", Instant.parse("2024-05-01T12:00:00Z"),
 *     Instant.parse("2024-05-01T13:00:00Z"));
 * MediaPlaylist q = catchup.playlist("stream", "start=2024-05-01T12:00:00Z");   // from a query string
 * }</pre>
 */
public final class CatchupPlaylists {
  private static final Duration PRECISION = Duration.ofMillis(1);
  private final Function<String, DvrWindow> windows;
  private final int targetDuration;
  private final InstantSource clock;

  /**
   * Catch-up over the windows of a packager's renditions.
   *
   * @param windows the rendition directory's window, or null when unknown
   * @param targetDuration the renditions' fixed EXT-X-TARGETDURATION
   * @param clock the packager's wall clock (the same that stamps PROGRAM-DATE-TIME)
   */
  public CatchupPlaylists(Function<String, DvrWindow> windows, int targetDuration, InstantSource clock) {
    Preconditions.requireArgument(targetDuration >= 1, "targetDuration %d < 1", targetDuration);
    this.windows = Objects.requireNonNull(windows, "windows");
    this.targetDuration = targetDuration;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The rendition's EXT-X-TARGETDURATION. */
  public int targetDuration() {
    return targetDuration;
  }

  /**
   * The playlist for a raw (undecoded) query string with {@code start} (required) and {@code end}
   * (optional), ISO-8601 instants or offset date-times ({@code 2024-05-01T12:00:00Z}).
   */
  public MediaPlaylist playlist(String rendition, String rawQuery) throws CatchupRangeException {
    Instant start = null;
    Instant end = null;
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
        if (name.equals("start")) {
          start = parseInstant("start", value, start);
        } else if (name.equals("end")) {
          end = parseInstant("end", value, end);
        }
      }
    }
    if (start == null) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, "missing start parameter");
    }
    return playlist(rendition, start, end);
  }

  /**
   * The playlist of the rendition's segments overlapping {@code [start, end)}.
   *
   * @param end the end, or null for "until now and onwards" (start-over)
   */
  public MediaPlaylist playlist(String rendition, Instant start, Instant end) throws CatchupRangeException {
    Objects.requireNonNull(start, "start");
    if (end != null && !end.isAfter(start)) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, "end " + end
          + " is not after start " + start);
    }
    Instant now = clock.instant();
    if (start.isAfter(now.plusSeconds(targetDuration))) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, "start " + start
          + " is in the future");
    }
    DvrWindow window = windows.apply(rendition);
    if (window == null) {
      throw new CatchupRangeException(CatchupRangeException.Reason.NOT_AVAILABLE, "no rendition " + rendition);
    }
    List<RetainedSegment> all = window.segments();
    List<RetainedSegment> selected = new ArrayList<>();
    for (RetainedSegment s : all) {
      if (s.programDateTime() == null) {
        continue;
      }
      // PDTs are written in milliseconds: an overlap within that precision is none
      if ((end == null || s.start().isBefore(end)) && s.end().minus(PRECISION).isAfter(start)) {
        selected.add(s);
      }
    }
    RetainedSegment newest = lastWithTime(all);
    if (selected.isEmpty() && (newest == null || end != null && end.isBefore(newest.end())
        && !start.isAfter(newest.start()))) {
      throw new CatchupRangeException(CatchupRangeException.Reason.NOT_AVAILABLE,
          "no retained segment in [" + start + ", " + (end == null ? "" : end) + ")");
    }
    boolean complete = end != null && newest != null && !end.isAfter(newest.end());
    return playlistOf(selected, window.map(), targetDuration,
        complete ? MediaPlaylist.PlaylistType.VOD : MediaPlaylist.PlaylistType.EVENT, complete);
  }

  /** A playlist of consecutive retained segments, numbered by the first one. */
  static MediaPlaylist playlistOf(List<RetainedSegment> segments, MediaInitialization map, int targetDuration,
      MediaPlaylist.PlaylistType type, boolean endList) {
    MediaPlaylist.Builder b = MediaPlaylist.builder()
        .targetDuration(targetDuration)
        .playlistType(type)
        .independentSegments(true)
        .endList(endList);
    if (!segments.isEmpty()) {
      b.mediaSequence(segments.get(0).sequence())
          .discontinuitySequence(segments.get(0).discontinuitySequence());
    }
    for (RetainedSegment s : segments) {
      MediaSegment m = s.toMediaSegment();
      b.addSegment(map == null || m.map() != null ? m : m.toBuilder().map(map).build()); // its own init first
    }
    return b.build();
  }

  private static RetainedSegment lastWithTime(List<RetainedSegment> segments) {
    for (int i = segments.size() - 1; i >= 0; i--) {
      if (segments.get(i).programDateTime() != null) {
        return segments.get(i);
      }
    }
    return null;
  }

  private static Instant parseInstant(String name, String value, Instant previous) throws CatchupRangeException {
    if (previous != null) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, name + " given twice");
    }
    if (value.length() > 64) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, name + " too long");
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new CatchupRangeException(CatchupRangeException.Reason.BAD_RANGE, "bad " + name
          + " (expected ISO-8601 like 2024-05-01T12:00:00Z): " + value);
    }
  }

  /** Decodes {@code %XX} escapes; {@code +} stays a plus (date-time offsets). Bad escapes stay as they are. */
  private static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()
          && Character.digit(raw.charAt(i + 1), 16) >= 0 && Character.digit(raw.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
        i += 2;
      } else {
        out.write(c < 0x80 ? c : '?');
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** How long a catch-up answer may be cached: long when complete, half a target duration when growing. */
  public Duration maxAge(MediaPlaylist playlist) {
    return playlist.endList() ? Duration.ofHours(1) : Duration.ofMillis(targetDuration * 500L);
  }
}
