package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.hls.MediaPlaylist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A source whose audio PID goes silent for 1.5 s while the video goes on (a common broadcast fault). The
 * packager fills the hole with silent AAC, AC-3, E-AC-3, MP2 or MP3 frames: the fMP4 audio rendition can be
 * written at all (a segment without audio cannot), ffmpeg decodes both formats without an error, and the audio
 * timeline has no hole.
 */
class AudioDropoutTest {
  private static final int AUDIO = 257;

  @ParameterizedTest
  @CsvSource({ // MPEG audio has no fMP4 sample entry here: TS only
    "h264_aac.ts, TS", "h264_aac.ts, FMP4", "h265_ac3.ts, TS", "h265_ac3.ts, FMP4", "h264_eac3.ts, TS",
    "h264_eac3.ts, FMP4", "h264_mp2.ts, TS", "h264_mp3.ts, TS"})
  void anAudioDropoutIsPackagedAsSilenceThatDecodes(String clip, SegmentFormat format, @TempDir Path dir)
      throws Exception {
    LiveClipFeed feed = new LiveClipFeed(clip);
    List<StreamEvent> events = new ArrayList<>(feed.tracks);
    long first = feed.firstDts90k;
    for (int loop = 0; loop < 3; loop++) {
      for (MediaSample s : feed.samples) {
        MediaSample m = feed.shifted(s, loop, 0);
        long ms = (m.pts90k() - first) / 90;
        if (m.trackId() == AUDIO && ms >= 2_000 && ms < 3_500) {
          continue; // the audio is lost from 2.0 to 3.5 s
        }
        events.add(m);
      }
    }
    events.add(new StreamEvent.EndOfStream());
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.VOD).segmentFormat(format).build(DirectorySegmentSink.of(dir));
    for (StreamEvent e : events) {
      packager.emit(e);
    }

    Path master = dir.resolve("master.m3u8");
    assertEquals("", HlsOutput.ffmpegErrors(master).strip());
    List<Double> audioPts = audioPacketTimes(master);
    double span = audioPts.get(audioPts.size() - 1) - audioPts.get(0);
    assertTrue(span > 3 * feed.loopSpan90k / 90_000.0 - 0.2, "audio spans " + span + " s of 3 loops");
    double largestStep = 0;
    for (int i = 1; i < audioPts.size(); i++) {
      largestStep = Math.max(largestStep, audioPts.get(i) - audioPts.get(i - 1));
    }
    // an AAC frame at 48 kHz lasts 21.3 ms, an AC-3 frame 32 ms; a hole of 1.5 s would show as one step of 1.5 s
    assertTrue(largestStep < 0.05, "largest step between audio packets: " + largestStep + " s");
    for (Path p : HlsOutput.mediaPlaylists(dir)) {
      MediaPlaylist playlist = HlsOutput.media(p);
      assertTrue(playlist.segments().size() >= 8, p + ": " + playlist.segments().size());
    }
  }

  /** The presentation times of the audio packets ffprobe reads through the multivariant playlist. */
  private static List<Double> audioPacketTimes(Path master) throws Exception {
    Process p = new ProcessBuilder(ExternalTools.requireFfprobe(), "-v", "error", "-select_streams", "a:0",
        "-show_entries", "packet=pts_time", "-of", "csv=p=0", master.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<Double> times = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        times.add(Double.parseDouble(line.strip().replace(",", "")));
      }
    }
    return times;
  }
}
