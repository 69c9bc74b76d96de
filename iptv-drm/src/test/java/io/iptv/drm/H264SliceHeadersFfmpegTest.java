package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle test: the slice header lengths {@link H264SliceHeaders} measures on real x264 output (CABAC, B-frames,
 * the committed {@code h264_aac.ts}) equal the end of the last slice header field in FFmpeg's
 * {@code trace_headers} bitstream filter (bit positions in the RBSP, NAL header included).
 *
 * <p>Needs ffmpeg: skipped without it, failed when {@code CI=true}.
 */
class H264SliceHeadersFfmpegTest {
  /** A trace line: bit position, field name, the bits as written. */
  private static final Pattern FIELD = Pattern.compile("\\]\\s+(\\d+)\\s+([a-z_0-9\\[\\]]+)\\s+([01]+) = ");

  @TempDir
  Path dir;

  @Test
  void everySliceHeaderEndsWhereFfmpegSaysItDoes() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path annexB = dir.resolve("video.h264");
    Process extract = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i",
        TestMedia.path("h264_aac.ts").toString(), "-map", "0:v", "-c", "copy", "-f", "h264", annexB.toString())
        .redirectErrorStream(true).start();
    String extractLog = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(extract.waitFor(60, TimeUnit.SECONDS) && extract.exitValue() == 0, extractLog);
    Process trace = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "trace", "-i", annexB.toString(), "-c", "copy",
        "-bsf:v", "trace_headers", "-f", "null", "-").redirectErrorStream(true).start();
    List<String> lines = new String(trace.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(trace.waitFor(60, TimeUnit.SECONDS));

    List<Integer> expectedBits = new ArrayList<>(); // per slice: end of its header in bits, NAL header included
    boolean inSlice = false;
    int end = -1;
    for (String line : lines) {
      if (!line.contains("[trace_headers")) {
        continue;
      }
      Matcher m = FIELD.matcher(line);
      if (line.endsWith("Slice Header")) {
        inSlice = true;
        end = -1;
      } else if (inSlice && m.find()) {
        end = Integer.parseInt(m.group(1)) + m.group(3).length();
      } else if (inSlice) {
        expectedBits.add(end);
        inSlice = false;
      }
    }
    if (inSlice) {
      expectedBits.add(end);
    }

    byte[] stream = Files.readAllBytes(annexB);
    H264SliceHeaders headers = new H264SliceHeaders();
    List<Integer> measured = new ArrayList<>();
    List<int[]> nals = nalUnits(stream);
    for (int[] nal : nals) {
      int type = stream[nal[0]] & 0x1F;
      if (type == 7 || type == 8) {
        headers.addParameterSet(stream, nal[0], nal[1]);
      } else if (type == 1 || type == 5) {
        int escaped = headers.headerBytes(stream, nal[0], nal[1]);
        measured.add(escaped < 0 ? -1 : escaped - escapesIn(stream, nal[0], escaped)); // back to RBSP bytes
      }
    }
    assertTrue(expectedBits.size() >= 70, "slices traced: " + expectedBits.size());
    List<Integer> expectedBytes = expectedBits.stream().map(bits -> (bits + 7) / 8).toList();
    assertEquals(expectedBytes, measured);
  }

  /** (offset, length) of each NAL unit after a 00 00 01 start code, trailing zeros trimmed. */
  private static List<int[]> nalUnits(byte[] b) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 2 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        starts.add(i + 3);
        i += 2;
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int k = 0; k < starts.size(); k++) {
      int from = starts.get(k);
      int to = k + 1 < starts.size() ? starts.get(k + 1) - 3 : b.length;
      while (to > from && b[to - 1] == 0) {
        to--;
      }
      out.add(new int[] {from, to - from});
    }
    return out;
  }

  /** Emulation prevention bytes (00 00 03) among the first {@code length} bytes from {@code from}. */
  private static int escapesIn(byte[] b, int from, int length) {
    int count = 0;
    for (int i = from + 2; i < from + length; i++) {
      if (b[i] == 3 && b[i - 1] == 0 && b[i - 2] == 0) {
        count++;
      }
    }
    return count;
  }
}
