package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;

/**
 * The header of one ISO BMFF box (ISO/IEC 14496-12 §4.2): where it starts, its type and its total size.
 *
 * @param type the four-character box type
 * @param start offset of the box's first byte (in the file, or in the buffer it was read from)
 * @param headerSize 8, or 16 with a 64-bit {@code largesize}
 * @param size total size in bytes including the header
 */
record BoxHeader(int type, long start, int headerSize, long size) {
  /** Offset of the first payload byte. */
  long payloadStart() {
    return start + headerSize;
  }

  /** Payload size in bytes. */
  long payloadSize() {
    return size - headerSize;
  }

  /** Offset just after the box. */
  long end() {
    return start + size;
  }

  /** Whether this is a box of the given four-character type. */
  boolean is(String fourcc) {
    return type == fourcc(fourcc);
  }

  /** The type as text. */
  String typeName() {
    return name(type);
  }

  /**
   * Parses a box header from {@code bytes} ({@code available} bytes readable at {@code start}, 8 or 16):
   * size (32), type (32), [largesize (64)]; a size of 0 means "to the end of the enclosing space", which
   * is {@code limit}.
   */
  static BoxHeader parse(byte[] bytes, int available, long start, long limit) throws MediaException {
    ByteCursor c = new ByteCursor(bytes, 0, available);
    long size = c.readUnsignedInt(); // size (32)
    int type = c.readInt(); // type (32)
    int headerSize = 8;
    if (size == 1) {
      size = c.readLong(); // largesize (64)
      headerSize = 16;
    } else if (size == 0) {
      size = limit - start;
    }
    if (size < headerSize) {
      throw MediaException.malformed("box '" + name(type) + "' at " + start + " has invalid size " + size);
    }
    return new BoxHeader(type, start, headerSize, size);
  }

  /** The 32-bit value of a four-character code. */
  static int fourcc(String code) {
    return (code.charAt(0) << 24) | (code.charAt(1) << 16) | (code.charAt(2) << 8) | code.charAt(3);
  }

  /** A four-character code as printable text. */
  static String name(int type) {
    StringBuilder s = new StringBuilder(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      int ch = (type >>> shift) & 0xFF;
      s.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '?');
    }
    return s.toString();
  }
}
