package io.iptv.segmenter.es;

import java.util.Arrays;

/**
 * A growable byte buffer with a hard capacity cap, for bytes a reader must keep across payload units
 * (a partial access unit or audio frame). Bytes before {@link #start()} are consumed and reclaimed lazily
 * when room is needed, so the common case (append, parse, consume) copies each byte once. Not thread-safe.
 */
final class ByteAccumulator {
  private final int maxBytes;
  private byte[] data;
  private int start;
  private int limit;

  ByteAccumulator(int initialBytes, int maxBytes) {
    this.data = new byte[initialBytes];
    this.maxBytes = maxBytes;
  }

  /** The backing array; valid until the next {@link #append}. */
  byte[] data() {
    return data;
  }

  /** Index of the first unconsumed byte. */
  int start() {
    return start;
  }

  /** Index after the last byte. */
  int limit() {
    return limit;
  }

  /** Unconsumed bytes. */
  int size() {
    return limit - start;
  }

  /**
   * Appends bytes, reclaiming consumed space first if needed.
   *
   * @return the amount by which indices of kept bytes moved down (subtract it from stored positions), or -1
   *     if the cap would be exceeded (nothing appended, nothing moved)
   */
  int append(byte[] source, int offset, int length) {
    int shift = 0;
    if (limit + length > data.length) {
      if (limit - start + length > maxBytes) {
        return -1;
      }
      shift = start;
      if (shift > 0) {
        System.arraycopy(data, start, data, 0, limit - start);
        limit -= start;
        start = 0;
      }
      if (limit + length > data.length) {
        int capacity = Math.max(data.length, 1024);
        while (capacity < limit + length) {
          capacity = Math.min(maxBytes, capacity * 2);
        }
        data = Arrays.copyOf(data, capacity);
      }
    }
    System.arraycopy(source, offset, data, limit, length);
    limit += length;
    return shift;
  }

  /** Marks bytes up to absolute index {@code newStart} as consumed. */
  void consumeTo(int newStart) {
    start = Math.max(start, Math.min(newStart, limit));
  }

  /** Drops everything. */
  void clear() {
    start = 0;
    limit = 0;
  }
}
