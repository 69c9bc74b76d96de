package io.iptv.segmenter.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import org.junit.jupiter.api.Test;

/** Source resets on the lead track become discontinuities; a change of lead track is not a jump. */
class TimestampJumpDetectorTest {
  private static final ByteSlice DATA = ByteSlice.wrap(new byte[] {1});

  private static MediaSample sample(int track, long dts90k) {
    return new MediaSample(track, dts90k, dts90k, true, DATA);
  }

  @Test
  void backwardsOrFarForwardOnTheLeadIsAJump() {
    TimestampJumpDetector detector = new TimestampJumpDetector();
    assertNull(detector.check(sample(256, 900_000), 256));
    assertNull(detector.check(sample(256, 903_600), 256));
    assertNull(detector.check(sample(257, 1_000), 256), "other tracks are not watched");
    StreamEvent.Discontinuity back = detector.check(sample(256, 3_600), 256);
    assertNotNull(back);
    assertEquals(903_600, back.lastTimestamp90k());
    assertNull(detector.check(sample(256, 7_200), 256));
    assertNotNull(detector.check(sample(256, 7_200 + TimestampJumpDetector.FORWARD_JUMP_90K + 1), 256));
    assertEquals(2, detector.detected());
  }

  @Test
  void aLeadChosenLaterStartsItsOwnTimeline() {
    TimestampJumpDetector detector = new TimestampJumpDetector();
    for (long t = 10_000; t < 20_000; t += 1_920) {
      assertNull(detector.check(sample(257, t), 257)); // audio led until video was announced
    }
    assertNull(detector.check(sample(256, 9_000), 256), "the new lead's first sample is earlier: not a reset");
    assertNull(detector.check(sample(256, 12_600), 256));
    assertEquals(0, detector.detected());
  }
}
