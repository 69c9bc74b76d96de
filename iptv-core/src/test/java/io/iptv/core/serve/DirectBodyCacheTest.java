package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectBodyCacheTest {
  private static ByteSlice body(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return ByteSlice.wrap(bytes);
  }

  private static ByteSlice contentOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return ByteSlice.wrap(bytes);
  }

  @Test
  void largeBodyGoesOffHeapOnItsSecondAnswerWithTheSameBytes() {
    DirectBodyCache cache = new DirectBodyCache(10 << 20);
    ByteSlice segment = body(1 << 20, 1);
    assertFalse(cache.bufferFor(segment).isDirect(), "first answer: from the heap");
    ByteBuffer second = cache.bufferFor(segment);
    assertTrue(second.isDirect());
    assertEquals(segment, contentOf(second));
    assertTrue(cache.bufferFor(segment).isDirect());
    second.position(100);
    assertEquals(0, cache.bufferFor(segment).position(), "each answer gets its own position");
  }

  @Test
  void smallBodiesEqualCopiesAndOversizedBodiesStayOnHeap() {
    DirectBodyCache cache = new DirectBodyCache(4 << 20);
    ByteSlice small = body(1000, 2);
    cache.bufferFor(small);
    assertFalse(cache.bufferFor(small).isDirect());
    ByteSlice big = body(2 << 20, 3); // more than a quarter of the budget
    cache.bufferFor(big);
    assertFalse(cache.bufferFor(big).isDirect());
    ByteSlice a = body(100_000, 4);
    ByteSlice equalCopy = ByteSlice.copyOf(a.toByteArray());
    cache.bufferFor(a);
    assertFalse(cache.bufferFor(equalCopy).isDirect(), "identity, not content");
  }

  @Test
  void evictsLeastRecentlyUsedBeyondTheBudget() {
    DirectBodyCache cache = new DirectBodyCache(1 << 20);
    ByteSlice[] bodies = new ByteSlice[5];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = body(256 * 1024, 10 + i);
      cache.bufferFor(bodies[i]);
      assertTrue(cache.bufferFor(bodies[i]).isDirect());
    }
    // 5 x 256 KiB > 1 MiB: the first was dropped and must be admitted again.
    assertFalse(cache.bufferFor(bodies[0]).isDirect());
    assertTrue(cache.bufferFor(bodies[4]).isDirect());
  }
}
