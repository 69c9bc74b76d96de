package io.iptv.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ISO Common Encryption played by real players in headless Chromium (EME ClearKey): {@code iptv package --format
 * fmp4 --dash --encryption cenc|cbcs} served by the library's origin ({@link LocalOrigin}); Shaka Player gets
 * the keys as {@code drm.clearKeys}, hls.js from play.mjs's ClearKey licence server (it reads the KID from the
 * {@code KEYFORMAT="org.w3.clearkey"} EXT-X-KEY). A stream rotating its key every 2 segments after a clear lead
 * plays through the key changes (Shaka DASH, hls.js HLS); a wrong key does not play.
 *
 * <p>Needs ffmpeg, node, Chromium and {@code npm ci --prefix test-tools/player}: skipped without them, failed
 * when {@code CI=true}.
 */
class CencPlayersTest {
  private static final int PLAY_SECONDS = 8;
  private static final String KID = CencPackagingTest.KID;
  private static final String KEY = CencPackagingTest.KEY;
  private static final String KID2 = CencPackagingTest.KID2;
  private static final String KEY2 = CencPackagingTest.KEY2;

  @TempDir
  static Path work;
  private static Path source;

  @BeforeAll
  static void encodeSource() throws Exception {
    source = CencPackagingTest.encodeSource(work);
  }

  private static Path pack(String name, String... options) throws Exception {
    return CencPackagingTest.pack(work, source, name, options);
  }

  private static Path cenc() throws Exception {
    return pack("cenc", "--format", "fmp4", "--dash", "--encryption", "cenc", "--key", KID + ":" + KEY,
        "--write-keys");
  }

  private static PlayerCheck.Result play(Player player, Path dir, String manifest, int seconds, String... keys) {
    try (LocalOrigin origin = LocalOrigin.serve(CencPackagingTest.CHANNEL, dir)) {
      PlayerCheck.Run.Builder run = PlayerCheck.Run.builder(player, origin.url(manifest)).seconds(seconds)
          .stall(Duration.ofSeconds(10));
      for (String pair : keys) {
        run.clearKey(pair.substring(0, 32), pair.substring(33));
      }
      return PlayerCheck.require().play(run.build());
    }
  }

  @Test
  void shakaPlaysCencDash() throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result r = play(Player.SHAKA, cenc(), "manifest.mpd", PLAY_SECONDS, KID + ":" + KEY);
    assertTrue(r.ok(), r.json());
    assertTrue(r.playedSeconds() >= PLAY_SECONDS, r.json());
  }

  /** Shaka reads the identity EXT-X-KEY: it fetches the key file ({@code --write-keys}) and the KID from tenc. */
  @Test
  void shakaPlaysCencHlsWithTheIdentityKey() throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result r = play(Player.SHAKA, cenc(), "master.m3u8", PLAY_SECONDS);
    assertTrue(r.ok(), r.json());
  }

  @Test
  void hlsJsPlaysCencHlsWithAClearKeyLicence() throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result r = play(Player.HLS_JS, cenc(), "master.m3u8", PLAY_SECONDS, KID + ":" + KEY);
    assertTrue(r.ok(), r.json());
  }

  @Test
  void shakaPlaysCbcsDash() throws Exception {
    PlayerCheck.require();
    Path dir = pack("cbcs", "--format", "fmp4", "--dash", "--encryption", "cbcs", "--key", KID + ":" + KEY);
    PlayerCheck.Result r = play(Player.SHAKA, dir, "manifest.mpd", PLAY_SECONDS, KID + ":" + KEY);
    assertTrue(r.ok(), r.json());
  }

  @Test
  void shakaPlaysThroughKeyRotationEveryTwoSegmentsAfterAClearLead() throws Exception {
    PlayerCheck.require();
    Path dir = pack("rotation", "--format", "fmp4", "--dash", "--encryption", "cenc", "--key", KID + ":" + KEY,
        "--key", KID2 + ":" + KEY2, "--rotate-every", "2", "--clear-lead", "1");
    assertTrue(Files.readString(dir.resolve("stream/index.m3u8")).contains(KID2), "rotated to the second key");
    PlayerCheck.Result r = play(Player.SHAKA, dir, "manifest.mpd", CencPackagingTest.CLIP_SECONDS - 2,
        KID + ":" + KEY, KID2 + ":" + KEY2);
    assertTrue(r.ok(), r.json());
    assertTrue(r.playedSeconds() >= CencPackagingTest.CLIP_SECONDS - 2, "played through 3 key periods: " + r.json());
  }

  /**
   * hls.js through a clear lead and two key changes: the clear-lead segment already lists the first key
   * (hls.js does not set up EME when the first EXT-X-KEY appears after clear segments).
   */
  @Test
  void hlsJsPlaysThroughKeyRotationAfterAClearLead() throws Exception {
    PlayerCheck.require();
    Path dir = pack("rotation", "--format", "fmp4", "--dash", "--encryption", "cenc", "--key", KID + ":" + KEY,
        "--key", KID2 + ":" + KEY2, "--rotate-every", "2", "--clear-lead", "1");
    PlayerCheck.Result r = play(Player.HLS_JS, dir, "master.m3u8", CencPackagingTest.CLIP_SECONDS - 2,
        KID + ":" + KEY, KID2 + ":" + KEY2);
    assertTrue(r.ok(), r.json());
  }

  @Test
  void wrongKeyDoesNotPlay() throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result r = play(Player.SHAKA, cenc(), "manifest.mpd", PLAY_SECONDS, KID + ":" + KEY2);
    assertFalse(r.ok(), "a wrong key must not play: " + r.json());
  }
}
