package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code iptv package} end to end through {@link IptvCommand#execute}: TS and MP4 inputs (made by ffmpeg:
 * 12 s H.264 with B-frames + AAC) played back by ffmpeg without errors and with the input's duration; an
 * ABR pair; misaligned renditions; bad input and options (exit 2, one line on stderr, nothing written);
 * {@code --quiet}; an existing output directory.
 */
class PackageCommandTest {
  private static final double FRAME_SECONDS = 1 / 25.0;

  @TempDir
  static Path media;

  static String ffmpeg;
  static Path mp4;
  static Path ts;
  static Path mp4Low;
  static Path mp4OtherGop;

  @BeforeAll
  static void encode() throws Exception {
    ffmpeg = ExternalTools.requireFfmpeg();
    mp4 = encode("main.mp4", "600k", 50);
    mp4Low = encode("low.mp4", "250k", 50);
    mp4OtherGop = encode("other-gop.mp4", "600k", 75);
    ts = media.resolve("main.ts");
    run(List.of(ffmpeg, "-nostdin", "-v", "error", "-y", "-i", mp4.toString(), "-map", "0", "-c", "copy",
        "-f", "mpegts", ts.toString()));
  }

  /** 12 s 320x240 25 fps H.264 (2 B-frames, fixed GOP of {@code gop} frames, no scene cuts) + AAC. */
  private static Path encode(String name, String bitrate, int gop) throws Exception {
    Path file = media.resolve(name);
    run(List.of(ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=12",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12",
        "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", String.valueOf(gop),
        "-keyint_min", String.valueOf(gop), "-sc_threshold", "0", "-b:v", bitrate, "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-shortest", file.toString()));
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ts", "mp4"})
  void packagesPlayableHlsWithTheInputDuration(String kind, @TempDir Path dir) throws Exception {
    Path input = kind.equals("ts") ? ts : mp4;
    Path out = dir.resolve("out");
    Result r = iptv("package", "--input", input.toString(), "--output", out.toString(), "--segment-duration", "2");
    assertEquals(0, r.code, r.err);
    Path master = out.resolve("master.m3u8");
    assertTrue(Files.isRegularFile(master), "master.m3u8");
    assertEquals(1, r.out.lines().count(), "one summary line: " + r.out);
    assertTrue(r.out.contains("master.m3u8"), r.out);
    assertEquals("", runCapturingStderr(List.of(ffmpeg, "-nostdin", "-v", "error", "-i", master.toString(),
        "-f", "null", "-")), "ffmpeg decodes the package without errors");
    double inputSeconds = Double.parseDouble(run(List.of(ffprobe(), "-v", "error", "-show_entries",
        "format=duration", "-of", "csv=p=0", input.toString())).trim());
    double extinf = totalExtinf(out.resolve("stream/index.m3u8"));
    assertEquals(inputSeconds, extinf, FRAME_SECONDS, "total EXTINF vs ffprobe format duration");
    assertTrue(segmentFiles(out.resolve("stream")) >= 5, "12 s in 2 s segments");
  }

  /** A clean TS is cut by packet copy unless --no-packet-copy; both give the same media playlist. */
  @Test
  void packetCopyIsTheDefaultForCleanTsAndMp4IntoFmp4AndCanBeTurnedOff(@TempDir Path dir) throws Exception {
    Result copied = iptv("package", "--input", ts.toString(), "--output", dir.resolve("copy").toString(),
        "--segment-duration", "2");
    Result muxed = iptv("package", "--input", ts.toString(), "--output", dir.resolve("mux").toString(),
        "--segment-duration", "2", "--no-packet-copy");
    Result fromMp4 = iptv("package", "--input", mp4.toString(), "--output", dir.resolve("mp4").toString(),
        "--segment-duration", "2");
    assertEquals(0, copied.code + muxed.code + fromMp4.code, copied.err + muxed.err + fromMp4.err);
    assertTrue(copied.out.contains("TS packets copied"), copied.out);
    assertTrue(!muxed.out.contains("copied") && !fromMp4.out.contains("copied"), muxed.out + fromMp4.out);
    assertEquals(Files.readString(dir.resolve("mux/stream/index.m3u8")),
        Files.readString(dir.resolve("copy/stream/index.m3u8")));
    // MP4 into fMP4 (+ DASH): its samples are copied, into the same bytes as muxed
    Result cmaf = iptv("package", "--input", mp4.toString(), "--output", dir.resolve("cmaf").toString(),
        "--segment-duration", "2", "--format", "fmp4", "--dash");
    Result cmafMuxed = iptv("package", "--input", mp4.toString(), "--output", dir.resolve("cmaf-mux").toString(),
        "--segment-duration", "2", "--format", "fmp4", "--dash", "--no-packet-copy");
    assertEquals(0, cmaf.code + cmafMuxed.code, cmaf.err + cmafMuxed.err);
    assertTrue(cmaf.out.contains("MP4 samples copied"), cmaf.out);
    assertTrue(!cmafMuxed.out.contains("copied"), cmafMuxed.out);
    for (String file : List.of("manifest.mpd", "stream/index.m3u8", "stream/init.mp4", "stream/seg-00001.m4s")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("cmaf-mux").resolve(file)),
          Files.readAllBytes(dir.resolve("cmaf").resolve(file)), file);
    }
  }

  @Test
  void twoAlignedRenditionsGiveTwoVariants(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("abr");
    Result r = iptv("package", "--input", mp4.toString(), "--input", mp4Low.toString(), "--output",
        out.toString(), "--segment-duration", "4");
    assertEquals(0, r.code, r.err);
    String master = Files.readString(out.resolve("master.m3u8"));
    List<Long> bandwidths = new ArrayList<>();
    master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).forEach(l -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("[:,]BANDWIDTH=(\\d+)").matcher(l);
      assertTrue(m.find(), l);
      bandwidths.add(Long.parseLong(m.group(1)));
    });
    assertEquals(2, bandwidths.size(), master);
    assertTrue(!bandwidths.get(0).equals(bandwidths.get(1)), "different bitrates: " + bandwidths);
    assertEquals(totalExtinf(out.resolve("v0/index.m3u8")), totalExtinf(out.resolve("v1/index.m3u8")), 1e-9);
    assertEquals("", runCapturingStderr(List.of(ffmpeg, "-nostdin", "-v", "error", "-i",
        out.resolve("master.m3u8").toString(), "-map", "0:p:1", "-f", "null", "-")), "second variant plays");
  }

  @Test
  void misalignedRenditionsAreRefusedAndLeaveNoOutput(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("abr");
    Result r = iptv("package", "--input", mp4.toString(), "--input", mp4OtherGop.toString(), "--output",
        out.toString(), "--segment-duration", "2");
    assertAll(
        () -> assertEquals(2, r.code, "exit code"),
        () -> assertEquals(1, r.err.lines().count(), "one line: " + r.err),
        () -> assertTrue(r.err.contains("segment "), "names the segment: " + r.err),
        () -> assertTrue(r.err.contains("other-gop.mp4"), "names the input: " + r.err),
        () -> assertEquals("", r.out),
        () -> assertFalse(Files.exists(out), "no output directory"),
        () -> assertEquals(List.of(), list(dir), "no staging directory left"));
  }

  @Test
  void badInputAndOptionsExitTwoWithOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("notes.ts"), "hello, this is not media\n".repeat(100));
    Path missing = dir.resolve("missing.ts");
    Path out = dir.resolve("out");
    String in = mp4.toString();
    String[][] cases = {
        {"package", "--input", text.toString(), "--output", out.toString()},
        {"package", "--input", missing.toString(), "--output", out.toString()},
        {"package", "--input", in, "--output", out.toString(), "--segment-duration", "0"},
        {"package", "--input", in, "--output", out.toString(), "--segment-duration", "-2"},
        {"package", "--input", in, "--output", out.toString(), "--segment-duration", "six"},
        {"package", "--input", in, "--output", out.toString(), "--segment-duration", "NaN"},
        {"package", "--input", in, "--output", out.toString(), "--bogus"},
        {"package", "--input", in, "--output", out.toString(), "--playlist-type", "live"},
        {"package", "--input", in},
    };
    for (String[] args : cases) {
      Result r = iptv(args);
      assertAll(String.join(" ", args),
          () -> assertEquals(2, r.code, "exit code"),
          () -> assertEquals(1, r.err.lines().count(), "one line: " + r.err),
          () -> assertFalse(r.err.contains("\tat "), "no stack trace"),
          () -> assertEquals("", r.out, "nothing on stdout"),
          () -> assertEquals(List.of("notes.ts"), list(dir), "nothing written"));
    }
  }

  @Test
  void quietPrintsNothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Result r = iptv("package", "--input", ts.toString(), "--output", out.toString(), "--quiet");
    assertEquals(0, r.code, r.err);
    assertEquals("", r.out, "stdout");
    assertEquals("", r.err, "stderr");
    assertTrue(Files.isRegularFile(out.resolve("master.m3u8")));
  }

  @Test
  void nonEmptyOutputDirectoryIsRefusedAndKept(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path precious = Files.writeString(out.resolve("precious.txt"), "keep me");
    Result r = iptv("package", "--input", ts.toString(), "--output", out.toString());
    assertAll(
        () -> assertEquals(2, r.code, "exit code"),
        () -> assertEquals(1, r.err.lines().count(), "one line: " + r.err),
        () -> assertTrue(r.err.contains("not an empty directory"), r.err),
        () -> assertEquals(List.of("precious.txt"), list(out), "untouched"),
        () -> assertEquals("keep me", Files.readString(precious)));
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertEquals(2, iptv("package", "--input", ts.toString(), "--output", file.toString()).code, "a file");
  }

  @Test
  void emptyOutputDirectoryIsFilled(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Result r = iptv("package", "--input", ts.toString(), "--output", out.toString(), "--quiet");
    assertEquals(0, r.code, r.err);
    assertTrue(Files.isRegularFile(out.resolve("master.m3u8")));
    assertTrue(Files.isRegularFile(out.resolve("stream/index.m3u8")));
  }

  private record Result(int code, String out, String err) {}

  private static Result iptv(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static double totalExtinf(Path playlist) throws IOException {
    double total = 0;
    for (String line : Files.readAllLines(playlist)) {
      if (line.startsWith("#EXTINF:")) {
        total += Double.parseDouble(line.substring("#EXTINF:".length(), line.indexOf(',')));
      }
    }
    return total;
  }

  private static long segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".ts")).count();
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String ffprobe() {
    return ExternalTools.requireFfprobe();
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timeout: " + command);
    assertEquals(0, process.exitValue(), "exit code of " + command);
    return new String(output, StandardCharsets.UTF_8);
  }

  /** Runs {@code command} and returns what it printed on stderr (stdout discarded). */
  private static String runCapturingStderr(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    byte[] err = process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timeout: " + command);
    assertEquals(0, process.exitValue(), "exit code of " + command + ": " + new String(err, StandardCharsets.UTF_8));
    return new String(err, StandardCharsets.UTF_8);
  }
}
