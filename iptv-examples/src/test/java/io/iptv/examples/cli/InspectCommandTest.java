package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.MiniJson;
import io.iptv.core.testing.SimulatedDamage;
import io.iptv.core.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code iptv inspect --json} against ffprobe on every committed clip: programs, PIDs, codecs, picture
 * size, frame rate, sample rate, channels, language and duration; plus damaged and non-TS input.
 */
class InspectCommandTest {

  static List<String> clips() {
    return TestMedia.TS_CLIPS;
  }

  @ParameterizedTest
  @MethodSource("clips")
  void agreesWithFfprobe(String clip) throws Exception {
    String ffprobe = ExternalTools.requireFfprobe();
    Path file = TestMedia.path(clip);
    Map<?, ?> ours = (Map<?, ?>) MiniJson.parse(runOk("inspect", file.toString(), "--json"));
    Map<?, ?> theirs = (Map<?, ?>) MiniJson.parse(run(List.of(ffprobe, "-v", "error", "-show_programs",
        "-show_format", "-of", "json", file.toString())));

    List<?> theirPrograms = (List<?>) theirs.get("programs");
    List<?> ourPrograms = (List<?>) ours.get("programs");
    List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
    checks.add(() -> assertEquals(theirPrograms.size(), ourPrograms.size(), "program count"));
    double theirDuration = Double.parseDouble((String) ((Map<?, ?>) theirs.get("format")).get("duration"));
    checks.add(() -> assertEquals(theirDuration, ((Number) ours.get("durationSeconds")).doubleValue(), 0.040,
        "duration within one frame"));
    for (Object p : theirPrograms) {
      Map<?, ?> theirProgram = (Map<?, ?>) p;
      long number = (Long) theirProgram.get("program_id");
      Map<?, ?> ourProgram = find(ourPrograms, "programNumber", number);
      checks.add(() -> assertEquals(theirProgram.get("pmt_pid"), ourProgram.get("pmtPid"), "PMT PID"));
      checks.add(() -> assertEquals(theirProgram.get("pcr_pid"), ourProgram.get("pcrPid"), "PCR PID"));
      List<?> ourStreams = (List<?>) ourProgram.get("streams");
      for (Object s : (List<?>) theirProgram.get("streams")) {
        Map<?, ?> theirStream = (Map<?, ?>) s;
        long pid = Long.decode((String) theirStream.get("id"));
        Map<?, ?> ourStream = find(ourStreams, "pid", pid);
        String where = clip + " PID 0x" + Long.toHexString(pid) + ": ";
        checks.add(() -> assertEquals(codecOf((String) theirStream.get("codec_name")), ourStream.get("codec"),
            where + "codec"));
        if ("video".equals(theirStream.get("codec_type"))) {
          checks.add(() -> assertEquals(theirStream.get("width"), ourStream.get("width"), where + "width"));
          checks.add(() -> assertEquals(theirStream.get("height"), ourStream.get("height"), where + "height"));
          double fps = rational((String) theirStream.get("avg_frame_rate"));
          checks.add(() -> assertEquals(fps, ((Number) ourStream.get("frameRate")).doubleValue(), 0.01,
              where + "frame rate"));
          checks.add(() -> assertTrue(((Long) ourStream.get("keyframes")) > 0, where + "keyframes"));
        } else if ("audio".equals(theirStream.get("codec_type"))) {
          checks.add(() -> assertEquals(Long.parseLong((String) theirStream.get("sample_rate")),
              ourStream.get("sampleRate"), where + "sample rate"));
          checks.add(() -> assertEquals(theirStream.get("channels"), ourStream.get("channels"), where + "channels"));
        }
        Map<?, ?> tags = (Map<?, ?>) theirStream.get("tags");
        Object language = tags == null ? null : tags.get("language");
        checks.add(() -> assertEquals(language, ourStream.get("language"), where + "language"));
      }
    }
    Map<?, ?> damage = (Map<?, ?>) ours.get("damage");
    checks.add(() -> assertEquals(0L, damage.get("ccErrors"), "clean clip has no CC errors"));
    checks.add(() -> assertEquals(clip.contains("wrap") ? 1L : 0L, damage.get("timestampWraps"), "wraps"));
    assertAll(clip, checks.stream());
  }

