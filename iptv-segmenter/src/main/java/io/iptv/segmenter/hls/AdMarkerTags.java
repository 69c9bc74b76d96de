package io.iptv.segmenter.hls;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Text form of {@link DateRange} ({@code EXT-X-DATERANGE}, RFC 8216bis §4.4.5.1) and {@link CueMarker}
 * ({@code EXT-X-CUE-OUT}, {@code EXT-X-CUE-OUT-CONT}, {@code EXT-X-CUE-IN}) for {@link PlaylistWriter} and
 * {@link HlsPlaylistParser}. Durations are written in seconds with 3 decimals. Stateless.
 */
final class AdMarkerTags {
  private AdMarkerTags() {}

  /** Writes the cue markers and date ranges of {@code s}, each on its own line. */
  static void write(StringBuilder out, MediaSegment s, MediaPlaylist playlist) {
    for (CueMarker c : s.cueMarkers()) {
      switch (c.kind()) {
        case OUT -> {
          out.append("#EXT-X-CUE-OUT");
          if (c.duration() != null) {
            out.append(":DURATION=").append(seconds(c.duration()));
          }
        }
        case CONT -> {
          out.append("#EXT-X-CUE-OUT-CONT:ElapsedTime=").append(seconds(c.elapsed()));
          if (c.duration() != null) {
            out.append(",Duration=").append(seconds(c.duration()));
          }
        }
        case IN -> out.append("#EXT-X-CUE-IN");
      }
      out.append('\n');
    }
    if (!s.dateRanges().isEmpty() && !hasProgramDateTime(playlist)) {
      // RFC 8216bis §4.4.5.1: "If a Playlist contains an EXT-X-DATERANGE tag, it MUST also contain at least one
      // EXT-X-PROGRAM-DATE-TIME tag."
      throw new IllegalArgumentException("EXT-X-DATERANGE without any EXT-X-PROGRAM-DATE-TIME in the playlist");
    }
    for (DateRange d : s.dateRanges()) {
      out.append("#EXT-X-DATERANGE:ID=\"").append(d.id()).append('"');
      out.append(",START-DATE=\"").append(PlaylistWriter.formatDateTime(d.startDate())).append('"');
      if (d.endDate() != null) {
        out.append(",END-DATE=\"").append(PlaylistWriter.formatDateTime(d.endDate())).append('"');
      }
      if (d.duration() != null) {
        out.append(",DURATION=").append(seconds(d.duration()));
      }
      if (d.plannedDuration() != null) {
        out.append(",PLANNED-DURATION=").append(seconds(d.plannedDuration()));
      }
      if (d.scte35Cmd() != null) {
        out.append(",SCTE35-CMD=").append(DateRange.hex(d.scte35Cmd()));
      }
      if (d.scte35Out() != null) {
        out.append(",SCTE35-OUT=").append(DateRange.hex(d.scte35Out()));
      }
      if (d.scte35In() != null) {
        out.append(",SCTE35-IN=").append(DateRange.hex(d.scte35In()));
      }
      out.append('\n');
    }
  }

  private static boolean hasProgramDateTime(MediaPlaylist playlist) {
    for (MediaSegment s : playlist.segments()) {
      if (s.programDateTime() != null) {
        return true;
      }
    }
    return false;
  }

  /** An EXT-X-DATERANGE attribute list; unknown attributes (CLASS, X-...) are skipped. */
  static DateRange parseDateRange(Map<String, String> a) {
    String id = a.get("ID");
    String start = a.get("START-DATE");
    if (id == null || start == null) {
      throw new IllegalArgumentException("ID and START-DATE are required");
    }
    DateRange.Builder b = DateRange.builder(id, OffsetDateTime.parse(start));
    if (a.containsKey("END-DATE")) {
      b.endDate(OffsetDateTime.parse(a.get("END-DATE")));
    }
    if (a.containsKey("DURATION")) {
      b.duration(parseSeconds(a.get("DURATION")));
    }
    if (a.containsKey("PLANNED-DURATION")) {
      b.plannedDuration(parseSeconds(a.get("PLANNED-DURATION")));
    }
    if (a.containsKey("SCTE35-CMD")) {
      b.scte35Cmd(DateRange.parseHex(a.get("SCTE35-CMD")));
    }
    if (a.containsKey("SCTE35-OUT")) {
      b.scte35Out(DateRange.parseHex(a.get("SCTE35-OUT")));
    }
    if (a.containsKey("SCTE35-IN")) {
      b.scte35In(DateRange.parseHex(a.get("SCTE35-IN")));
    }
    return b.build();
  }

  /**
   * {@code EXT-X-CUE-OUT[:DURATION=d | :d]}, {@code EXT-X-CUE-OUT-CONT[:ElapsedTime=e,Duration=d | :e/d]},
   * {@code EXT-X-CUE-IN}; values that do not parse are left out (these tags have no normative syntax).
   */
  static CueMarker parseCue(String tag, String value) {
    switch (tag) {
      case "#EXT-X-CUE-IN":
        return CueMarker.in();
      case "#EXT-X-CUE-OUT": {
        String v = value.strip();
        if (v.regionMatches(true, 0, "DURATION=", 0, 9)) {
          v = v.substring(9);
        }
        return CueMarker.out(parseSecondsOrNull(v));
      }
      default: {
        Duration elapsed = null;
        Duration duration = null;
        String v = value.strip();
        if (v.indexOf('/') > 0 && v.indexOf('=') < 0) {
          elapsed = parseSecondsOrNull(v.substring(0, v.indexOf('/')));
          duration = parseSecondsOrNull(v.substring(v.indexOf('/') + 1));
        } else {
          for (String part : v.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
              String name = part.substring(0, eq).strip();
              if (name.equalsIgnoreCase("ElapsedTime")) {
                elapsed = parseSecondsOrNull(part.substring(eq + 1));
              } else if (name.equalsIgnoreCase("Duration")) {
                duration = parseSecondsOrNull(part.substring(eq + 1));
              }
            }
          }
        }
        return CueMarker.cont(elapsed != null ? elapsed : Duration.ZERO, duration);
      }
    }
  }

  static String seconds(Duration d) {
    BigDecimal s = new BigDecimal(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return s.setScale(3, RoundingMode.HALF_UP).toPlainString();
  }

  private static Duration parseSeconds(String v) {
    Duration d = parseSecondsOrNull(v);
    if (d == null) {
      throw new IllegalArgumentException("invalid duration '" + v + "'");
    }
    return d;
  }

  private static Duration parseSecondsOrNull(String v) {
    String t = v.strip();
    if (!t.matches("[0-9]{1,12}(\\.[0-9]{0,9})?")) {
      return null;
    }
    return Duration.ofNanos(new BigDecimal(t).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
  }
}
