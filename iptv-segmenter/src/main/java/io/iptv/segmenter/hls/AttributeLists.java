package io.iptv.segmenter.hls;

import io.iptv.core.MediaException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses an HLS attribute list (RFC 8216 §4.2): {@code AttributeName=AttributeValue} pairs separated by commas,
 * names of {@code [A-Z0-9-]}, quoted-string values that may contain commas. Strict, for the playlist parsers:
 * a name without value, an unterminated or trailing-garbage quoted string, an empty unquoted value or a repeated
 * name is {@link MediaException.Kind#MALFORMED}. (For reading one attribute of a tag leniently, as the serving
 * layer does, see iptv-core's {@code HlsAttributes}.) Stateless; thread-safe.
 *
 * <pre>{@code
 * Map<String, String> a = AttributeLists.parse("URI=\"seg,1.mp4\",BYTERANGE-START=0");  // quotes removed
 * }</pre>
 */
final class AttributeLists {
  private AttributeLists() {}

  /** The attributes of {@code list} in order, quoted values without their quotes. */
  static Map<String, String> parse(String list) throws MediaException {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      int eq = list.indexOf('=', i);
      if (eq < 0) {
        throw MediaException.malformed("attribute without '=' in: " + list);
      }
      String name = list.substring(i, eq).strip();
      if (!validName(name)) {
        throw MediaException.malformed("invalid attribute name '" + name + "'");
      }
      int p = eq + 1;
      String value;
      if (p < n && list.charAt(p) == '"') {
        int close = list.indexOf('"', p + 1);
        if (close < 0) {
          throw MediaException.malformed("unterminated quoted-string for " + name);
        }
        value = list.substring(p + 1, close);
        p = close + 1;
        while (p < n && list.charAt(p) == ' ') {
          p++;
        }
        if (p < n && list.charAt(p) != ',') {
          throw MediaException.malformed("garbage after quoted-string of " + name);
        }
      } else {
        int comma = list.indexOf(',', p);
        int end = comma < 0 ? n : comma;
        value = list.substring(p, end).strip();
        p = end;
        if (value.isEmpty()) {
          throw MediaException.malformed("empty value for " + name);
        }
      }
      if (out.put(name, value) != null) {
        throw MediaException.malformed("attribute " + name + " repeated");
      }
      i = p < n ? p + 1 : p;
    }
    return out;
  }

  /** AttributeName (§4.2): one or more of A-Z, 0-9, '-'. */
  private static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
