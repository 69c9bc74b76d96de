package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The init segments of one fMP4 rendition over time: each with the first media sequence number it serves, its
 * file name ({@link SegmentFormat#INIT_SEGMENT_NAME} for the first, {@code init-<sequence>.mp4} after a change
 * of parameter sets, see {@link RenditionWriter#switchInit}) and its sample entry's parameter sets. A segment
 * may be listed after the next one's init was switched (Low-Latency parts run ahead), so the few latest are
 * kept. Not thread-safe (the packager's thread).
 */
final class Fmp4Inits {
  /** Inits kept: a segment is listed at most a couple of segments after a switch. */
  private static final int KEPT = 4;

  private record Init(String name, List<ByteSlice> codecConfig) {}

  private final TreeMap<Long, Init> bySequence = new TreeMap<>();

  /** The first init, named {@code name}, serving every segment until a switch. */
  void first(String name, List<ByteSlice> codecConfig) {
    bySequence.clear();
    bySequence.put(Long.MIN_VALUE, new Init(name, List.copyOf(codecConfig)));
  }

  /** A new init serving segments from {@code sequence} on. */
  void add(long sequence, String name, List<ByteSlice> codecConfig) {
    bySequence.put(sequence, new Init(name, List.copyOf(codecConfig)));
    while (bySequence.size() > KEPT) {
      bySequence.pollFirstEntry();
    }
  }

  /** Whether an init was switched at exactly {@code sequence} already. */
  boolean startsAt(long sequence) {
    return bySequence.containsKey(sequence);
  }

  /** The init file name for segment {@code sequence}. */
  String name(long sequence) {
    Map.Entry<Long, Init> e = bySequence.floorEntry(sequence);
    return e == null ? SegmentFormat.INIT_SEGMENT_NAME : e.getValue().name();
  }

  /** The parameter sets of the init in force at segment {@code sequence} (empty before the first). */
  List<ByteSlice> codecConfig(long sequence) {
    Map.Entry<Long, Init> e = bySequence.floorEntry(sequence);
    return e == null ? List.of() : e.getValue().codecConfig();
  }
}
