package io.iptv.core.serve;

import io.iptv.core.io.ByteSlice;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Off-heap copies of large, hot response bodies for one {@link NioEventLoop}, so that a segment answered many
 * times is written straight from native memory: a heap buffer given to a socket write is first copied into a
 * temporary direct buffer by the JDK, on every write, which for multi-megabyte segments costs as much as the
 * socket write itself.
 *
 * <p>Keyed by the identity of the {@link ByteSlice} (a cache hands out the same instance for every hit; a range
 * answer's slice is a new instance and is not cached), admitted on the second answer of the same instance so that
 * loaders that read a new copy per request cause no churn. Least recently used first out, bounded by bytes. The
 * slices held here keep their heap arrays alive, so the memory held is at most twice the budget.
 *
 * <p>Not thread-safe: confined to its event loop.
 */
final class DirectBodyCache {
  /** Bodies smaller than this are written from the heap: the copy is cheap, the entry overhead is not. */
  static final int MIN_BODY_BYTES = 64 * 1024;

  private final long budgetBytes;
  private long heldBytes;
  private final LinkedHashMap<Identity, ByteBuffer> buffers = new LinkedHashMap<>(64, 0.75f, true);
  private final LinkedHashMap<Identity, Boolean> seenOnce = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Identity, Boolean> eldest) {
      return size() > SEEN_ONCE_ENTRIES;
    }
  };
  private static final int SEEN_ONCE_ENTRIES = 256;

  DirectBodyCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** A read-only buffer over {@code body}, off-heap when it is large and fits the budget. */
  ByteBuffer bufferFor(ByteSlice body) {
    int length = body.length();
    if (length < MIN_BODY_BYTES || length > budgetBytes / 4) {
      return body.asReadOnlyByteBuffer();
    }
    Identity key = new Identity(body);
    ByteBuffer direct = buffers.get(key);
    if (direct == null) {
      if (seenOnce.put(key, Boolean.TRUE) == null) {
        return body.asReadOnlyByteBuffer(); // admitted on its second answer: bodies made per request never churn
      }
      seenOnce.remove(key);
      direct = ByteBuffer.allocateDirect(length);
      direct.put(body.asReadOnlyByteBuffer()).flip();
      buffers.put(key, direct);
      heldBytes += length;
      for (Iterator<Map.Entry<Identity, ByteBuffer>> it = buffers.entrySet().iterator();
          heldBytes > budgetBytes && it.hasNext(); ) {
        heldBytes -= it.next().getValue().capacity();
        it.remove(); // the direct memory is freed when the buffer is collected
      }
    }
    return direct.asReadOnlyBuffer();
  }

  /** A key comparing {@link ByteSlice}s by identity (their own equals compares content). */
  private static final class Identity {
    private final ByteSlice slice;

    Identity(ByteSlice slice) {
      this.slice = slice;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity && ((Identity) other).slice == slice;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(slice);
    }
  }
}
