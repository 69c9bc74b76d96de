package io.iptv.segmenter.es;

/**
 * The PES timestamps of one elementary stream, keyed by the stream byte offset at which each PES payload
 * began, waiting to be assigned to the access units (frames) that start at or after that offset.
 *
 * <p>The rule is the one of FFmpeg's parsers ({@code ff_fetch_timestamp}): a PES timestamp belongs to the
 * first unit that starts at or after the PES payload start; when several PES started since the previous
 * unit, the latest one wins; a unit that takes none has no timestamp of its own. Bounded (older entries
 * are overwritten). Not thread-safe.
 */
final class TimestampQueue {
  private static final int CAPACITY = 32;

  private final long[] offsets = new long[CAPACITY];
  private final long[] pts90k = new long[CAPACITY];
  private final long[] dts90k = new long[CAPACITY];
  private int head;
  private int size;
  private long takenPts90k;
  private long takenDts90k;

  /** Records that the PES whose payload starts at {@code streamOffset} carries these timestamps. */
  void add(long streamOffset, long pts, long dts) {
    if (size == CAPACITY) {
      head = (head + 1) % CAPACITY;
      size--;
    }
    int index = (head + size) % CAPACITY;
    offsets[index] = streamOffset;
    pts90k[index] = pts;
    dts90k[index] = dts;
    size++;
  }

  /**
   * Takes the timestamp for a unit starting at {@code unitStartOffset}: the latest entry at or before it,
   * dropping it and all earlier ones. Returns false if there is none.
   */
  boolean take(long unitStartOffset) {
    int found = -1;
    for (int i = 0; i < size; i++) {
      int index = (head + i) % CAPACITY;
      if (offsets[index] <= unitStartOffset) {
        found = i;
      } else {
        break;
      }
    }
    if (found < 0) {
      return false;
    }
    int index = (head + found) % CAPACITY;
    takenPts90k = pts90k[index];
    takenDts90k = dts90k[index];
    head = (head + found + 1) % CAPACITY;
    size -= found + 1;
    return true;
  }

  /** The PTS of the last successful {@link #take}. */
  long takenPts90k() {
    return takenPts90k;
  }

  /** The DTS of the last successful {@link #take}. */
  long takenDts90k() {
    return takenDts90k;
  }

  /** Forgets everything. */
  void clear() {
    head = 0;
    size = 0;
  }
}
