package io.iptv.segmenter.fmp4;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Test-side text dump of an ISO BMFF byte array: one line per box (indented by depth, with size), container
 * boxes opened, the fragment boxes decoded field by field ({@code mfhd}, {@code tfhd}, {@code tfdt},
 * {@code trun} one line per sample, {@code mdhd}), {@code mdat} as size and CRC-32, other leaf boxes as hex.
 * Used for golden files; independent of the writer's code.
 */
final class BoxDump {
  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex",
      "moof", "traf", "edts");
  private static final HexFormat HEX = HexFormat.of();

  private BoxDump() {}

  static String dump(byte[] data) {
    StringBuilder out = new StringBuilder();
    dump(ByteBuffer.wrap(data), 0, data.length, 0, out);
    return out.toString();
  }

  private static void dump(ByteBuffer b, int from, int to, int depth, StringBuilder out) {
    int pos = from;
    while (pos + 8 <= to) {
      int size = b.getInt(pos);
      String type = fourcc(b, pos + 4);
      if (size < 8 || pos + size > to) {
        out.append("  ".repeat(depth)).append("!! bad box ").append(type).append(" size ").append(size).append('\n');
        return;
      }
      out.append("  ".repeat(depth)).append(type).append(" [").append(size).append(']');
      int payload = pos + 8;
      int end = pos + size;
      if (CONTAINERS.contains(type)) {
        out.append('\n');
        dump(b, payload, end, depth + 1, out);
      } else if (type.equals("stsd")) {
        out.append(" entries=").append(b.getInt(payload + 4)).append('\n');
        dump(b, payload + 8, end, depth + 1, out);
      } else if (type.equals("avc1") || type.equals("hvc1")) {
        out.append(" ").append(b.getShort(payload + 24) & 0xFFFF).append('x').append(b.getShort(payload + 26) & 0xFFFF)
            .append('\n');
        dump(b, payload + 78, end, depth + 1, out);
      } else if (type.equals("mp4a") || type.equals("ac-3") || type.equals("ec-3")) {
        out.append(" channels=").append(b.getShort(payload + 16)).append(" rate=")
            .append((b.getInt(payload + 24) >>> 16)).append('\n');
        dump(b, payload + 28, end, depth + 1, out);
      } else if (type.equals("mdat")) {
        CRC32 crc = new CRC32();
        crc.update(b.array(), payload, end - payload);
        out.append(" crc32=").append(Long.toHexString(crc.getValue())).append('\n');
      } else {
        decodeLeaf(b, type, payload, end, depth, out);
      }
      pos = end;
    }
  }

  private static void decodeLeaf(ByteBuffer b, String type, int p, int end, int depth, StringBuilder out) {
    int version = b.get(p) & 0xFF;
    int flags = b.getInt(p) & 0xFFFFFF;
    switch (type) {
      case "mfhd" -> out.append(" sequence=").append(b.getInt(p + 4) & 0xFFFFFFFFL).append('\n');
      case "tfhd" -> {
        out.append(" flags=").append(Integer.toHexString(flags)).append(" track=").append(b.getInt(p + 4));
        if ((flags & 0x20) != 0) {
          out.append(" default_flags=").append(Integer.toHexString(b.getInt(p + 8)));
        }
        out.append('\n');
      }
      case "tfdt" -> out.append(" v").append(version).append(" base=")
          .append(version == 1 ? b.getLong(p + 4) : b.getInt(p + 4) & 0xFFFFFFFFL).append('\n');
      case "mdhd" -> out.append(" timescale=").append(b.getInt(p + 12) & 0xFFFFFFFFL).append(" lang=")
          .append(language(b.getShort(p + 20))).append('\n');
      case "trun" -> {
        int count = b.getInt(p + 4);
        int q = p + 8;
        out.append(" v").append(version).append(" flags=").append(Integer.toHexString(flags)).append(" count=")
            .append(count);
        if ((flags & 1) != 0) {
          out.append(" data_offset=").append(b.getInt(q));
          q += 4;
        }
        out.append('\n');
        for (int i = 0; i < count; i++) {
          out.append("  ".repeat(depth + 1)).append('#').append(i);
          if ((flags & 0x100) != 0) {
            out.append(" dur=").append(b.getInt(q) & 0xFFFFFFFFL);
            q += 4;
          }
          if ((flags & 0x200) != 0) {
            out.append(" size=").append(b.getInt(q));
            q += 4;
          }
          if ((flags & 0x400) != 0) {
            out.append(" flags=").append(Integer.toHexString(b.getInt(q)));
            q += 4;
          }
          if ((flags & 0x800) != 0) {
            out.append(" cto=").append(b.getInt(q));
            q += 4;
          }
          out.append('\n');
        }
      }
      default -> {
        byte[] bytes = new byte[end - p];
        b.get(p, bytes);
        out.append(' ').append(HEX.formatHex(bytes)).append('\n');
      }
    }
  }

  private static String language(short packed) {
    return "" + (char) (((packed >> 10) & 0x1F) + 0x60) + (char) (((packed >> 5) & 0x1F) + 0x60)
        + (char) ((packed & 0x1F) + 0x60);
  }

  private static String fourcc(ByteBuffer b, int at) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      int c = b.get(at + i) & 0xFF;
      s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return s.toString();
  }
}
