package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iptv.segmenter.hls.BandwidthCalculator.SegmentSize;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandwidthCalculatorTest {
  private static SegmentSize s(long millis, long bytes) {
    return new SegmentSize(Duration.ofMillis(millis), bytes);
  }

  @Test
  void peakIsTheLargestRateOverWindowsOfHalfToOneAndAHalfTargets() {
    // TD 6: windows must last 3..9 s. Segment 2 alone (6 s, 1.5 MB) = 2 Mbit/s; 2+3 = 12 s is too long.
    List<SegmentSize> sizes = List.of(s(6000, 750_000), s(6000, 1_500_000), s(6000, 750_000));
    assertEquals(2_000_000, BandwidthCalculator.peakBitRate(sizes, 6));
    assertEquals(1_333_334, BandwidthCalculator.averageBitRate(sizes), "3 MB over 18 s, rounded up");
  }

  @Test
  void shortTailSegmentAloneDoesNotSetThePeak() {
    // Last segment: 1 s with 300 kB = 2.4 Mbit/s, but 1 s < 0.5 × 6 s; with its neighbour: 7 s, 1.05 MB.
    List<SegmentSize> sizes = List.of(s(6000, 750_000), s(6000, 750_000), s(1000, 300_000));
    assertEquals(1_200_000, BandwidthCalculator.peakBitRate(sizes, 6));
  }

  @Test
  void shortSegmentsAreCombinedIntoWindows() {
    // TD 2, windows 1..3 s: 1 s segments; the burst pair (2 s, 500 kB) = 2 Mbit/s; the single burst
    // segment (1 s, 300 kB) = 2.4 Mbit/s is a valid window of 0.5 × TD.
    List<SegmentSize> sizes = List.of(s(1000, 100_000), s(1000, 300_000), s(1000, 200_000), s(1000, 100_000));
    assertEquals(2_400_000, BandwidthCalculator.peakBitRate(sizes, 2));
  }

  @Test
  void playlistShorterThanHalfATargetUsesItsAverage() {
    assertEquals(800_000, BandwidthCalculator.peakBitRate(List.of(s(1000, 100_000)), 6));
    assertEquals(0, BandwidthCalculator.peakBitRate(List.of(), 6));
  }

  @Test
  void variantBandwidthAddsTheLargestRenditionOfItsGroup() {
    assertEquals(2_628_000, BandwidthCalculator.combinePeak(2_500_000, List.of(96_000L, 128_000L)));
  }
}
