package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InputLossGuard} driven by a manual clock, events recorded. */
class InputLossGuardTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private Instant now = T0;
  private final InstantSource clock = () -> now;
  private final List<StreamEvent> out = new ArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static TrackFormat aac(int id) {
    return TrackFormat.builder(id, Codec.AAC).sampleRate(48_000).channels(2).build();
  }

  private InputLossGuard guard() {
    return InputLossGuard.builder(out::add).silence(Duration.ofSeconds(2)).clock(clock).scheduler(scheduler).build();
  }

  /** One second of AAC frames from pts 90 000, the clock following. */
  private void feedAudio(InputLossGuard guard, int track, long from90k) throws Exception {
    for (int i = 0; i < 47; i++) {
      long pts = from90k + i * 1920L;
      now = T0.plusMillis((pts - 90_000) / 90);
      guard.emit(new MediaSample(track, pts, pts, true, SilentAacFrame.adts(48_000, 2)));
    }
  }

  @Test
  void audioOnlyChannelContinuesWithSilentFramesBetweenDiscontinuities() throws Exception {
    InputLossGuard guard = guard();
    guard.emit(new StreamEvent.TrackAdded(aac(257)));
    feedAudio(guard, 257, 90_000);
    long lastEnd = 90_000 + 46 * 1920L + 1920;
    Instant lastInput = now;
    int before = out.size();
    for (int step = 1; step <= 30; step++) {
      now = lastInput.plusMillis(100L * step);
      guard.check();
    }
    assertTrue(guard.onSlate());
    List<StreamEvent> slate = out.subList(before, out.size());
    assertInstanceOf(StreamEvent.Discontinuity.class, slate.get(0));
    long expected = lastEnd;
    for (StreamEvent e : slate.subList(1, slate.size())) {
      MediaSample s = (MediaSample) e;
      assertEquals(expected, s.pts90k(), "timestamps continue without a hole");
      assertEquals(SilentAacFrame.adts(48_000, 2), s.data());
      expected += 1920;
    }
    // 3 s of wall time since the last input: the slate covers them
    long covered = expected - lastEnd;
    assertTrue(covered >= 3 * 90_000 - 1920 && covered <= 3 * 90_000 + 1920, "covered " + covered);
    int slateEnd = out.size();
    feedAudio(guard, 257, 900_000);
    assertFalse(guard.onSlate());
    assertInstanceOf(StreamEvent.Discontinuity.class, out.get(slateEnd), "a discontinuity back to live");
    assertInstanceOf(MediaSample.class, out.get(slateEnd + 1));
    assertEquals(900_000, ((MediaSample) out.get(slateEnd + 1)).pts90k());
  }

  @Test
  void noSlateForVideoThatIsNotH264() throws Exception {
    InputLossGuard guard = guard();
    guard.emit(new StreamEvent.TrackAdded(TrackFormat.builder(256, Codec.H265).width(320).height(180).build()));
    guard.emit(new StreamEvent.TrackAdded(aac(257)));
    feedAudio(guard, 257, 90_000);
    int before = out.size();
    now = now.plusSeconds(10);
    guard.check();
    assertFalse(guard.onSlate());
    assertEquals(before, out.size());
  }

  @Test
  void quietBeforeTheSilenceAndNeverBeforeTheFirstSample() throws Exception {
    InputLossGuard guard = guard();
    guard.emit(new StreamEvent.TrackAdded(aac(257)));
    now = now.plusSeconds(10);
    guard.check();
    assertEquals(1, out.size(), "nothing to continue yet");
    feedAudio(guard, 257, 90_000);
    int before = out.size();
    now = now.plusMillis(1900);
    guard.check();
    assertEquals(before, out.size());
    guard.emit(new StreamEvent.EndOfStream());
    now = now.plusSeconds(10);
    guard.check();
    assertEquals(before + 1, out.size(), "no slate after the end");
  }
}
