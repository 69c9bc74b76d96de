package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The ffmpeg checks the silent-frame tests share: encode a real stream of a format, decode repeated silence
 * as exact silence, decode silence spliced between real frames without an error. ffmpeg runs with
 * {@code -err_detect crccheck+bitstream}.
 */
final class SilenceDecodeCheck {
  private final String ffmpeg = ExternalTools.requireFfmpeg();
  private final Path dir;
  private final String format;

  /** Checks in {@code dir} for raw streams of ffmpeg muxer {@code format} (ac3, eac3, mp2, mp3). */
  SilenceDecodeCheck(Path dir, String format) {
    this.dir = dir;
    this.format = format;
  }

  /** One second of a 440 Hz tone at {@code rate} and {@code layout}, encoded by {@code codecOptions}. */
  byte[] encode(int rate, String layout, String... codecOptions) throws Exception {
    Path real = dir.resolve("real." + format);
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=" + rate + ":duration=1", "-af", "aformat=channel_layouts=" + layout));
    command.addAll(List.of(codecOptions));
    command.addAll(List.of("-f", format, real.toString()));
    SlateMediaTest.run(command.toArray(String[]::new));
    return Files.readAllBytes(real);
  }

  /** 50 copies of {@code silence} decode without an error to 50 × {@code samplesPerFrame} samples of silence. */
  void assertDecodesAsSilence(ByteSlice silence, int samplesPerFrame, int channels) throws Exception {
    Path silent = dir.resolve("silence." + format);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      out.write(silence.toByteArray());
    }
    Files.write(silent, out.toByteArray());
    String decoded = SlateMediaTest.run(ffmpeg, "-nostdin", "-v", "info", "-err_detect", "crccheck+bitstream",
        "-i", silent.toString(), "-af", "volumedetect", "-f", "null", "-");
    assertTrue(decoded.contains("max_volume: -91.0 dB") || decoded.contains("max_volume: -inf dB"), decoded);
    assertTrue(decoded.contains("n_samples: " + 50 * samplesPerFrame * channels), decoded);
    assertTrue(!decoded.contains("rror"), decoded);
  }

  /**
   * Ten real frames of {@code stream}, 20 copies of {@code silence}, the rest of the stream decode without an
   * error; {@code frameBytes} gives the size of the frame at an offset (sizes may alternate, 44.1 kHz).
   */
  void assertSplicesCleanly(byte[] stream, IntUnaryOperator frameBytes, ByteSlice silence) throws Exception {
    int tenFrames = 0;
    for (int i = 0; i < 10; i++) {
      tenFrames += frameBytes.applyAsInt(tenFrames);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(stream, 0, tenFrames);
    for (int i = 0; i < 20; i++) {
      out.write(silence.toByteArray());
    }
    out.write(stream, tenFrames, stream.length - tenFrames);
    Path spliced = dir.resolve("spliced." + format);
    Files.write(spliced, out.toByteArray());
    assertEquals("", SlateMediaTest.run(ffmpeg, "-nostdin", "-v", "error", "-err_detect", "crccheck+bitstream",
        "-i", spliced.toString(), "-f", "null", "-").strip());
  }
}
