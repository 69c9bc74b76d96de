package io.iptv.segmenter.es;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pool's ownership rule: a block is handed out again only once its reader sealed it and every slice is back. */
class SampleBufferPoolTest {
  @Test
  void blockComesBackOnlyAfterItsLastSliceIsReleased() {
    SampleBufferPool pool = SampleBufferPool.of(1 << 20);
    byte[] block = pool.take(100, 100);
    ByteSlice a = pool.lend(block, 0, 10);
    ByteSlice b = pool.lend(block, 10, 10);
    ByteSlice c = pool.lend(block, 20, 10);
    pool.seal(block);

    assertTrue(pool.release(a));
    assertTrue(pool.release(b));
    assertNotSame(block, pool.take(100, 100), "handed out while a slice was still out");

    assertTrue(pool.release(c));
    assertSame(block, pool.take(100, 100));
    assertEquals(1, pool.recycled());
  }

  @Test
  void blockComesBackOnlyAfterTheReaderSealedIt() {
    SampleBufferPool pool = SampleBufferPool.of(1 << 20);
    byte[] block = pool.take(100, 100);
    assertTrue(pool.release(pool.lend(block, 0, 10)));
    assertNotSame(block, pool.take(100, 100), "handed out while the reader still wrote into it");

    pool.seal(block);
    assertSame(block, pool.take(100, 100));
  }

  @Test
  void aBlockThatLentNothingComesBackWhenSealed() {
    SampleBufferPool pool = SampleBufferPool.of(1 << 20);
    byte[] block = pool.take(100, 100);
    pool.seal(block);
    assertSame(block, pool.take(50, 100));
    assertEquals(1, pool.allocations());
  }

  @Test
  void doubleReleasesAndUnknownSlicesChangeNothing() {
    SampleBufferPool pool = SampleBufferPool.of(1 << 20);
    byte[] block = pool.take(100, 100);
    ByteSlice a = pool.lend(block, 0, 10);
    ByteSlice b = pool.lend(block, 10, 10);
    pool.seal(block);

    assertTrue(pool.release(a));
    assertFalse(pool.release(a), "released twice");
    assertFalse(pool.release(b.slice(0, 5)), "a slice of a lent slice");
    assertFalse(pool.release(ByteSlice.wrap(block, 10, 10)), "an equal slice that was not lent");
    assertNotSame(block, pool.take(100, 100), "b is still out");

    assertTrue(pool.release(b));
    assertSame(block, pool.take(100, 100));
  }

