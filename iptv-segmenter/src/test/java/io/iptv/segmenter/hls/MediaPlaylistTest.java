package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {
  private static MediaSegment seg(long millis) {
    return MediaSegment.builder(Duration.ofMillis(millis), "s" + millis + ".ts").build();
  }

  @Test
  void targetDurationDefaultsToTheLargestRoundedExtinf() {
    assertEquals(6, MediaPlaylist.builder().addSegment(seg(6_000)).addSegment(seg(6_499)).build().targetDuration());
    assertEquals(7, MediaPlaylist.builder().addSegment(seg(6_500)).build().targetDuration(), "half up");
    assertEquals(1, MediaPlaylist.builder().build().targetDuration());
  }

  @Test
  void targetDurationViolationIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MediaPlaylist.builder().targetDuration(6).mediaSequence(10).addSegment(seg(6_000))
            .addSegment(seg(6_500)).build());
    assertTrue(e.getMessage().contains("segment 11"), e.getMessage());
    assertTrue(e.getMessage().contains("§4.3.3.1"), e.getMessage());
    // 6.4 s rounds to 6: allowed by RFC 8216 §4.3.3.1 even though it is longer than 6.
    assertEquals(6, MediaPlaylist.builder().targetDuration(6).addSegment(seg(6_400)).build().targetDuration());
  }

  @Test
  void roundingForOutputCannotBreakTheTarget() {
    // 6.4999996 s is written as 6.500 (3 decimals), which rounds to 7.
    assertEquals(7, MediaPlaylist.roundedSeconds(Duration.ofNanos(6_499_999_600L)));
    assertEquals(6, MediaPlaylist.roundedSeconds(Duration.ofNanos(6_499_000_000L)));
    assertThrows(IllegalArgumentException.class, () -> MediaPlaylist.builder().targetDuration(6)
        .addSegment(MediaSegment.builder(Duration.ofNanos(6_499_999_600L), "x.ts").build()).build());
  }

  @Test
  void toBuilderKeepsEverything() {
    MediaPlaylist p = PlaylistWriterTest.liveWithByteRangesAndKey();
    assertEquals(p, p.toBuilder().build());
    assertEquals(Duration.ofSeconds(12), p.duration());
  }
}
