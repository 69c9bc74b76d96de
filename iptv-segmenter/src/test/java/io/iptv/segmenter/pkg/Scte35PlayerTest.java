package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Players play packages with SCTE-35 ad breaks across the splice points (segments cut short at the OUT and the
 * return, EXT-X-DATERANGE + EXT-X-CUE tags, a DASH SCTE-35 EventStream): hls.js the MPEG-TS HLS, Shaka the DASH,
 * each for 12 s (the break runs from about 4 s to 10 s of the presentation). Needs node, Chromium,
 * {@code npm ci --prefix test-tools/player} and ffmpeg: skipped without them, failed when {@code CI=true}.
 */
class Scte35PlayerTest {
  private static final int PLAY_SECONDS = 12;

  @TempDir static Path work;
  private static Path hlsTs;
  private static Path dash;

  @BeforeEach
  void packageOnce() throws Exception {
    PlayerCheck.require();
    if (hlsTs != null) {
      return;
    }
    Scte35TestStream.Clip clip = Scte35TestStream.demux(Files.readAllBytes(Scte35TestStream.generate(work, 24)));
    List<Long> keys = clip.keyframes();
    long out = keys.get(4);
    long in = keys.get(10);
    long out2 = keys.get(13) + 7 * 3600;
    byte[] input = Scte35TestStream.remux(clip, List.of(
        new Scte35TestStream.Insert(out - 180_000, Scte35TestStream.spliceInsert(1, true, out, in - out, false)),
        new Scte35TestStream.Insert(in - 180_000, Scte35TestStream.spliceInsert(1, false, in, -1, false)),
        new Scte35TestStream.Insert(out2 - 180_000, Scte35TestStream.spliceInsert(2, true, out2, 180_000, true))));
    Path ts = work.resolve("scte35.ts");
    Files.write(ts, input);
    Path hls = work.resolve("hls");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(4))
        .adMarkers(EnumSet.of(AdMarkerStyle.DATERANGE, AdMarkerStyle.CUE)).build().packageFiles(List.of(ts), hls);
    Path cmaf = work.resolve("dash");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(4)).segmentFormat(SegmentFormat.FMP4).dash(true)
        .build().packageFiles(List.of(ts), cmaf);
    String playlist = Files.readString(hls.resolve("stream/index.m3u8"));
    assertTrue(playlist.contains("SCTE35-OUT=") && playlist.contains("#EXT-X-CUE-OUT-CONT"), playlist);
    String mpd = Files.readString(cmaf.resolve("manifest.mpd"));
    assertTrue(mpd.contains("urn:scte:scte35:2014:xml+bin") && mpd.contains("<scte35:Binary>"), mpd);
    hlsTs = hls;
    dash = cmaf;
  }

  @Test
  void hlsJsPlaysTheTsPackageAcrossTheBreak() {
    play(Player.HLS_JS, hlsTs, "master.m3u8");
  }

  @Test
  void shakaPlaysTheDashPackageWithTheEventStream() {
    play(Player.SHAKA, dash, "manifest.mpd");
  }

  private static void play(Player player, Path dir, String manifest) {
    try (LocalOrigin origin = LocalOrigin.serve("scte35", dir)) {
      PlayerCheck.Result r = PlayerCheck.assertPlays(player, origin.url(manifest), PLAY_SECONDS);
      assertTrue(r.playedSeconds() >= PLAY_SECONDS, "played " + r.playedSeconds() + " s");
    }
  }
}
