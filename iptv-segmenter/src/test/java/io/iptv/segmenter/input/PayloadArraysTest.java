package io.iptv.segmenter.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import org.junit.jupiter.api.Test;

class PayloadArraysTest {
  @Test
  void recycledArrayServesTheNextSampleOfItsSizeClass() {
    PayloadArrays arrays = PayloadArrays.of(1 << 20);
    byte[] a = arrays.take(1000);
    assertEquals(1024, a.length, "rounded up to a power of two");
    ByteSlice payload = arrays.lend(a, 1000);
    assertEquals(1000, payload.length());
    assertTrue(arrays.recycle(payload));
    assertFalse(arrays.recycle(payload), "recycled once only");
    assertSame(a, arrays.take(600), "same size class");
    assertEquals(1, arrays.allocations());
    assertEquals(256, arrays.take(3).length, "smallest class");
  }

  @Test
  void onlyTheLentSliceItselfIsRecognised() {
    PayloadArrays arrays = PayloadArrays.of(1 << 20);
    ByteSlice payload = arrays.lend(arrays.take(500), 500);
    assertFalse(arrays.recycle(payload.slice(0, 500)), "a view of the payload");
    assertFalse(arrays.recycle(ByteSlice.wrap(new byte[500])), "never lent");
    assertTrue(arrays.recycle(payload));
  }

  @Test
  void keepsNoMoreThanItsBound() {
    PayloadArrays arrays = PayloadArrays.of(1024);
    ByteSlice first = arrays.lend(arrays.take(1024), 1024);
    ByteSlice second = arrays.lend(arrays.take(1024), 1024);
    assertTrue(arrays.recycle(first));
    assertTrue(arrays.recycle(second)); // known, but over the bound: left to the collector
    arrays.take(1024);
    long before = arrays.allocations();
    arrays.take(1024);
    assertEquals(before + 1, arrays.allocations(), "only one array was kept");
  }
}
