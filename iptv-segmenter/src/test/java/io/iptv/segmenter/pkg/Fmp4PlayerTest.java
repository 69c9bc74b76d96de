package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real players play the library's CMAF output (one package, HLS and DASH over the same segments), served by
 * {@link LocalOrigin}: Shaka Player DASH, Shaka Player HLS-fMP4, hls.js HLS-fMP4, each ≥ 8 s without a fatal
 * error or a picture gap. Needs node, Chromium, {@code npm ci --prefix test-tools/player} and ffmpeg: skipped
 * without them, failed when {@code CI=true}.
 */
class Fmp4PlayerTest {
  private static final String CHANNEL = "cmaf";
  private static final int PLAY_SECONDS = 8;

  @TempDir static Path work;
  private static Path packaged;
  private static Path packagedWithIFrames;
  private static Path packagedFromMp4;
  private static Path source;

  @BeforeEach
  void packageOnce() throws Exception {
    PlayerCheck.require();
    if (packaged != null) {
      return;
    }
    Path ts = work.resolve("source.ts");
    source = ts;
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=14",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=14",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-bf", "2", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", ts.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
    assertEquals(0, p.exitValue(), log);
    Path out = work.resolve("out");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(2)).segmentFormat(SegmentFormat.FMP4).dash(true)
        .build().packageFiles(List.of(ts), out);
    packaged = out;
  }

  @Test
  void shakaPlaysDash() {
    play(Player.SHAKA, "manifest.mpd");
  }

  @Test
  void shakaPlaysHlsFmp4() {
    play(Player.SHAKA, "master.m3u8");
  }

  @Test
  void hlsJsPlaysHlsFmp4() {
    play(Player.HLS_JS, "master.m3u8");
  }

  /**
   * With I-frame playlists (EXT-X-I-FRAME-STREAM-INF in the master, keyframes in fragments of their own, no
   * composition shift) both players still play the main variant; hls.js may nudge over the start (documented in
   * {@link io.iptv.segmenter.fmp4.CmafSegmentWriter}), so the hole check is off here.
   */
  @Test
  void playersPlayHlsFmp4WithIFramePlaylists() throws Exception {
    if (packagedWithIFrames == null) {
      Path out = work.resolve("out-iframes");
      HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(2)).segmentFormat(SegmentFormat.FMP4)
          .iFrames(true).build().packageFiles(List.of(source), out);
      packagedWithIFrames = out;
    }
    assertTrue(Files.readString(packagedWithIFrames.resolve("master.m3u8")).contains("#EXT-X-I-FRAME-STREAM-INF"));
    play(Player.SHAKA, packagedWithIFrames, "master.m3u8", false);
    play(Player.HLS_JS, packagedWithIFrames, "master.m3u8", false);
  }

  /**
   * The sample-copy path ({@link Mp4SampleCopier}): the TS remuxed into MP4 by FFmpeg ({@code -c copy}, so its
   * samples keep the access unit delimiters and in-band SPS/PPS the copier leaves out) into fMP4 + DASH.
   */
  @Test
  void playersPlaySampleCopiedFmp4FromMp4() throws Exception {
    if (packagedFromMp4 == null) {
      Path mp4 = work.resolve("remuxed.mp4");
      Process p = new ProcessBuilder(ExternalTools.requireFfmpeg(), "-nostdin", "-v", "error", "-i",
          source.toString(), "-c", "copy", mp4.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
      assertEquals(0, p.exitValue(), log);
      Path out = work.resolve("out-mp4");
      assertTrue(HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(2)).segmentFormat(SegmentFormat.FMP4)
          .dash(true).build().packageFiles(List.of(mp4), out).packetsCopied(), "samples copied");
      packagedFromMp4 = out;
    }
    play(Player.SHAKA, packagedFromMp4, "manifest.mpd", true);
    play(Player.HLS_JS, packagedFromMp4, "master.m3u8", true);
  }

  private static void play(Player player, String manifest) {
    play(player, packaged, manifest, true);
  }

  private static void play(Player player, Path dir, String manifest, boolean noStartHole) {
    try (LocalOrigin origin = LocalOrigin.serve(CHANNEL, dir)) {
      PlayerCheck.Result r = PlayerCheck.assertPlays(player, origin.url(manifest), PLAY_SECONDS);
      assertTrue(r.playedSeconds() >= PLAY_SECONDS, "played " + r.playedSeconds() + " s");
      if (noStartHole) {
        // no gap at the start: the first picture presents at the fragment's tfdt (FragmentWriter composition shift)
        assertFalse(r.json().contains("SeekOverHole"), "player jumped a buffer hole: " + r.json());
      }
    }
  }
}
