package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Navigation in a box tree held in memory ({@code moov}, {@code moof}): child lists with every size
 * checked against the parent (ISO/IEC 14496-12 §4.2). Offsets are indices into the buffer. Stateless.
 */
final class Boxes {
  private Boxes() {}

  /** The boxes in {@code data[from..to)}; a child that overruns its parent is malformed. */
  static List<BoxHeader> children(byte[] data, long from, long to) throws MediaException {
    List<BoxHeader> result = new ArrayList<>();
    long pos = from;
    byte[] head = new byte[16];
    while (to - pos >= 8) {
      int available = (int) Math.min(16, to - pos);
      System.arraycopy(data, (int) pos, head, 0, available);
      BoxHeader box = BoxHeader.parse(head, available, pos, to);
      if (box.size() > to - pos) {
        throw MediaException.malformed("box '" + box.typeName() + "' at " + pos + " (" + box.size()
            + " bytes) overruns its parent, which ends at " + to);
      }
      result.add(box);
      pos = box.end();
    }
    return result;
  }

  /** The children of {@code parent}, skipping {@code skip} payload bytes first (sample entries, full boxes). */
  static List<BoxHeader> children(byte[] data, BoxHeader parent, int skip) throws MediaException {
    if (skip > parent.payloadSize()) {
      throw MediaException.malformed("box '" + parent.typeName() + "' too small (" + parent.size() + " bytes)");
    }
    return children(data, parent.payloadStart() + skip, parent.end());
  }

  /** The first box of {@code type} in {@code boxes}, or null. */
  static BoxHeader find(List<BoxHeader> boxes, String type) {
    int code = BoxHeader.fourcc(type);
    for (BoxHeader box : boxes) {
      if (box.type() == code) {
        return box;
      }
    }
    return null;
  }

  /** The first box of {@code type} in {@code boxes}; missing is malformed. */
  static BoxHeader require(List<BoxHeader> boxes, String type, String parent) throws MediaException {
    BoxHeader box = find(boxes, type);
    if (box == null) {
      throw MediaException.malformed("'" + parent + "' has no '" + type + "' box");
    }
    return box;
  }

  /** A cursor over the payload of {@code box}. */
  static ByteCursor payload(byte[] data, BoxHeader box) {
    return new ByteCursor(data, (int) box.payloadStart(), (int) box.end());
  }

  /** Checks that {@code count} entries of {@code entryBytes} each fit in what is left of {@code c}. */
  static int checkEntries(ByteCursor c, long count, int entryBytes, String box) throws MediaException {
    if (count < 0 || count * entryBytes > c.bytesLeft()) {
      throw MediaException.malformed("'" + box + "' declares " + count + " entries of " + entryBytes
          + " bytes but holds only " + c.bytesLeft() + " bytes");
    }
    return (int) count;
  }
}
