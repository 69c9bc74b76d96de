package io.iptv.segmenter.pkg;

import java.util.List;

/**
 * Builds the region lists of the copy paths ({@link TsPacketCopier}, {@link Mp4SampleCopier}): a run of bytes that
 * follows the last region extends it, so that the sink copies adjacent bytes in one call. Stateless.
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
}
