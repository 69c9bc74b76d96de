package io.iptv.segmenter.es;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;

/**
 * Recycles the arrays ("blocks") that back the payloads of video access units, so that a file packaging job
 * allocates a few megabytes of them in all instead of one block per few access units (about 1.3 GB of fresh
 * heap per GB of MPEG-TS: zeroed by the JVM, faulted in by the kernel page by page, and a reason for GC).
 *
 * <p>A video reader ({@link ElementaryStreamReaders#factory(SampleBufferPool)}) fills a block with several
 * access units and lends each one out as the {@link ByteSlice} of a {@link io.iptv.core.media.MediaSample}. The
 * consumer {@linkplain #release releases} each sample's slice once nothing reads it any more (the HLS packager
 * after the chunk holding it was muxed into segment bytes). Only the very slice object that was lent is
 * recognised (by identity); a slice of it, a copy, or a slice released twice is ignored.
 *
 * <p><b>Ownership rule.</b> A block goes back to the free list only when <em>both</em> the reader is done
 * writing into it (it moved on to another block) <em>and</em> every slice lent from it was released. Until then
 * it is never handed out again. A slice that is never released (a sample dropped on the way, a consumer that
 * does not release) only keeps its block from being recycled: the block is then left to the garbage collector.
 *
 * <p><b>Bounded memory.</b> Free blocks are kept up to {@code maxBytes} in total (the least recently recycled
 * dropped first). Blocks with slices out are tracked up to {@code maxBytes} too: past that the oldest is
 * forgotten (never recycled, left to the garbage collector), so a consumer that never releases costs nothing
 * but the recycling. With 0 the pool keeps nothing and every {@link #take} allocates (as without a pool).
 *
 * <p>Thread-safe: the reader (e.g. on a demuxing thread) and the releasing consumer (e.g. the muxing thread)
 * may be different threads; the consumer's reads of a slice happen before its {@link #release}, which happens
 * before the block is handed out again.
 *
 * <pre>{@code
 * SampleBufferPool pool = SampleBufferPool.of(32 << 20);
 * TsDemuxer demuxer = TsDemuxer.builder().readerFactory(ElementaryStreamReaders.factory(pool)).build(out);
 * ...                            // on the consumer's side, once a sample's bytes were copied into a segment:
 * pool.release(sample.data());   // its block can now carry later access units
 * }</pre>
 */
public final class SampleBufferPool implements SampleRecycler {
  private final long maxBytes;
  /** Free blocks, most recently recycled first. */
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private long freeBytes;
  /** Lent slices not yet released, each with its block. */
  private final IdentityHashMap<ByteSlice, Block> lent = new IdentityHashMap<>();
  /**
   * By array: the blocks that lent slices and are not recycled yet, and those forgotten while the reader still
   * writes into them (until it seals them).
   */
  private final IdentityHashMap<byte[], Block> blocks = new IdentityHashMap<>();
  /** The tracked (not forgotten) blocks, oldest first: forgotten first when over the bound. */
  private final ArrayDeque<Block> tracked = new ArrayDeque<>();
  private long trackedBytes;
  private long allocations;
  private long recycled;

  /** One block with slices out. */
  private static final class Block {
    final byte[] array;
    /** The slices lent from it (released ones included), to forget them with the block. */
    final List<ByteSlice> slices = new ArrayList<>(8);
    int outstanding;
    /** The reader no longer writes into it. */
    boolean sealed;
    /** Dropped from tracking while the reader still wrote into it: never recycled. */
    boolean forgotten;

    Block(byte[] array) {
      this.array = array;
    }
  }

