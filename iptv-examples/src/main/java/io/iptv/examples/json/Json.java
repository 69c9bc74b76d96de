package io.iptv.examples.json;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The examples' one JSON writer (RFC 8259), for the command line's {@code --json} output (pretty) and the demo's
 * {@code /status} (compact): records become objects (component names as keys), collections and other iterables
 * arrays, maps objects, non-finite doubles {@code null}. No dependency, deterministic key order. Strings escape
 * {@code < > &} too, so the output is also safe inside HTML.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * String text = Json.pretty(report);          // two-space indented
 * String body = Json.compact(Map.of("ok", true));  // {"ok":true}
 * }</pre>
 */
public final class Json {
  private Json() {}

  /** Two-space indented JSON. */
  public static String pretty(Object value) {
    StringBuilder out = new StringBuilder(512);
    write(value, out, 0);
    return out.toString();
  }

  /** JSON without any whitespace. */
  public static String compact(Object value) {
    StringBuilder out = new StringBuilder(512);
    write(value, out, -1);
    return out.toString();
  }

  /** {@code indent < 0}: compact. */
  private static void write(Object value, StringBuilder out, int indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // Three decimals are plenty for seconds, ratios and frame rates, and keep goldens stable.
      out.append(Double.isFinite(d)
          ? String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "").replaceAll("\\.$", "") : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      out.append('{');
      for (int i = 0; i < components.length; i++) {
        member(components[i].getName(), component(record, components[i]), i == 0, out, indent);
      }
      close('}', components.length == 0, out, indent);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        member(String.valueOf(e.getKey()), e.getValue(), first, out, indent);
        first = false;
      }
      close('}', map.isEmpty(), out, indent);
    } else if (value instanceof Iterable<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(out, indent + 1);
        write(item, out, deeper(indent));
      }
      close(']', first, out, indent);
    } else {
      string(value.toString(), out);
    }
  }

  private static void member(String name, Object value, boolean first, StringBuilder out, int indent) {
    if (!first) {
      out.append(',');
    }
    newline(out, indent + 1);
    string(name, out);
    out.append(indent < 0 ? ":" : ": ");
    write(value, out, deeper(indent));
  }

  private static Object component(Record record, RecordComponent component) {
    try {
      Method accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }

  private static void close(char bracket, boolean empty, StringBuilder out, int indent) {
    if (!empty) {
      newline(out, indent);
    }
    out.append(bracket);
  }

  private static int deeper(int indent) {
    return indent < 0 ? indent : indent + 1;
  }

  private static void newline(StringBuilder out, int indent) {
    if (indent >= 0) {
      out.append('\n').append("  ".repeat(indent));
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
