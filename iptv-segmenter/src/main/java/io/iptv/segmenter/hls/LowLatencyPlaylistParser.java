package io.iptv.segmenter.hls;

import io.iptv.core.MediaException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses a Low-Latency HLS media playlist (full or delta) into a {@link LowLatencyPlaylist}: the base tags
 * through {@link HlsPlaylistParser}, then {@code EXT-X-PART}, {@code EXT-X-PART-INF},
 * {@code EXT-X-SERVER-CONTROL}, {@code EXT-X-PRELOAD-HINT}, {@code EXT-X-RENDITION-REPORT} and
 * {@code EXT-X-SKIP} (RFC 8216bis §4.4.3.7, §4.4.3.8, §4.4.4.9, §4.4.5.2–4). Used by tests and tools.
 *
 * <p>Stateless; thread-safe. Malformed input: {@link MediaException}.
 *
 * <pre>{@code
 * LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(text);
 * ll.parts().get(ll.nextMediaSequence());   // the parts of the segment in progress
 * }</pre>
 */
public final class LowLatencyPlaylistParser {
  private LowLatencyPlaylistParser() {}

  /** Parses {@code text}. */
  public static LowLatencyPlaylist parse(String text) throws MediaException {
    MediaPlaylist base = HlsPlaylistParser.builder().build().parseMedia(text.getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    Duration partTarget = null;
    LowLatencyPlaylist.ServerControl control = new LowLatencyPlaylist.ServerControl(false, null, null);
    Map<Long, List<PartialSegment>> parts = new TreeMap<>();
    List<LowLatencyPlaylist.RenditionReport> reports = new ArrayList<>();
    String hint = null;
    int skipped = 0;
    long segments = 0;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (!line.startsWith("#")) {
        segments++;
        continue;
      }
      int colon = line.indexOf(':');
      String tag = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      switch (tag) {
        case "#EXT-X-PART-INF" -> partTarget = duration(attributes(value), "PART-TARGET", true);
        case "#EXT-X-SERVER-CONTROL" -> {
          Map<String, String> a = attributes(value);
          control = new LowLatencyPlaylist.ServerControl("YES".equals(a.get("CAN-BLOCK-RELOAD")),
              duration(a, "PART-HOLD-BACK", false), duration(a, "CAN-SKIP-UNTIL", false));
        }
        case "#EXT-X-SKIP" -> skipped = (int) number(attributes(value), "SKIPPED-SEGMENTS");
        case "#EXT-X-PART" -> {
          Map<String, String> a = attributes(value);
          String range = a.get("BYTERANGE");
          PartialSegment part = new PartialSegment(duration(a, "DURATION", true), required(a, "URI"),
              "YES".equals(a.get("INDEPENDENT")), range == null ? null : byteRange(range));
          parts.computeIfAbsent(base.mediaSequence() + skipped + segments, k -> new ArrayList<>()).add(part);
        }
        case "#EXT-X-PRELOAD-HINT" -> {
          Map<String, String> a = attributes(value);
          if ("PART".equals(a.get("TYPE"))) {
            hint = required(a, "URI");
          }
        }
        case "#EXT-X-RENDITION-REPORT" -> {
          Map<String, String> a = attributes(value);
          reports.add(new LowLatencyPlaylist.RenditionReport(required(a, "URI"), number(a, "LAST-MSN"),
              a.containsKey("LAST-PART") ? (int) number(a, "LAST-PART") : -1));
        }
        default -> { } // base tags: parsed above
      }
    }
    if (partTarget == null) {
      throw MediaException.malformed("no EXT-X-PART-INF: not a low-latency playlist");
    }
    return new LowLatencyPlaylist(base, partTarget, parts, hint, control, reports, skipped);
  }

  /** An attribute list (RFC 8216 §4.2), see {@link AttributeLists}. */
  static Map<String, String> attributes(String list) throws MediaException {
    return AttributeLists.parse(list);
  }

  private static String required(Map<String, String> a, String name) throws MediaException {
    String v = a.get(name);
    if (v == null) {
      throw MediaException.malformed("missing " + name);
    }
    return v;
  }

  private static long number(Map<String, String> a, String name) throws MediaException {
    try {
      return Long.parseLong(required(a, name));
    } catch (NumberFormatException e) {
      throw MediaException.malformed("bad " + name + ": " + a.get(name));
    }
  }

  private static Duration duration(Map<String, String> a, String name, boolean needed) throws MediaException {
    String v = needed ? required(a, name) : a.get(name);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(v);
      if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
        throw MediaException.malformed(name + " out of range: " + v);
      }
      return Duration.ofNanos(seconds.movePointRight(9).longValue());
    } catch (NumberFormatException e) {
      throw MediaException.malformed("bad " + name + ": " + v);
    }
  }

  private static ByteRange byteRange(String v) throws MediaException {
    int at = v.indexOf('@');
    try {
      long length = Long.parseLong(at < 0 ? v : v.substring(0, at));
      long offset = at < 0 ? 0 : Long.parseLong(v.substring(at + 1));
      if (length < 0 || offset < 0) {
        throw MediaException.malformed("bad BYTERANGE " + v);
      }
      return new ByteRange(length, offset);
    } catch (NumberFormatException e) {
      throw MediaException.malformed("bad BYTERANGE " + v);
    }
  }

}
