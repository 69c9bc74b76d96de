package io.iptv.segmenter.hls;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the CODECS attribute of {@code EXT-X-STREAM-INF} (RFC 8216 §4.3.4.2, RFC 6381): the codec strings
 * of every media type in the variant, including its renditions, comma-joined. Stateless and thread-safe.
 *
 * <p>Null and blank entries are skipped, duplicates dropped (first occurrence wins, order kept), and
 * {@code hev1.} is written as {@code hvc1.}, which Apple requires for HEVC in HLS (HLS Authoring
 * Specification 1.10; shaka#587).
 *
 * <pre>{@code
 * String codecs = CodecStrings.join("avc1.64001f", "mp4a.40.2");   // "avc1.64001f,mp4a.40.2"
 * }</pre>
 */
public final class CodecStrings {
  private CodecStrings() {}

  /** Joins codec strings for a CODECS attribute; returns null if none is given. */
  public static String join(String... codecStrings) {
    Set<String> unique = new LinkedHashSet<>();
    for (String c : codecStrings) {
      if (c == null) {
        continue;
      }
      for (String part : c.split(",")) {
        String trimmed = part.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.startsWith("hev1.")) {
          trimmed = "hvc1." + trimmed.substring(5);
        }
        if (trimmed.indexOf('"') >= 0) {
          throw new IllegalArgumentException("codec string with quote: " + trimmed);
        }
        unique.add(trimmed);
      }
    }
    return unique.isEmpty() ? null : String.join(",", unique);
  }
}
