package io.iptv.segmenter.es;

import io.iptv.core.io.ByteSlice;

/**
 * A growable byte buffer with a hard capacity cap, for bytes a reader must keep across payload units
 * (a partial access unit or audio frame). Bytes before {@link #start()} are consumed and reclaimed lazily
 * when room is needed, so the common case (append, parse, consume) copies each byte once. Not thread-safe.
 *
 * <p><b>Hand-over.</b> {@link #handOver} returns a complete unit as a view of the backing array instead of a
 * copy. The array is then never written below the handed-over end again: when room is needed, the kept
 * bytes move to a fresh array (of the initial size, or just larger for a larger unit) and the old one belongs to
 * the slices. So a reader emitting access units copies each byte once (payload → accumulator) instead of
 * twice, and allocates one array per few units instead of one per unit.
 *
 * <p><b>Recycling.</b> With a {@link SampleBufferPool}, arrays come from the pool, handed-over slices are lent
 * through it, and an array the accumulator leaves is {@linkplain SampleBufferPool#seal sealed} (only after the
 * kept bytes were copied out of it): it is reused once every slice lent from it was released.
 */
final class ByteAccumulator {
  private final int initialBytes;
  private final int maxBytes;
  /** Where arrays come from and go back to, or null to allocate them. */
  private final SampleBufferPool pool;
  private byte[] data;
  private int start;
  private int limit;
  /** Bytes {@code [0, sharedEnd)} of {@link #data} are referenced by handed-over slices: never overwrite. */
  private int sharedEnd;

  ByteAccumulator(int initialBytes, int maxBytes) {
    this(initialBytes, maxBytes, null);
  }

  /** An accumulator whose arrays come from {@code pool} (null: allocated). */
  ByteAccumulator(int initialBytes, int maxBytes, SampleBufferPool pool) {
    this.initialBytes = initialBytes;
    this.maxBytes = maxBytes;
    this.pool = pool;
    this.data = allocate(initialBytes, initialBytes);
  }

  /**
   * The bytes {@code [from, to)} of the backing array as a slice that stays valid (and unchanged) for good;
   * the caller normally consumes them next ({@link #consumeTo}).
   */
  ByteSlice handOver(int from, int to) {
    sharedEnd = Math.max(sharedEnd, to);
    return pool != null ? pool.lend(data, from, to - from) : ByteSlice.wrap(data, from, to - from);
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
      if (sharedEnd > 0) {
        // The array belongs to handed-over slices up to sharedEnd: continue in a fresh one, sized for what
        // it must hold plus a quarter of the initial size (not doubled: a block just over a power of two would
        // waste half of itself, and on a small G1 heap become a humongous object).
        int kept = limit - start;
        int capacity = (int) Math.min(maxBytes, Math.max(initialBytes, (long) kept + length + initialBytes / 4));
        byte[] fresh = allocate(kept + length, capacity);
        System.arraycopy(data, start, fresh, 0, kept);
        System.arraycopy(source, offset, fresh, kept, length);
        shift = start;
        leave(data);
        data = fresh;
        start = 0;
        limit = kept + length;
        sharedEnd = 0;
        return shift;
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
        byte[] larger = allocate(capacity, capacity);
        System.arraycopy(data, 0, larger, 0, limit);
        leave(data); // never handed over (sharedEnd is 0)
        data = larger;
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
    if (sharedEnd > 0) {
      byte[] old = data;
      data = allocate(initialBytes, initialBytes); // the old array belongs to handed-over slices
      leave(old);
      sharedEnd = 0;
    }
    start = 0;
    limit = 0;
  }

  /** A new array of at least {@code minBytes} ({@code newBytes} if allocated); content undefined. */
  private byte[] allocate(int minBytes, int newBytes) {
    return pool != null ? pool.take(minBytes, newBytes) : new byte[Math.max(minBytes, newBytes)];
  }

  /** The accumulator no longer writes into {@code array} (nor reads it). */
  private void leave(byte[] array) {
    if (pool != null) {
      pool.seal(array);
    }
  }
}
