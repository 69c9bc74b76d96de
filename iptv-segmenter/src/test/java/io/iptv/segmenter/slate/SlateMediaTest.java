package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The slate's elementary streams decode with ffmpeg without errors, at the requested format. */
class SlateMediaTest {
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text;
  }

  @ParameterizedTest
  @CsvSource({"320,180", "640,360"})
  void gopDecodesAtTheRequestedSizeAndRepeats(int width, int height, @TempDir Path dir) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    String ffprobe = ExternalTools.requireFfprobe();
    List<ByteSlice> gop = SlateEncoder.encodeGop(width, height, 25);
    assertEquals(25, gop.size());
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int repeat = 0; repeat < 3; repeat++) {
      for (ByteSlice au : gop) {
        stream.write(au.toByteArray());
      }
    }
    Path file = dir.resolve("slate.h264");
    Files.write(file, stream.toByteArray());
    assertEquals("", run(ffmpeg, "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-").strip());
    String probe = run(ffprobe, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=width,height,nb_read_frames,codec_name", "-of", "csv=p=0", file.toString()).strip();
    assertEquals("h264," + width + "," + height + ",75", probe);
    int keyframes = 0;
    for (String line : run(ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame",
        "-of", "csv=p=0", file.toString()).strip().split("\n")) {
      keyframes += line.strip().equals("1") ? 1 : 0;
    }
    assertEquals(3, keyframes, "one IDR per GOP");
  }

  @ParameterizedTest
  @CsvSource({"48000,2", "44100,1", "48000,6", "32000,2"})
  void silentAacDecodesAsSilence(int sampleRate, int channels, @TempDir Path dir) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    ByteSlice frame = SilentAacFrame.adts(sampleRate, channels);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int i = 0; i < 100; i++) {
      stream.write(frame.toByteArray());
    }
    Path file = dir.resolve("silence.aac");
    Files.write(file, stream.toByteArray());
    String out = run(ffmpeg, "-nostdin", "-v", "info", "-i", file.toString(), "-af", "volumedetect", "-f", "null",
        "-");
    assertTrue(out.contains(sampleRate + " Hz"), out);
    List<String> errors = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.toLowerCase().contains("error") || line.contains("Invalid")) {
        errors.add(line);
      }
    }
    assertEquals(List.of(), errors);
    assertTrue(out.contains("max_volume: -91.0 dB") || out.contains("max_volume: -inf dB"), out);
    assertTrue(out.contains("n_samples: " + 100 * 1024 * channels), out);
  }
}
