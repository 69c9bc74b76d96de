package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.mp4.Mp4Demuxer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip: TS clip → our CMAF writer (init + segments) → our MP4 reader ({@link Mp4Demuxer}) gives back the
 * same samples (timestamps, keyframe flags, payload bytes modulo the documented MP4 form), and ffmpeg decodes
 * {@code cat init.mp4 seg*.m4s} without errors.
 */
class Fmp4RoundTripTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts", "h264_aac_pts_wrap.ts"})
  void readerGivesBackWhatWentIn(String clip) throws Exception {
    Map<Integer, Fmp4TestSupport.Track> tracks = Fmp4TestSupport.demux(clip);
    assertEquals(2, tracks.size(), clip + ": one video and one audio track expected");
    for (Fmp4TestSupport.Track t : tracks.values()) {
      List<byte[]> files = Fmp4TestSupport.writeTrackFile(t, 90_000, /* sidx= */ t.format().trackId() % 2 == 0);
      assertTrue(files.size() >= 3, clip + ": several segments expected");
      Path file = temp.resolve(clip + "-" + t.format().trackId() + ".mp4");
      Files.write(file, Fmp4TestSupport.concat(files));

      List<MediaSample> back = new ArrayList<>();
      try (Mp4Demuxer in = Mp4Demuxer.open(file)) {
        in.readAll(e -> {
          if (e instanceof MediaSample s) {
            back.add(s);
          }
        });
      }
      List<MediaSample> in = t.samples();
      assertEquals(in.size(), back.size(), clip + " track " + t.format().trackId() + ": sample count");
      boolean video = t.format().type() == TrackType.VIDEO;
      long tolerance = video ? 0 : 2; // audio: 90 kHz → sample rate → 90 kHz rounding
      // presentation times are exact (the reader may rebase the whole timeline by a constant); decode times
      // come back shifted by one per-track constant: the writer's composition shift D minus the reader's
      // dts_shift (FragmentWriter class comment), 0 for audio and for the usual B-frame GOP
      long offset = in.get(0).pts90k() - back.get(0).pts90k();
      long dtsOffset = in.get(0).dts90k() - back.get(0).dts90k();
      for (int i = 0; i < in.size(); i++) {
        MediaSample a = in.get(i);
        MediaSample b = back.get(i);
        String where = clip + " track " + t.format().trackId() + " sample " + i;
        assertTrue(Math.abs(a.dts90k() - dtsOffset - b.dts90k()) <= tolerance, where + " dts " + a.dts90k() + " vs "
            + (b.dts90k() + dtsOffset));
        assertTrue(Math.abs(a.pts90k() - offset - b.pts90k()) <= tolerance, where + " pts " + a.pts90k() + " vs "
            + (b.pts90k() + offset));
        assertTrue(b.dts90k() <= b.pts90k(), where + ": dts after pts");
        assertEquals(a.keyframe(), b.keyframe(), where + " keyframe");
        assertEquals(Fmp4TestSupport.normalized(t.format(), a.data()), Fmp4TestSupport.normalized(t.format(), b.data()),
            where + " payload");
      }
      if (!video) {
        assertEquals(offset, dtsOffset, where(clip, t) + ": audio decode = presentation timeline");
      }
      String errors = ffmpegErrors(file);
      assertEquals("", errors, clip + " track " + t.format().trackId() + ": ffmpeg errors");
    }
  }

  private static String where(String clip, Fmp4TestSupport.Track t) {
    return clip + " track " + t.format().trackId();
  }

  static String ffmpegErrors(Path input) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i", input.toString(), "-f", "null", "-")
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "ffmpeg failed: " + text);
    assertFalse(text.contains("Invalid"), text);
    return text;
  }
}