  @Test
  void damagedInputGivesStatisticsNotErrors(@TempDir Path dir) throws Exception {
    byte[] ts = TestMedia.bytes("h264_aac.ts");
    byte[] damaged = SimulatedDamage.insertGarbage(SimulatedDamage.dropEveryNth(
        SimulatedDamage.setTransportErrorIndicator(ts, 97), 0x101, 7), 50, 61, 7);
    damaged = SimulatedDamage.truncate(damaged, damaged.length - 100);
    Path file = dir.resolve("damaged.ts");
    Files.write(file, damaged);
    Map<?, ?> report = (Map<?, ?>) MiniJson.parse(runOk("inspect", file.toString(), "--json"));
    Map<?, ?> d = (Map<?, ?>) report.get("damage");
    assertAll(
        () -> assertTrue((Long) d.get("ccErrors") > 0, "ccErrors"),
        () -> assertTrue((Long) d.get("teiPackets") > 0, "teiPackets"),
        () -> assertTrue((Long) d.get("syncLosses") > 0, "syncLosses"),
        () -> assertTrue((Long) d.get("bytesSkipped") > 0, "bytesSkipped"),
        () -> assertTrue((Long) d.get("truncatedBytes") > 0, "truncatedBytes"));
    String text = runOk("inspect", file.toString());
    assertTrue(text.contains("errors: CC "), text);
  }

  @Test
  void badInputExitsWithTwoAndOneLine(@TempDir Path dir) throws Exception {
    Path garbage = dir.resolve("garbage.ts");
    byte[] bytes = new byte[100_000];
    new java.util.Random(1).nextBytes(bytes);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0x47) {
        bytes[i] = 0;
      }
    }
    Files.write(garbage, bytes);
    Path empty = Files.createFile(dir.resolve("empty.ts"));
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    for (String[] args : new String[][] {
        {"inspect", garbage.toString()}, {"inspect", empty.toString()}, {"inspect", text.toString()},
        {"inspect", dir.resolve("missing.ts").toString()}, {"inspect"}, {"inspect", "--nope", garbage.toString()},
        {"inspect", dir.toString()}}) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = IptvCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
      String message = err.toString();
      assertAll(String.join(" ", args),
          () -> assertEquals(2, code, "exit code"),
          () -> assertEquals(1, message.lines().count(), "one line: " + message),
          () -> assertFalse(message.contains("\tat "), "no stack trace"),
          () -> assertEquals("", out.toString(), "nothing on stdout"));
    }
  }

  private static String codecOf(String ffprobeName) {
    switch (ffprobeName) {
      case "h264": return "H264";
      case "hevc": return "H265";
      case "mpeg2video": return "MPEG2_VIDEO";
      case "aac": return "AAC";
      case "ac3": return "AC3";
      case "eac3": return "EAC3";
      case "mp2": return "MPEG_AUDIO";
      case "mp3": return "MP3";
      default: return ffprobeName;
    }
  }

  private static double rational(String value) {
    String[] parts = value.split("/");
    return Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
  }

  private static Map<?, ?> find(List<?> items, String key, long value) {
    for (Object item : items) {
      Map<?, ?> map = (Map<?, ?>) item;
      if (map.get(key) instanceof Long l && l == value) {
        return map;
      }
    }
    throw new AssertionError("no entry with " + key + "=" + value + " in " + items);
  }

  private static String runOk(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, "exit code of iptv " + String.join(" ", args) + ": " + err);
    return out.toString();
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timeout: " + command);
    assertEquals(0, process.exitValue(), "exit code of " + command);
    return new String(output, StandardCharsets.UTF_8);
  }
}
