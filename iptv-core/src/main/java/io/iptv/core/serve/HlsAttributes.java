package io.iptv.core.serve;

/**
 * Reads one attribute of an HLS tag line (RFC 8216 §4.2 attribute lists: {@code NAME=value} pairs separated by
 * commas, quoted strings may contain commas), for code that inspects playlists as they are served. Lenient:
 * a malformed list gives null, never an exception. Stateless; thread-safe.
 *
 * <pre>{@code
 * HlsAttributes.value("#EXT-X-KEY:METHOD=AES-128,URI=\"k,1.key\",IV=0x01", "URI");   // "k,1.key"
 * }</pre>
 */
public final class HlsAttributes {
  private HlsAttributes() {
  }

  /**
   * The value of attribute {@code name} in {@code tagLine} ({@code #EXT-X-…:list}), quotes removed; null if
   * absent or if the list is malformed before it. Names match exactly ({@code IV} does not match {@code XIV}).
   */
  public static String value(String tagLine, String name) {
    int colon = tagLine.indexOf(':');
    if (colon < 0) {
      return null;
    }
    int i = colon + 1;
    int n = tagLine.length();
    while (i < n) {
      int eq = tagLine.indexOf('=', i);
      if (eq < 0) {
        return null;
      }
      String attribute = tagLine.substring(i, eq).strip();
      String value;
      int end;
      if (eq + 1 < n && tagLine.charAt(eq + 1) == '"') {
        int close = tagLine.indexOf('"', eq + 2);
        if (close < 0) {
          return null;
        }
        value = tagLine.substring(eq + 2, close);
        end = close + 1;
      } else {
        int comma = tagLine.indexOf(',', eq + 1);
        end = comma < 0 ? n : comma;
        value = tagLine.substring(eq + 1, end).strip();
      }
      if (attribute.equals(name)) {
        return value;
      }
      if (end >= n) {
        return null;
      }
      i = tagLine.charAt(end) == ',' ? end + 1 : tagLine.indexOf(',', end) + 1;
      if (i == 0) {
        return null;
      }
    }
    return null;
  }
}