  @Test
  void blocksBeyondTheTrackingBoundAreForgottenNeverRecycled() {
    SampleBufferPool pool = SampleBufferPool.of(300);
    List<byte[]> blocks = new ArrayList<>();
    List<ByteSlice> slices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] block = pool.take(100, 100);
      blocks.add(block);
      slices.add(pool.lend(block, 0, 10));
      pool.seal(block);
    }
    assertFalse(pool.isTracked(blocks.get(0)), "only 300 bytes of blocks are tracked");
    assertFalse(pool.isTracked(blocks.get(1)));
    assertTrue(pool.isTracked(blocks.get(4)));
    assertFalse(pool.release(slices.get(0)), "a forgotten block's slice is not recognised");
    assertTrue(pool.release(slices.get(4)));
    assertSame(blocks.get(4), pool.take(100, 100));
    byte[] next = pool.take(100, 100);
    for (byte[] forgotten : blocks.subList(0, 2)) {
      assertNotSame(forgotten, next, "a forgotten block is never handed out");
    }
  }

  @Test
  void aBlockForgottenWhileTheReaderWritesIsNotKeptWhenSealed() {
    SampleBufferPool pool = SampleBufferPool.of(200);
    byte[] first = pool.take(100, 100);
    ByteSlice out = pool.lend(first, 0, 10);
    for (int i = 0; i < 2; i++) { // two more tracked blocks push the unsealed first one out
      byte[] other = pool.take(100, 100);
      pool.lend(other, 0, 10);
      pool.seal(other);
    }
    assertFalse(pool.isTracked(first));
    pool.seal(first); // out is still read somewhere: first must not become free
    assertNotSame(first, pool.take(100, 100));
    assertFalse(pool.release(out));
  }

  @Test
  void freeBlocksStayWithinTheBound() {
    SampleBufferPool pool = SampleBufferPool.of(250);
    byte[] a = pool.take(100, 100);
    byte[] b = pool.take(100, 100);
    byte[] c = pool.take(100, 100);
    pool.seal(a);
    pool.seal(b);
    pool.seal(c); // 300 bytes free would exceed 250: the least recently recycled (a) is dropped
    byte[] x = pool.take(100, 100);
    byte[] y = pool.take(100, 100);
    assertSame(c, x);
    assertSame(b, y);
    assertNotSame(a, pool.take(100, 100));
  }

  @Test
  void accumulatorWithAPoolKeepsEverySliceIntactUntilReleased() throws Exception {
    // The reader thread writes units whose bytes encode their index; the consumer thread checks each unit only
    // after a delay (several later units written meanwhile) and then releases it. A block recycled early would
    // be overwritten by later units before the check.
    SampleBufferPool pool = SampleBufferPool.of(64 * 1024);
    BlockingQueue<ByteSlice> queue = new ArrayBlockingQueue<>(64);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int units = 20_000;
    Thread consumer = new Thread(() -> {
      try {
        List<ByteSlice> held = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < units; i++) {
          held.add(queue.take());
          while (held.size() > 40 || (!held.isEmpty() && random.nextInt(4) == 0) || (i == units - 1 && !held.isEmpty())) {
            ByteSlice s = held.remove(0);
            byte[] bytes = s.toByteArray();
            byte[] expected = unit(indexOf(bytes), bytes.length);
            if (!Arrays.equals(expected, bytes)) {
              throw new AssertionError("unit " + indexOf(bytes) + " overwritten before its release");
            }
            pool.release(s);
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "consumer");
    consumer.start();
    ByteAccumulator accumulator = new ByteAccumulator(256, 1 << 16, pool);
    Random random = new Random(11);
    for (int i = 0; i < units && failure.get() == null; i++) {
      byte[] bytes = unit(i, 8 + random.nextInt(120));
      int split = random.nextInt(bytes.length);
      accumulator.append(bytes, 0, split); // a unit arrives in two pieces, as over payload boundaries
      accumulator.append(bytes, split, bytes.length - split);
      int end = accumulator.limit();
      int start = end - bytes.length;
      queue.put(accumulator.handOver(start, end));
      accumulator.consumeTo(end);
      if (random.nextInt(500) == 0) {
        accumulator.clear();
      }
    }
    consumer.join(60_000);
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertTrue(pool.recycled() > 10, "blocks were recycled: " + pool.recycled());
    assertTrue(pool.allocations() < 50, "few blocks allocated: " + pool.allocations());
  }

  @Test
  void accumulatorWithAPoolMatchesOneWithout() {
    SampleBufferPool pool = SampleBufferPool.of(4096);
    ByteAccumulator pooled = new ByteAccumulator(64, 1 << 16, pool);
    ByteAccumulator plain = new ByteAccumulator(64, 1 << 16);
    Random random = new Random(5);
    for (int round = 0; round < 5_000; round++) {
      byte[] chunk = new byte[1 + random.nextInt(200)];
      random.nextBytes(chunk);
      // indices may differ (a recycled block can be larger than a fresh one would be), the bytes may not
      assertEquals(plain.append(chunk, 0, chunk.length) < 0, pooled.append(chunk, 0, chunk.length) < 0);
      assertArrayEquals(Arrays.copyOfRange(plain.data(), plain.start(), plain.limit()),
          Arrays.copyOfRange(pooled.data(), pooled.start(), pooled.limit()));
      if (plain.size() > 0 && random.nextInt(2) == 0) {
        int unit = 1 + random.nextInt(plain.size());
        ByteSlice a = plain.handOver(plain.start(), plain.start() + unit);
        ByteSlice b = pooled.handOver(pooled.start(), pooled.start() + unit);
        assertEquals(a, b);
        pool.release(b); // at once: the pooled accumulator must still never overwrite its own kept bytes
        plain.consumeTo(plain.start() + unit);
        pooled.consumeTo(pooled.start() + unit);
      }
      if (random.nextInt(100) == 0) {
        plain.clear();
        pooled.clear();
      }
    }
    assertTrue(pool.recycled() > 0);
  }

  /** A unit of {@code length} (≥ 4) bytes: its index, then bytes derived from it. */
  private static byte[] unit(int index, int length) {
    byte[] b = new byte[length];
    b[0] = (byte) (index >> 24);
    b[1] = (byte) (index >> 16);
    b[2] = (byte) (index >> 8);
    b[3] = (byte) index;
    for (int i = 4; i < length; i++) {
      b[i] = (byte) (index * 31 + i);
    }
    return b;
  }

  private static int indexOf(byte[] b) {
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }
}
