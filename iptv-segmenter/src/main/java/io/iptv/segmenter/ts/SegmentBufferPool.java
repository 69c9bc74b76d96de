package io.iptv.segmenter.ts;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Recycles the multi-megabyte arrays that hold finished segments, so that a packaging job allocates a few
 * segment buffers in all instead of one per segment (a 6 s 1080p TS segment is 6–7 MB: on G1 a humongous
 * object, allocated outside the young generation, zeroed, and a reason for the heap to grow and fault in
 * fresh pages).
 *
 * <p>A producer (a {@link TsMuxer} built with {@link TsMuxer.Builder#segmentBuffers}) {@linkplain #take takes}
 * an array (or a CMAF segment writer, {@code CmafSegmentWriter.Builder#segmentBuffers}), fills it and
 * {@linkplain #lend lends} it out as the segment's {@link ByteSlice}; whoever finishes
 * with that slice last (a segment writer, after the bytes are on disk) {@linkplain #recycle recycles} it. Only
 * the very slice object that was lent is recognised (by identity): a slice of it, a copy, or a transformed
 * segment is not, and its array is simply left to the garbage collector. The pool remembers at most
 * {@value #MAX_LENT} lent slices; one lent earlier is forgotten (never recycled), so a slice that is never
 * recycled costs nothing.
 *
 * <p><b>Contract.</b> Recycle a slice only when nothing reads it any more: its array is handed to the next
 * segment and overwritten.
 *
 * <p><b>Bounded memory.</b> Free arrays are kept up to {@code maxRetainedBytes} in total (the least recently
 * recycled are dropped first), plus one recycled array larger than that bound (a segment larger than the bound,
 * e.g. 9 MB segments with {@code -Xmx64m}): the next segment reuses it instead of allocating one more. On G1 such
 * an array is a humongous object that needs as many contiguous free regions, which a small heap full of sample
 * arrays did not always have although it had the bytes (an OutOfMemoryError with 23 of 64 MB free). With 0 the
 * pool keeps nothing and every {@link #take} allocates (as without a pool).
 *
 * <p>Thread-safe: producer and recycler may be different threads (the recycling thread's writes to the array
 * happen before the next {@link #take} returns it).
 *
 * <pre>{@code
 * SegmentBufferPool pool = SegmentBufferPool.of(16 << 20);
 * TsMuxer muxer = TsMuxer.builder().segmentBuffers(pool).build();
 * ...
 * TsSegment segment = muxer.finishSegment();
 * Files.write(path, segment.bytes().toByteArray());
 * pool.recycle(segment.bytes());   // the array now backs a later segment
 * }</pre>
 */
public final class SegmentBufferPool {
  /** Lent slices remembered for {@link #recycle}. */
  static final int MAX_LENT = 8;

  private final long maxRetainedBytes;
  /** Free arrays, most recently recycled first. */
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final ArrayDeque<Lent> lent = new ArrayDeque<>();
  /** A free array larger than {@link #maxRetainedBytes}, kept besides the others, or null. */
  private byte[] oversized;
  private long retainedBytes;
  private long allocations;

  private record Lent(ByteSlice slice, byte[] array) {}

  private SegmentBufferPool(long maxRetainedBytes) {
    this.maxRetainedBytes = maxRetainedBytes;
  }

  /** A pool keeping at most {@code maxRetainedBytes} (≥ 0) of free arrays. */
  public static SegmentBufferPool of(long maxRetainedBytes) {
    Preconditions.requireArgument(maxRetainedBytes >= 0, "maxRetainedBytes %d is negative", maxRetainedBytes);
    return new SegmentBufferPool(maxRetainedBytes);
  }

  /**
   * An array of at least {@code minBytes}: the smallest free one that is large enough (the most recently
   * recycled of equal ones), or a new one of {@code newBytes} (at least {@code minBytes}). Its content is
   * undefined.
   *
   * <p>Smallest, not first: when producers of different sizes share the pool (a CMAF video and audio
   * rendition), an audio segment taking the first large-enough array took a video segment's, and the next video
   * segment allocated anew: 270 MB of fresh arrays for a 419 MB MP4 → CMAF instead of a few.
   */
  public synchronized byte[] take(int minBytes, int newBytes) {
    byte[] best = null;
    for (byte[] candidate : free) {
      if (candidate.length >= minBytes && (best == null || candidate.length < best.length)) {
        best = candidate;
      }
    }
    if (oversized != null && oversized.length >= minBytes && (best == null || oversized.length < best.length)) {
      best = oversized;
      oversized = null;
      return best;
    }
    if (best != null) {
      free.removeFirstOccurrence(best);
      retainedBytes -= best.length;
      return best;
    }
    oversized = null; // too small for the segments now made: not pinned while a larger array is allocated
    allocations++;
    return new byte[Math.max(minBytes, newBytes)];
  }

  /** Gives back an array that was taken but not lent (e.g. replaced by a larger one). */
  public synchronized void giveBack(byte[] array) {
    keep(array, false);
  }

  /** Bytes {@code [0, length)} of {@code array} (taken from this pool) as a slice that {@link #recycle} knows. */
  public synchronized ByteSlice lend(byte[] array, int length) {
    ByteSlice slice = ByteSlice.wrap(array, 0, length);
    if (lent.size() == MAX_LENT) {
      lent.removeFirst(); // forgotten: its array is left to the garbage collector
    }
    lent.addLast(new Lent(slice, array));
    return slice;
  }

  /**
   * Returns the array behind {@code slice} to the pool if {@code slice} is one this pool lent (by identity) and
   * was not recycled yet; otherwise does nothing.
   *
   * @return whether the array was taken back
   */
  public synchronized boolean recycle(ByteSlice slice) {
    for (Iterator<Lent> it = lent.iterator(); it.hasNext(); ) {
      Lent l = it.next();
      if (l.slice == slice) {
        it.remove();
        keep(l.array, true);
        return true;
      }
    }
    return false;
  }

  /** Arrays allocated by {@link #take} so far (for tests and diagnostics). */
  public synchronized long allocations() {
    return allocations;
  }

  /**
   * Keeps {@code array} as the most recent free one, dropping the least recently recycled ones to stay in bound;
   * one larger than the bound becomes the {@link #oversized} one if {@code mayExceed} (recycled, not given back as
   * too small).
   */
  private void keep(byte[] array, boolean mayExceed) {
    if (array.length > maxRetainedBytes) {
      if (mayExceed && maxRetainedBytes > 0) {
        oversized = array;
      }
      return;
    }
    while (retainedBytes + array.length > maxRetainedBytes) {
      retainedBytes -= free.removeLast().length;
    }
    free.addFirst(array);
    retainedBytes += array.length;
  }
}
