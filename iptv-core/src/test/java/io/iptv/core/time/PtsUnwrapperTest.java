package io.iptv.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PtsUnwrapperTest {
  private static final long WRAP = 1L << 33;

  @Test
  void firstValueDefinesPeriodZero() {
    PtsUnwrapper u = new PtsUnwrapper();
    assertEquals(WRAP - 1, u.unwrap(WRAP - 1));
    assertEquals(0, u.wrapCount());
  }

  @Test
  void forwardWrapContinuesMonotonically() {
    PtsUnwrapper u = new PtsUnwrapper();
    assertEquals(WRAP - 3600, u.unwrap(WRAP - 3600));
    assertEquals(WRAP + 3600, u.unwrap(3600));
    assertEquals(1, u.wrapCount());
    assertEquals(WRAP + 7200, u.unwrap(7200));
    assertEquals(1, u.wrapCount());
  }

  @Test
  void valueSlightlyBehindAfterWrapStaysInPreviousPeriod() {
    PtsUnwrapper u = new PtsUnwrapper();
    u.unwrap(WRAP - 1000);
    assertEquals(WRAP + 500, u.unwrap(500));
    // Audio lagging video by 0.1 s, still before the wrap in raw terms.
    assertEquals(WRAP - 8000, u.unwrap(WRAP - 8000));
    assertEquals(1, u.wrapCount(), "stepping back across the boundary is not a second wrap");
    assertEquals(WRAP + 900, u.unwrap(900));
    assertEquals(1, u.wrapCount());
  }

  @Test
  void multipleWrapsOverLongStreams() {
    PtsUnwrapper u = new PtsUnwrapper();
    long raw = 0;
    long expected = 0;
    long step = WRAP / 5;
    for (int i = 0; i < 20; i++) {
      assertEquals(expected, u.unwrap(raw));
      raw = (raw + step) % WRAP;
      expected += step;
    }
    assertEquals(3, u.wrapCount());
  }

  @Test
  void nearestDoesNotMoveTheReference() {
    PtsUnwrapper u = new PtsUnwrapper();
    u.unwrap(WRAP - 90_000);
    assertEquals(WRAP + 180_000, u.nearest(180_000));
    assertEquals(WRAP - 90_000, u.lastValue());
    assertEquals(0, u.wrapCount());
  }

  @Test
  void onlyLow33BitsAreUsedAndWrapRestoresThem() {
    PtsUnwrapper u = new PtsUnwrapper();
    assertEquals(5, u.unwrap(WRAP + 5));
    assertEquals(5, PtsUnwrapper.wrap(WRAP * 3 + 5));
  }
}
