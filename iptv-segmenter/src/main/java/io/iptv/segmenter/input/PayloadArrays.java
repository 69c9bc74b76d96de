package io.iptv.segmenter.input;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Recycles the arrays that hold sample payloads between a demuxer and the packager that consumes them, so that
 * a file package does not allocate one fresh array per sample: 400 MB of payloads went through fresh young
 * generation memory (about 60,000 page faults and the collector copying the samples in flight), now a few
 * dozen megabytes of arrays go round.
 *
 * <p>The demuxer {@linkplain #take takes} an array (its length is the next power of two), fills it and
 * {@linkplain #lend lends} it out as the sample's payload; the consumer {@linkplain #recycle recycles} the
 * payload when nothing reads it any more. Only the very slice object that was lent is recognised (by identity);
 * anything else is left to the garbage collector, as are slices never recycled (at most {@value #MAX_LENT} are
 * remembered; beyond that all are forgotten). Free arrays are kept up to {@code maxRetainedBytes} in total.
 *
 * <p><b>Contract.</b> Recycle a payload only when no one reads it any more — not the payload of a sample that
 * someone keeps (a track's first sample for its sample entry, for example): its array is handed to a later
 * sample and overwritten.
 *
 * <p>Thread-safe: the demuxing thread takes and lends, the packaging thread recycles.
 *
 * <pre>{@code
 * PayloadArrays arrays = PayloadArrays.of(32 << 20);
 * byte[] a = arrays.take(size);               // demuxer: read the sample into a[0, size)
 * ByteSlice payload = arrays.lend(a, size);
 * ...
 * arrays.recycle(payload);                    // consumer: the bytes were copied into a segment
 * }</pre>
 */
public final class PayloadArrays implements io.iptv.segmenter.es.SampleRecycler {
  /** Lent slices remembered for {@link #recycle}. */
  static final int MAX_LENT = 1 << 16;
  /** Smallest array handed out: size class 2^8. */
  private static final int MIN_SHIFT = 8;
  /** Largest array kept: size class 2^26 (64 MiB); larger requests are allocated exactly and not kept. */
  private static final int MAX_SHIFT = 26;

  private final long maxRetainedBytes;
  /** Free arrays by size class: {@code free[k]} holds arrays of 2^k bytes. */
  private final ArrayDeque<byte[]>[] free;
  private final Map<ByteSlice, byte[]> lent = new IdentityHashMap<>();
  private long retainedBytes;
  private long allocations;

  @SuppressWarnings("unchecked")
  private PayloadArrays(long maxRetainedBytes) {
    this.maxRetainedBytes = maxRetainedBytes;
    this.free = new ArrayDeque[MAX_SHIFT + 1];
    for (int k = MIN_SHIFT; k <= MAX_SHIFT; k++) {
      free[k] = new ArrayDeque<>();
    }
  }

  /** A pool keeping at most {@code maxRetainedBytes} (≥ 0) of free arrays. */
  public static PayloadArrays of(long maxRetainedBytes) {
    if (maxRetainedBytes < 0) {
      Preconditions.requireArgument(false, "maxRetainedBytes %d is negative", maxRetainedBytes);
    }
    return new PayloadArrays(maxRetainedBytes);
  }

  /** An array of at least {@code minBytes} (≥ 0); its content is undefined. */
  public synchronized byte[] take(int minBytes) {
    int shift = sizeClass(minBytes);
    if (shift > MAX_SHIFT) {
      allocations++;
      return new byte[minBytes];
    }
    byte[] array = free[shift].pollFirst();
    if (array != null) {
      retainedBytes -= array.length;
      return array;
    }
    allocations++;
    return new byte[1 << shift];
  }

  /** Bytes {@code [0, length)} of {@code array} (from {@link #take}) as a slice that {@link #recycle} knows. */
  public synchronized ByteSlice lend(byte[] array, int length) {
    ByteSlice slice = ByteSlice.wrap(array, 0, length);
    if (lent.size() >= MAX_LENT) {
      lent.clear(); // slices nobody recycled (samples dropped on the way): forgotten, left to the collector
    }
    lent.put(slice, array);
    return slice;
  }

  /**
   * Returns the array behind {@code payload} to the pool if {@code payload} is one this pool lent (by identity)
   * and was not recycled yet; otherwise does nothing.
   *
   * @return whether the array was taken back
   */
  @Override
  public synchronized boolean recycle(ByteSlice payload) {
    byte[] array = lent.remove(payload);
    if (array == null) {
      return false;
    }
    int shift = Integer.numberOfTrailingZeros(array.length);
    if (array.length == 1 << shift && shift >= MIN_SHIFT && shift <= MAX_SHIFT
        && retainedBytes + array.length <= maxRetainedBytes) {
      free[shift].addFirst(array);
      retainedBytes += array.length;
    }
    return true;
  }

  /** Arrays allocated by {@link #take} so far (for tests and diagnostics). */
  public synchronized long allocations() {
    return allocations;
  }

  /** The size class of {@code bytes}: the smallest {@code k ≥ MIN_SHIFT} with {@code 2^k ≥ bytes}. */
  private static int sizeClass(int bytes) {
    if (bytes <= 1 << MIN_SHIFT) {
      return MIN_SHIFT;
    }
    return 32 - Integer.numberOfLeadingZeros(bytes - 1);
  }
}
