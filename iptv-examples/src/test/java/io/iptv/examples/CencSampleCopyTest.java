package io.iptv.examples;

import static io.iptv.examples.CencPackagingTest.KEY;
import static io.iptv.examples.CencPackagingTest.KEY2;
import static io.iptv.examples.CencPackagingTest.KID;
import static io.iptv.examples.CencPackagingTest.KID2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.FileTrees;
import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import io.iptv.examples.cli.IptvCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MP4 input packaged with {@code --encryption cenc|cbcs} takes the sample-copy path ({@code Mp4SampleCopier}: the
 * samples read from the file as they are, in MP4 form, and encrypted; no round trip through Annex B): every file
 * equals the muxed path's ({@code --no-packet-copy}) byte for byte, with key rotation and a clear lead; every
 * sample decrypts (the independent {@code javax.crypto} code of {@link CencPackagingTest}) to the clear
 * packaging's; FFmpeg decodes each segment with the key to the clear packaging's frames; Shaka Player plays the
 * DASH and hls.js the HLS. The MP4 is FFmpeg's {@code -c copy} remux of an H.264 + AAC MPEG-TS, so its samples
 * carry access unit delimiters and SPS/PPS, as after remuxing a broadcast recording.
 *
 * <p>Needs ffmpeg (and for the players node, Chromium and {@code npm ci --prefix test-tools/player}): skipped
 * without them, failed when {@code CI=true}.
 */
class CencSampleCopyTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  static Path work;
  private static Path source;

  @BeforeAll
  static void makeSource() throws Exception {
    Path ts = CencPackagingTest.encodeSource(work);
    source = work.resolve("source.mp4");
    CencPackagingTest.run(ExternalTools.requireFfmpeg(), "-nostdin", "-v", "error", "-i", ts.toString(), "-map",
        "0", "-c", "copy", "-bsf:a", "aac_adtstoasc", "-movflags", "+faststart", source.toString());
  }

  /** {@code iptv package} of the MP4 into {@code work/name/clip} (2 s segments); returns what it printed. */
  private static String pack(String name, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("package", "--input", source.toString(), "--output",
        work.resolve(name).resolve(CencPackagingTest.CHANNEL).toString(), "--segment-duration", "2"));
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, "iptv package failed: " + err);
    return out.toString();
  }

  /** The clear packaging of the MP4 (once). */
  private static synchronized Path clear() throws Exception {
    if (!Files.exists(dir("clear"))) {
      pack("clear", "--format", "fmp4", "--quiet");
    }
    return dir("clear");
  }

  private static Path dir(String name) {
    return work.resolve(name).resolve(CencPackagingTest.CHANNEL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cenc", "cbcs"})
  void copiedSegmentsEqualTheMuxedOnesAndDecryptToTheClearPackaging(String scheme) throws Exception {
    String[] options = {"--format", "fmp4", "--dash", "--encryption", scheme, "--key", KID + ":" + KEY,
        "--key", KID2 + ":" + KEY2, "--rotate-every", "2", "--clear-lead", "1"};
    String copied = pack(scheme + "-copy", options);
    assertTrue(copied.contains("MP4 samples copied"), copied);
    List<String> muxedOptions = new ArrayList<>(List.of(options));
    muxedOptions.add("--no-packet-copy");
    String muxed = pack(scheme + "-muxed", muxedOptions.toArray(String[]::new));
    assertFalse(muxed.contains("copied"), muxed);
    FileTrees.assertSameFiles(dir(scheme + "-muxed"), dir(scheme + "-copy"), 11);

    Path clear = clear();
    Path encrypted = dir(scheme + "-copy");
    Map<String, byte[]> keys = Map.of(KID, HEX.parseHex(KEY), KID2, HEX.parseHex(KEY2));
    List<String> renditions = CencPackagingTest.renditionDirs(encrypted);
    assertEquals(2, renditions.size(), "video and audio renditions: " + renditions);
    for (String rendition : renditions) {
      CencPackagingTest.Protection init = CencPackagingTest.checkInitSegment(
          Files.readAllBytes(encrypted.resolve(rendition).resolve("init.mp4")), scheme);
      List<String> segments = CencPackagingTest.segmentUris(encrypted.resolve(rendition).resolve("index.m3u8"));
      assertEquals(CencPackagingTest.segmentUris(clear.resolve(rendition).resolve("index.m3u8")), segments);
      assertTrue(segments.size() >= 6, segments.toString());
      for (int sequence = 0; sequence < segments.size(); sequence++) {
        byte[] enc = Files.readAllBytes(encrypted.resolve(rendition).resolve(segments.get(sequence)));
        byte[] plain = Files.readAllBytes(clear.resolve(rendition).resolve(segments.get(sequence)));
        String expectedKid = sequence == 0 ? null : (sequence / 2) % 2 == 0 ? KID : KID2; // sequence 0: clear lead
        CencPackagingTest.checkFragment(enc, plain, init, expectedKid, keys, rendition + "/" + segments.get(sequence));
      }
    }
  }

  @Test
  void ffmpegDecodesEveryCopiedCencSegmentToTheClearFrames() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    String summary = pack("ffmpeg-cenc", "--format", "fmp4", "--encryption", "cenc", "--key", KID + ":" + KEY);
    assertTrue(summary.contains("MP4 samples copied"), summary);
    Path clear = clear();
    Path encrypted = dir("ffmpeg-cenc");
    for (String rendition : CencPackagingTest.renditionDirs(encrypted)) {
      int frames = 0;
      for (String segment : CencPackagingTest.segmentUris(encrypted.resolve(rendition).resolve("index.m3u8"))) {
        Path clearFile = CencPackagingTest.concatenate(clear.resolve(rendition), segment, work.resolve("clear.mp4"));
        Path encFile = CencPackagingTest.concatenate(encrypted.resolve(rendition), segment, work.resolve("cenc.mp4"));
        CencPackagingTest.Decode expected = CencPackagingTest.framemd5(ffmpeg, clearFile, null);
        CencPackagingTest.Decode decrypted = CencPackagingTest.framemd5(ffmpeg, encFile, KEY);
        assertEquals("", decrypted.errors(), rendition + "/" + segment);
        assertEquals(expected.frames(), decrypted.frames(), rendition + "/" + segment);
        assertFalse(CencPackagingTest.framemd5(ffmpeg, encFile, KEY2).frames().equals(expected.frames()),
            rendition + "/" + segment + ": a wrong key must not give the clear frames");
        frames += decrypted.frames().size();
      }
      assertTrue(frames >= (rendition.equals("stream") ? CencPackagingTest.CLIP_SECONDS * 25 - 5 : 500),
          rendition + ": " + frames);
    }
  }

  @Test
  void playersPlayTheCopiedCencOutput() throws Exception {
    PlayerCheck.require();
    String summary = pack("players", "--format", "fmp4", "--dash", "--encryption", "cenc", "--key",
        KID + ":" + KEY);
    assertTrue(summary.contains("MP4 samples copied"), summary);
    try (LocalOrigin origin = LocalOrigin.serve(CencPackagingTest.CHANNEL, dir("players"))) {
      for (Player player : List.of(Player.SHAKA, Player.HLS_JS)) {
        String manifest = player == Player.SHAKA ? "manifest.mpd" : "master.m3u8";
        PlayerCheck.Result r = PlayerCheck.require().play(PlayerCheck.Run.builder(player, origin.url(manifest))
            .seconds(8).stall(Duration.ofSeconds(10)).clearKey(KID, KEY).build());
        assertTrue(r.ok(), player + ": " + r.json());
        assertTrue(r.playedSeconds() >= 8, player + ": " + r.json());
      }
    }
  }


}