  private SampleBufferPool(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A pool keeping at most {@code maxBytes} (≥ 0) of free blocks, and tracking as many bytes of lent ones. */
  public static SampleBufferPool of(long maxBytes) {
    Preconditions.requireArgument(maxBytes >= 0, "maxBytes %d is negative", maxBytes);
    return new SampleBufferPool(maxBytes);
  }

  /**
   * Gives back the block behind {@code slice} if {@code slice} is a slice this pool lent (by identity), not yet
   * released, and the block was not forgotten; the block is recycled when this was its last slice out and the
   * reader is done with it. Call it only when nothing reads {@code slice} any more: its bytes are then
   * overwritten by later access units.
   *
   * @return whether the slice was recognised
   */
  public synchronized boolean release(ByteSlice slice) {
    Block block = lent.remove(slice);
    if (block == null) {
      return false;
    }
    block.outstanding--;
    recycleIfDone(block);
    return true;
  }

  /** As {@link #release}, for a packager that recycles the samples of any pool. */
  @Override
  public boolean recycle(ByteSlice data) {
    return release(data);
  }

  /** Blocks allocated by {@link #take} so far (tests and diagnostics). */
  public synchronized long allocations() {
    return allocations;
  }

  /** Blocks that went back to the free list so far (tests and diagnostics). */
  public synchronized long recycled() {
    return recycled;
  }

  /**
   * A block of at least {@code minBytes} for the reader to write into: a free one that is large enough, or a new
   * one of {@code newBytes} (at least {@code minBytes}). Its content is undefined.
   */
  synchronized byte[] take(int minBytes, int newBytes) {
    for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
      byte[] candidate = it.next();
      if (candidate.length >= minBytes) {
        it.remove();
        freeBytes -= candidate.length;
        return candidate;
      }
    }
    allocations++;
    return new byte[Math.max(minBytes, newBytes)];
  }

  /**
   * Bytes {@code [offset, offset + length)} of {@code array} (a block the reader took and still writes into) as
   * a slice that {@link #release} recognises.
   */
  synchronized ByteSlice lend(byte[] array, int offset, int length) {
    ByteSlice slice = ByteSlice.wrap(array, offset, length);
    Block block = blocks.get(array);
    if (block == null) {
      block = new Block(array);
      blocks.put(array, block);
      if (array.length > maxBytes) {
        block.forgotten = true; // cannot be tracked: left to the garbage collector once sealed
      } else {
        tracked.addLast(block);
        trackedBytes += array.length;
        while (trackedBytes > maxBytes) {
          forget(tracked.peekFirst()); // older blocks first: this one fits on its own
        }
      }
    }
    if (block.forgotten) {
      return slice;
    }
    block.slices.add(slice);
    block.outstanding++;
    lent.put(slice, block);
    return slice;
  }

  /**
   * The reader will not write into {@code array} (a block it took) any more: it goes back to the free list now
   * if it lent nothing or all its slices were released, otherwise when the last one is.
   */
  synchronized void seal(byte[] array) {
    Block block = blocks.get(array);
    if (block == null) {
      keep(array); // never lent
    } else if (block.forgotten) {
      blocks.remove(array); // its slices may still be read: left to the garbage collector
    } else {
      block.sealed = true;
      recycleIfDone(block);
    }
  }

  /** Whether {@code array} is tracked as a block with lent slices that may be recycled (tests). */
  synchronized boolean isTracked(byte[] array) {
    Block block = blocks.get(array);
    return block != null && !block.forgotten;
  }

  private void recycleIfDone(Block block) {
    if (block.sealed && block.outstanding == 0) {
      blocks.remove(block.array);
      untrack(block);
      recycled++;
      keep(block.array);
    }
  }

  /**
   * Stops tracking {@code block}: its slices are no longer recognised and it is never recycled. A block the
   * reader still writes into stays known as forgotten until it is sealed.
   */
  private void forget(Block block) {
    untrack(block);
    for (ByteSlice s : block.slices) {
      lent.remove(s);
    }
    block.slices.clear();
    if (block.sealed) {
      blocks.remove(block.array);
    } else {
      block.forgotten = true;
    }
  }

  private void untrack(Block block) {
    tracked.remove(block);
    trackedBytes -= block.array.length;
  }

  /** Keeps {@code array} as the most recent free block, dropping the least recently recycled ones to stay in bound. */
  private void keep(byte[] array) {
    if (array.length > maxBytes) {
      return;
    }
    while (freeBytes + array.length > maxBytes) {
      freeBytes -= free.removeLast().length;
    }
    free.addFirst(array);
    freeBytes += array.length;
  }
}
