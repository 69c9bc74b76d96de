package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.segmenter.hls.BandwidthCalculator.SegmentSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BandwidthTrackerTest {

  @Test
  void equalsTheFullListCalculationAfterEverySegment() {
    Random random = new Random(42);
    for (int run = 0; run < 50; run++) {
      int target = 1 + random.nextInt(8);
      BandwidthTracker tracker = new BandwidthTracker(target);
      List<SegmentSize> all = new ArrayList<>();
      int n = 1 + random.nextInt(80);
      for (int i = 0; i < n; i++) {
        // Durations from 40 ms to 2 x target (short tails, long GOPs), sizes with bursts.
        long millis = 40 + random.nextInt(target * 2000);
        long bytes = random.nextInt(10) == 0 ? random.nextInt(5_000_000) : random.nextInt(500_000);
        SegmentSize s = new SegmentSize(Duration.ofMillis(millis), bytes);
        tracker.add(s);
        all.add(s);
        BandwidthCalculator.BitRates expected = BandwidthCalculator.BitRates.of(all, target);
        assertEquals(expected, tracker.bitRates(), "run " + run + " after segment " + i + " of " + all);
      }
      assertEquals(n, tracker.segmentCount());
    }
  }

  @Test
  void memoryIsBoundedByOneAndAHalfTargetDurations() {
    BandwidthTracker tracker = new BandwidthTracker(6);
    for (int i = 0; i < 100_000; i++) {
      tracker.add(new SegmentSize(Duration.ofSeconds(2), 500_000 + (i % 7) * 1000));
      assertTrue(tracker.retainedSegments() <= 5, "9 s of 2 s segments, plus none: " + tracker.retainedSegments());
    }
    // Peak: the heaviest 3..9 s window; all windows average ~ 2 Mbit/s + the 6 kB bumps.
    assertEquals(100_000, tracker.segmentCount());
    assertTrue(tracker.bitRates().peak() >= tracker.bitRates().average());
  }

  @Test
  void emptyAndInvalid() {
    assertEquals(new BandwidthCalculator.BitRates(0, 0), new BandwidthTracker(2).bitRates());
    assertThrows(IllegalArgumentException.class, () -> new BandwidthTracker(0));
  }

  @Test
  void renditionTakesMeasuredBitRatesOrComputesThemFromSegments() {
    List<SegmentSize> sizes = List.of(new SegmentSize(Duration.ofSeconds(6), 750_000),
        new SegmentSize(Duration.ofSeconds(6), 1_500_000));
    MultivariantPlanner.Rendition computed = new MultivariantPlanner.Rendition("v/index.m3u8", List.of(), false, 6,
        sizes);
    assertEquals(BandwidthCalculator.BitRates.of(sizes, 6), computed.bitRates());
    BandwidthTracker tracker = new BandwidthTracker(6);
    sizes.forEach(tracker::add);
    MultivariantPlanner.Rendition measured = MultivariantPlanner.Rendition.measured("v/index.m3u8", List.of(),
        false, 6, tracker.bitRates());
    assertEquals(computed.bitRates(), measured.bitRates());
    assertEquals(List.of(), measured.segments());
  }
}
