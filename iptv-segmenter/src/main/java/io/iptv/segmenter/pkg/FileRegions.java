package io.iptv.segmenter.pkg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * File regions of the copy paths ({@link TsPacketCopier}, {@link Mp4SampleCopier}): builds their region lists (a
 * run of bytes that follows the last region extends it, so that the sink copies adjacent bytes in one call) and
 * reads regions into memory. Stateless.
 */
final class FileRegions {
  private FileRegions() {}

  /** Appends {@code length} bytes at {@code offset} to {@code regions}, merged with the last region when adjacent. */
  static void append(List<SegmentSink.FileRegion> regions, long offset, long length) {
    if (length <= 0) {
      return;
    }
    int last = regions.size() - 1;
    if (last >= 0) {
      SegmentSink.FileRegion r = regions.get(last);
      if (r.offset() + r.length() == offset) {
        regions.set(last, new SegmentSink.FileRegion(r.offset(), r.length() + length));
        return;
      }
    }
    regions.add(new SegmentSink.FileRegion(offset, length));
  }

  /**
   * Fills {@code into} from {@code offset} with positional reads (the channel's position is not used) and returns
   * the offset after the last byte read: short of {@code offset + into.remaining()} (and {@code into} not full) when
   * the file ends first.
   */
  static long readFully(FileChannel channel, long offset, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into, offset);
      if (n < 0) {
        break;
      }
      offset += n;
    }
    return offset;
  }
}
