package io.iptv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.LocalOrigin;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import io.iptv.examples.cli.IptvCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real players (hls.js and Shaka Player in headless Chromium, see {@code test-tools/player}) play a packaged
 * channel served by the library's own origin, and the harness is shown to fail on broken streams.
 *
 * <p>The channels come from {@link #packageChannel(Path, String)}: ffmpeg encodes a source (MPEG-TS and MP4)
 * and the library's {@code iptv package} packages it; the broken-stream checks use ffmpeg's own HLS output
 * or damaged copies.
 *
 * <p>Needs node, Chromium, {@code npm ci --prefix test-tools/player} and ffmpeg: skipped without them,
 * failed when {@code CI=true}.
 */
class PlayerPlaybackTest {
  private static final String CHANNEL = "clip";
  private static final String MASTER = "master.m3u8";
  private static final int PLAY_SECONDS = 8;
  private static final int CLIP_SECONDS = 12;

  @TempDir
  static Path work;
  /** The library's output per source container, packaged once per class. */
  private static final Map<String, Path> PACKAGED = new HashMap<>();
  /** What {@link #garbageSegmentFailsPlayback} and friends break: the TS-sourced channel. */
  private static Path packaged;

  /** Per test, so that a missing tool shows as skipped tests with the reason (an aborted @BeforeAll shows none). */
  @BeforeEach
  void requireToolsAndPackageOnce() throws Exception {
    PlayerCheck.require(); // skip (or fail on CI) before spending time on ffmpeg
    if (packaged == null) {
      for (String container : SOURCES) {
        Path dir = packageChannel(Files.createDirectory(work.resolve("packaged-" + container)), container);
        assertTrue(Files.isRegularFile(dir.resolve(MASTER)), "no " + MASTER + " in " + dir);
        PACKAGED.put(container, dir);
      }
      packaged = PACKAGED.get("ts");
    }
  }

  /** Source containers the library packages from. */
  private static final List<String> SOURCES = List.of("ts", "mp4");

  static Stream<Arguments> playerAndSource() {
    return Stream.of(Player.values()).flatMap(p -> SOURCES.stream().map(s -> Arguments.of(p, s)));
  }

  /**
   * Produces the channel under test in {@code dir}: ffmpeg encodes {@value #CLIP_SECONDS} s of 640x360 H.264
   * (with B-frames) + AAC into a {@code container} file, and {@code iptv package} turns it into HLS with
   * MPEG-TS segments ({@value #MASTER} and everything it references).
   */
  private static Path packageChannel(Path dir, String container) throws IOException, InterruptedException {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path source = work.resolve("source." + container);
    if (!Files.exists(source)) {
      Process process = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error",
          "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=" + CLIP_SECONDS,
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + CLIP_SECONDS,
          "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-bf", "2", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-b:a", "96k", source.toString())
          .redirectErrorStream(true)
          .start();
      String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish");
      assertEquals(0, process.exitValue(), "ffmpeg failed: " + log);
    }
    Path output = dir.resolve("out");
    StringWriter err = new StringWriter();
    StringWriter summary = new StringWriter();
    int code = IptvCommand.execute(new String[] {"package", "--input", source.toString(),
        "--output", output.toString(), "--segment-duration", "4"},
        new PrintWriter(summary), new PrintWriter(err));
    assertEquals(0, code, "iptv package failed: " + err);
    // FFmpeg's TS is clean: the players below play the packet-copy path's segments, not the muxer's
    assertEquals(container.equals("ts"), summary.toString().contains("TS packets copied"), summary.toString());
    return output;
  }

  /** ffmpeg's test pattern and a tone as HLS in {@code dir}, the video through {@code videoFilter}. */
  private static Path ffmpegHls(Path dir, String videoFilter) throws IOException, InterruptedException {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process process = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=" + CLIP_SECONDS,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + CLIP_SECONDS,
        "-vf", videoFilter, "-fps_mode", "passthrough",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k",
        "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_filename", "seg%d.ts",
        "-master_pl_name", MASTER, "index.m3u8")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish");
    assertEquals(0, process.exitValue(), "ffmpeg failed: " + log);
    return dir;
  }

  @ParameterizedTest
  @MethodSource("playerAndSource")
  void playsPackagedChannel(Player player, String source) {
    try (LocalOrigin origin = LocalOrigin.serve(CHANNEL, PACKAGED.get(source))) {
      PlayerCheck.Result result = PlayerCheck.assertPlays(player, origin.url(MASTER), PLAY_SECONDS);
      assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
      assertTrue(result.frames() > 0, result.json());
    }
  }

  /** The harness can fail: the second media segment replaced by random bytes of the same size. */
  @ParameterizedTest
  @EnumSource(Player.class)
  void garbageSegmentFailsPlayback(Player player) throws IOException {
    Path broken = copyChannel(work.resolve("garbage-" + player));
    Path segment = secondSegment(broken);
    byte[] garbage = new byte[(int) Files.size(segment)];
    new Random(42).nextBytes(garbage);
    Files.write(segment, garbage);

    PlayerCheck.Result result = play(player, broken);
    assertFalse(result.ok(), "a garbage segment must not pass: " + result.json());
    assertFalse(result.reasons().isEmpty(), result.json());
  }

  /**
   * A valid stream whose video has no frames from 5 s to 7 s while the audio goes on: both players keep
   * "playing" (played time grows, no error), so only the frame-gap check sees the frozen picture.
   */
  @Test
  void frozenPictureIsCaughtByTheFrameGapCheck() throws Exception {
    Path frozen = ffmpegHls(Files.createDirectory(work.resolve("frozen")), "select='not(between(t,5,7))'");

    PlayerCheck.Result result = play(Player.HLS_JS, frozen);
    assertFalse(result.ok(), "a 2 s frozen picture must not pass: " + result.json());
    assertTrue(result.maxGapMs() >= 1500, "expected a ~2 s gap between presented frames: " + result.json());
  }

  private static PlayerCheck.Result play(Player player, Path channelDir) {
    try (LocalOrigin origin = LocalOrigin.serve(CHANNEL, channelDir)) {
      return PlayerCheck.require().play(PlayerCheck.Run.builder(player, origin.url(MASTER))
          .seconds(PLAY_SECONDS)
          .stall(Duration.ofSeconds(8))
          .build());
    }
  }

  private static Path copyChannel(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(packaged)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(packaged.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }

  /** The second media segment of the first variant that {@value #MASTER} lists. */
  private static Path secondSegment(Path channelDir) throws IOException {
    Path variant = channelDir.resolve(uris(channelDir.resolve(MASTER)).get(0));
    List<String> segments = uris(variant);
    assertTrue(segments.size() >= 2, "fewer than two segments in " + variant);
    Path segment = variant.resolveSibling(segments.get(1));
    assertNotNull(segment);
    assertTrue(Files.isRegularFile(segment), "missing " + segment);
    return segment;
  }

  /** The URI lines of a playlist (RFC 8216 §4.1: lines that are neither blank nor start with '#'). */
  private static List<String> uris(Path playlist) throws IOException {
    return Files.readAllLines(playlist, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
