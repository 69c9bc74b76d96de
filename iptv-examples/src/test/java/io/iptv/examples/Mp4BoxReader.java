package io.iptv.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ISO BMFF box walker for tests (independent of the library's writers): boxes as (type, start, payload
 * start, end) over a byte array.
 */
record Mp4BoxReader(byte[] data, String type, int start, int payload, int end) {
  private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl", "moof", "traf",
      "sinf", "schi", "mvex");

  /** The top-level boxes of {@code data}. */
  static List<Mp4BoxReader> top(byte[] data) {
    return children(data, 0, data.length);
  }

  private static List<Mp4BoxReader> children(byte[] data, int from, int to) {
    List<Mp4BoxReader> out = new ArrayList<>();
    int pos = from;
    while (pos + 8 <= to) {
      int size = ByteBuffer.wrap(data, pos, 4).getInt();
      String type = new String(data, pos + 4, 4, StandardCharsets.US_ASCII);
      if (size < 8 || pos + size > to) {
        throw new IllegalStateException("bad box " + type + " size " + size + " at " + pos);
      }
      out.add(new Mp4BoxReader(data, type, pos, pos + 8, pos + size));
      pos += size;
    }
    return out;
  }

  /** The child boxes (sample entries: after the entry's fixed fields, {@code skip} bytes). */
  List<Mp4BoxReader> children(int skip) {
    return children(data, payload + skip, end);
  }

  List<Mp4BoxReader> children() {
    return children(0);
  }

  /** The first child of {@code type} (searching known containers), or null. */
  Mp4BoxReader child(String childType) {
    for (Mp4BoxReader b : children()) {
      if (b.type.equals(childType)) {
        return b;
      }
    }
    return null;
  }

  /** All children of {@code type}. */
  List<Mp4BoxReader> all(String childType) {
    return children().stream().filter(b -> b.type.equals(childType)).toList();
  }

  /** Depth-first search for the first box of {@code wanted} below {@code boxes}. */
  static Mp4BoxReader find(List<Mp4BoxReader> boxes, String wanted) {
    for (Mp4BoxReader b : boxes) {
      if (b.type.equals(wanted)) {
        return b;
      }
      if (CONTAINERS.contains(b.type)) {
        Mp4BoxReader found = find(b.children(), wanted);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  int u8(int offset) {
    return data[payload + offset] & 0xFF;
  }

  int u16(int offset) {
    return ((data[payload + offset] & 0xFF) << 8) | (data[payload + offset + 1] & 0xFF);
  }

  long u32(int offset) {
    return ByteBuffer.wrap(data, payload + offset, 4).getInt() & 0xFFFF_FFFFL;
  }

  byte[] bytes(int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(data, payload + offset, out, 0, length);
    return out;
  }

  String fourcc(int offset) {
    return new String(data, payload + offset, 4, StandardCharsets.US_ASCII);
  }

  int version() {
    return u8(0);
  }

  int flags() {
    return (u8(1) << 16) | (u8(2) << 8) | u8(3);
  }
}
