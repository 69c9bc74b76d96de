package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PcrAnalyzerTest {
  @Test
  void steadyRateHasNoJitterAndAMovedPcrShowsItsOffset() {
    PcrAnalyzer steady = new PcrAnalyzer();
    PcrAnalyzer moved = new PcrAnalyzer();
    long ticksPerPacket = 27_000; // 1 ms per packet
    for (int i = 0; i < 100; i++) {
      long position = i * 188L * 40;
      long pcr = 1_000_000 + i * 40 * ticksPerPacket;
      steady.onPcr(pcr, position, false);
      moved.onPcr(i == 50 ? pcr + 2700 : pcr, position, false); // 100 µs late
    }
    assertEquals(100, steady.count);
    assertEquals(0, steady.maxJitterTicks);
    assertEquals(40 * ticksPerPacket, steady.maxIntervalTicks);
    assertEquals(2700, moved.maxJitterTicks);
    assertEquals(100_000, PcrAnalyzer.ticksToNanos(moved.maxJitterTicks));
  }

  @Test
  void wrapIsNotAGap() {
    PcrAnalyzer analyzer = new PcrAnalyzer();
    analyzer.onPcr(PcrAnalyzer.PCR_WRAP - 27_000, 0, false);
    analyzer.onPcr(27_000, 188 * 10, false);
    assertEquals(54_000, analyzer.maxIntervalTicks);
  }
}
