package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a {@code cenc} DASH stream made at test time from a committed clip (ffmpeg encodes a clear
 * fragmented MP4, {@link CencDashFixture} encrypts it) is served by the library's origin together with
 * {@link ClearKeyLicenseHandler}; Shaka Player in headless Chromium must get the key from the licence URL and
 * play 8 s. A licence server that refuses, or that answers a wrong key, must make playback fail.
 */
class ClearKeyPlaybackTest {
  private static final KeyId KID = KeyId.fromHex("0123456789abcdef0123456789abcdef");
  private static final String KEY_HEX = "8f1e2d3c4b5a69788796a5b4c3d2e1f0";
  private static final String WRONG_KEY_HEX = "00000000000000000000000000000001";

  @TempDir
  static Path work;
  private static Path stream;
  private static CencDashFixture fixture;

  @BeforeAll
  static void makeStream() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path clear = work.resolve("clear.mp4");
    // The 3 s clip looped to 12 s; 2 s GOPs so that each fragment (one per keyframe) is a 2 s segment.
    Process p = new ProcessBuilder(ffmpeg, "-v", "error", "-y", "-stream_loop", "3",
        "-i", TestMedia.path("h264_aac.ts").toString(), "-an", "-c:v", "libx264", "-preset", "ultrafast",
        "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-bf", "0",
        "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", clear.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("ffmpeg.log").toFile()).start();
    assertTrue(p.waitFor() == 0, "ffmpeg failed, see " + work.resolve("ffmpeg.log"));
    stream = work.resolve("dash");
    java.nio.file.Files.createDirectories(stream);
    fixture = CencDashFixture.write(clear, KID, HexFormat.of().parseHex(KEY_HEX), stream);
    // HLS over the same segments, signalled by DrmSignalling: identity (key URI) + org.w3.clearkey (licence).
    DrmSignalling clearKey = DrmSignalling.builder().systems(List.of(DrmSystem.CLEARKEY)).build();
    fixture.writeHlsPlaylist(stream, "index.m3u8", clearKey.protections(SampleEncryptionScheme.CENC, KID,
        "keys/" + KID.toHex() + ".key", null));
    // The identity key file, as iptv package --write-keys writes it (the origin serves /clip/keys/<kid>.key).
    java.nio.file.Files.createDirectories(stream.resolve("keys"));
    java.nio.file.Files.write(stream.resolve("keys/" + KID.toHex() + ".key"), HexFormat.of().parseHex(KEY_HEX));
  }

  private static PlayerCheck.Result play(Function<HttpRequest, CompletableFuture<HttpResponse>> license, int stall) {
    return play(PlayerCheck.Player.SHAKA, "manifest.mpd", license, stall);
  }

  private static PlayerCheck.Result play(PlayerCheck.Player player, String name,
      Function<HttpRequest, CompletableFuture<HttpResponse>> license, int stall) {
    try (LocalOrigin origin = LocalOrigin.serve("clip", stream, license)) {
      return PlayerCheck.require().play(PlayerCheck.Run.builder(player, origin.url(name))
          .seconds(8).licenseUrl(origin.licenseUrl()).stall(Duration.ofSeconds(stall)).build());
    }
  }

  private static ClearKeyLicenseHandler handler(String keyHex, KeyAccessPolicy policy) {
    FixedKeys keys = KeyProvider.fixed(ContentKey.parse(KID.toHex() + ":" + keyHex));
    return ClearKeyLicenseHandler.builder(KeyLocator.inChannels(keys, List.of("clip"))).accessPolicy(policy).build();
  }

  @Test
  void shakaPlaysThroughTheLicenceServer() {
    ClearKeyLicenseHandler license = handler(KEY_HEX, KeyAccessPolicy.allowAll());
    AtomicInteger granted = new AtomicInteger();
    PlayerCheck.Result result = play(request -> {
      HttpResponse response = license.handle(request);
      if (response.status() == 200) {
        granted.incrementAndGet();
      }
      return CompletableFuture.completedFuture(response);
    }, 15);
    assertTrue(result.ok(), () -> "Shaka did not play through the licence server: " + result.reasons() + "\n"
        + result.json());
    assertTrue(granted.get() >= 1, "the key did not come from the licence server");
  }

  @Test
  void hlsSignallingPlaysInHlsJsThroughTheLicenceAndInShakaThroughTheKeyUri() {
    // hls.js takes the KID from the KEYFORMAT="org.w3.clearkey" line and asks the licence server.
    ClearKeyLicenseHandler license = handler(KEY_HEX, KeyAccessPolicy.allowAll());
    AtomicInteger granted = new AtomicInteger();
    PlayerCheck.Result result = play(PlayerCheck.Player.HLS_JS, "index.m3u8", request -> {
      HttpResponse response = license.handle(request);
      if (response.status() == 200) {
        granted.incrementAndGet();
      }
      return CompletableFuture.completedFuture(response);
    }, 15);
    assertTrue(result.ok(), () -> "hls.js did not play: " + result.reasons() + "\n" + result.json());
    assertTrue(granted.get() >= 1, "the key did not come from the licence server");
    // Shaka takes the KEYFORMAT="identity" line and fetches the key URI: it plays even with a refusing licence.
    PlayerCheck.Result shaka = play(PlayerCheck.Player.SHAKA, "index.m3u8",
        handler(KEY_HEX, (request, key) -> false)::handleAsync, 15);
    assertTrue(shaka.ok(), () -> "Shaka did not play the identity key: " + shaka.reasons() + "\n" + shaka.json());
  }

  @Test
  void playbackFailsWhenTheLicenceIsRefusedOrTheKeyIsWrong() {
    // No authorisation: every KID refused (403).
    PlayerCheck.Result refused = play(handler(KEY_HEX, (request, key) -> false)::handleAsync, 8);
    assertFalse(refused.ok(), () -> "played without a licence: " + refused.json());
    // A licence server answering a wrong key for the KID.
    PlayerCheck.Result wrongKey = play(handler(WRONG_KEY_HEX, KeyAccessPolicy.allowAll())::handleAsync, 8);
    assertFalse(wrongKey.ok(), () -> "played with a wrong key: " + wrongKey.json());
  }
}
