package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContinuityCounterTest {
  @Test
  void countsModulo16() {
    ContinuityCounter cc = new ContinuityCounter();
    for (int i = 0; i < 40; i++) {
      assertEquals(i % 16, cc.next());
    }
  }

  @Test
  void currentRepeatsTheLastPayloadValue() {
    ContinuityCounter cc = new ContinuityCounter();
    assertEquals(15, cc.current(), "before the first packet the next payload packet (0) follows on");
    cc.next();
    cc.next();
    assertEquals(1, cc.current());
    assertEquals(1, cc.current(), "current() does not advance");
    assertEquals(2, cc.next());
  }
}
