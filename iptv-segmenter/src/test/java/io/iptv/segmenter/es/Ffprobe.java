package io.iptv.segmenter.es;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs ffmpeg/ffprobe for the comparison tests. When a tool is missing the test is skipped, except with
 * {@code CI=true}, where it fails (helper-brief rule).
 */
final class Ffprobe {
  private Ffprobe() {}

  private static final Pattern FLAT = Pattern.compile("packets\\.packet\\.(\\d+)\\.(\\w+)=\"?([^\"]*)\"?");

  /** One packet as ffprobe reports it. */
  record Packet(int streamIndex, long pts, long dts, int size, boolean keyframe, String crc32) {
    String line() {
      return pts + " " + dts + " " + size + " " + (keyframe ? "K" : "_") + " " + crc32;
    }
  }

  static void requireTools() {
    boolean present = Files.isExecutable(Path.of("/usr/bin/ffprobe")) || onPath("ffprobe");
    boolean ffmpeg = Files.isExecutable(Path.of("/usr/bin/ffmpeg")) || onPath("ffmpeg");
    if ("true".equals(System.getenv("CI")) && !(present && ffmpeg)) {
      fail("ffmpeg/ffprobe required when CI=true");
    }
    assumeTrue(present && ffmpeg, "ffmpeg/ffprobe not installed");
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command, failing the test on a non-zero exit; returns stdout. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail("command failed: " + command);
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  /** The packets of stream {@code streamIndex} of {@code file}. */
  static List<Packet> packets(Path file, int streamIndex) throws IOException, InterruptedException {
    String flat = run(List.of("ffprobe", "-v", "error", "-show_entries",
        "packet=stream_index,pts,dts,size,flags,data_hash", "-show_data_hash", "CRC32", "-of", "flat",
        file.toString()));
    Map<Integer, Map<String, String>> byPacket = new TreeMap<>();
    for (String line : flat.split("\n")) {
      Matcher m = FLAT.matcher(line.trim());
      if (m.matches()) {
        byPacket.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeMap<>()).put(m.group(2), m.group(3));
      }
    }
    List<Packet> packets = new ArrayList<>();
    for (Map<String, String> p : byPacket.values()) {
      int index = Integer.parseInt(p.get("stream_index"));
      if (index != streamIndex) {
        continue;
      }
      packets.add(new Packet(index, parseTs(p.get("pts")), parseTs(p.get("dts")), Integer.parseInt(p.get("size")),
          p.get("flags").startsWith("K"), p.get("data_hash").replace("CRC32:", "")));
    }
    return packets;
  }

  private static long parseTs(String value) {
    return value == null || value.equals("N/A") ? Long.MIN_VALUE : Long.parseLong(value);
  }
}
