package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.mp4.Mp4Demuxer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decode times of {@link FragmentWriter} output: strictly increasing, also for near-duplicate input times. */
class FragmentWriterTimingTest {
  @TempDir Path temp;

  private static final TrackFormat AAC = TrackFormat.builder(2, Codec.AAC).sampleRate(48_000).channels(2)
      .codecConfig(List.of(ByteSlice.wrap(new byte[] {0x11, (byte) 0x90}))).build(); // AAC-LC, 48 kHz, stereo

  /** 90 kHz time of 48 kHz tick {@code x} moved by {@code offset90k}: how the MP4 reader rebases a timeline. */
  private static long at90k(long ticks48k, long offset90k) {
    return Timestamps.rescale(ticks48k, 48_000, 90_000) + offset90k;
  }

  /**
   * Two AAC frames one 48 kHz tick apart (the join of a looped file), on a timeline moved by 5,309 ticks of 90 kHz,
   * round to the same 48 kHz decode time: the writer keeps them a tick apart instead of writing a zero duration.
   */
  @Test
  void nearDuplicateDecodeTimesStayStrictlyIncreasing() throws Exception {
    long offset90k = 5_309;
    long join = 6_000_644;
    long[] ticks = {join - 2048, join - 1024, join, join + 1, join + 1025, join + 2049};
    Fmp4Track track = Fmp4Track.of(1, AAC, null);
    assertEquals(track.fromTicks90k(at90k(join, offset90k)), track.fromTicks90k(at90k(join + 1, offset90k)),
        "the input collides on the way through 90 kHz");
    List<MediaSample> samples = new ArrayList<>();
    for (long t : ticks) {
      long t90k = at90k(t, offset90k);
      samples.add(new MediaSample(AAC.trackId(), t90k, t90k, true, ByteSlice.wrap(new byte[] {0x21, 0x10, 0x04})));
    }
    CmafSegmentWriter writer = CmafSegmentWriter.builder(track).build();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(InitSegmentWriter.write(List.of(track), null).toByteArray());
    file.write(writer.write(0, samples.subList(0, 3), Timestamps.NO_TIMESTAMP).bytes().toByteArray());
    file.write(writer.write(1, samples.subList(3, 6), Timestamps.NO_TIMESTAMP).bytes().toByteArray());
    Path mp4 = temp.resolve("audio.mp4");
    Files.write(mp4, file.toByteArray());

    List<Long> back = new ArrayList<>();
    try (Mp4Demuxer in = Mp4Demuxer.open(mp4)) {
      in.readAll(e -> {
        if (e instanceof MediaSample s) {
          back.add(s.dts90k());
        }
      });
    }
    assertEquals(ticks.length, back.size());
    for (int i = 1; i < back.size(); i++) {
      assertTrue(back.get(i) > back.get(i - 1), "decode times " + back);
    }
    // only the colliding sample moved, by one 48 kHz tick (2 ticks of 90 kHz at most)
    assertTrue(back.get(4) - back.get(3) >= 1918 && back.get(4) - back.get(3) <= 1922, "next frame " + back);
  }
}
