package io.iptv.core.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader (RFC 8259) for token headers and claims: objects become {@link Map}s, arrays
 * {@link List}s, numbers {@link Long} (integers) or {@link Double}, plus {@link String}, {@link Boolean} and
 * {@code null}. Duplicate member names are rejected (RFC 7515 §5.2 lets a verifier do so, and it closes a
 * parser-differential hole). Depth is limited. Internal.
 */
final class TokenJson {
  private static final int MAX_DEPTH = 8;

  private final String text;
  private int pos;

  private TokenJson(String text) {
    this.text = text;
  }

  /** Parses one JSON object, or returns {@code null} if {@code text} is anything else or malformed. */
  static Map<String, Object> parseObject(String text) {
    try {
      TokenJson reader = new TokenJson(text);
      reader.skipSpace();
      Object value = reader.value(0);
      reader.skipSpace();
      if (reader.pos != text.length() || !(value instanceof Map)) {
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) value;
      return object;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("too deep");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (text.charAt(pos) == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (text.charAt(pos) != '"') {
        throw new IllegalArgumentException("member name expected");
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (map.containsKey(name)) {
        throw new IllegalArgumentException("duplicate member");
      }
      map.put(name, value(depth + 1));
      skipSpace();
      if (text.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return map;
    }
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (text.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipSpace();
      list.add(value(depth + 1));
      skipSpace();
      if (text.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(']');
      return list;
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw new IllegalArgumentException("bad escape");
      }
    }
  }

  private Object number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    if (n.isEmpty() || n.length() > 32) {
      throw new IllegalArgumentException("bad number");
    }
    if (n.matches("-?(0|[1-9][0-9]{0,17})")) {
      return Long.parseLong(n);
    }
    if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw new IllegalArgumentException("bad number");
    }
    return Double.parseDouble(n);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw new IllegalArgumentException("bad literal");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }
}
