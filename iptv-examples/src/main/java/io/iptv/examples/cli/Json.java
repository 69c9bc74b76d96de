package io.iptv.examples.cli;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal JSON writer for the command line's {@code --json} output: records become objects (component
 * names as keys), collections arrays, maps objects. No dependency, deterministic key order.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        out.append("null");
      } else {
        // Three decimals are plenty for seconds and frame rates, and keep goldens stable.
        out.append(String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "").replaceAll("\\.$", ""));
      }
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      out.append('{');
      for (int i = 0; i < components.length; i++) {
        newline(out, indent + 1);
        string(components[i].getName(), out);
        out.append(": ");
        try {
          java.lang.reflect.Method accessor = components[i].getAccessor();
          accessor.setAccessible(true);
          write(accessor.invoke(record), out, indent + 1);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        if (i < components.length - 1) {
          out.append(',');
        }
      }
      newline(out, indent);
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      out.append('[');
      int i = 0;
      for (Object item : items) {
        newline(out, indent + 1);
        write(item, out, indent + 1);
        if (++i < items.size()) {
          out.append(',');
        }
      }
      if (!items.isEmpty()) {
        newline(out, indent);
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        newline(out, indent + 1);
        string(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, indent + 1);
        if (++i < map.size()) {
          out.append(',');
        }
      }
      newline(out, indent);
      out.append('}');
    } else {
      string(value.toString(), out);
    }
  }

  private static void newline(StringBuilder out, int indent) {
    out.append('\n');
    out.append("  ".repeat(indent));
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
          if (c < 0x20) {
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
