package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.codec.MpegAudioFrames;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Silent MPEG audio frames built from real ffmpeg-encoded frames decode in ffmpeg as exact silence of the
 * template's format; layer II silence spliced between real frames decodes without an error.
 */
class SilentMpegAudioFrameTest {
  @ParameterizedTest
  @CsvSource({
    "mp2, 48000, stereo, 192k",
    "mp2, 44100, mono, 64k", // 44.1 kHz: padded and unpadded frames
    "mp2, 24000, stereo, 64k", // MPEG-2 (half rate)
    "libmp3lame, 48000, stereo, 128k",
    "libmp3lame, 22050, mono, 32k" // MPEG-2 layer III: 576 samples per frame
  })
  void silenceShapedLikeARealFrameDecodesAsSilence(String encoder, int rate, String layout, String bitrate,
      @TempDir Path dir) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    boolean mp3 = encoder.equals("libmp3lame");
    Path real = dir.resolve(mp3 ? "real.mp3" : "real.mp2");
    SlateMediaTest.run(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=" + rate + ":duration=1", "-af", "aformat=channel_layouts=" + layout,
        "-c:a", encoder, "-b:a", bitrate, "-write_xing", "0", "-id3v2_version", "0", "-f", mp3 ? "mp3" : "mp2",
        real.toString());
    byte[] stream = Files.readAllBytes(real);
    ByteSlice first = ByteSlice.wrap(stream, 0, frameBytes(stream, 0));
    ByteSlice silence = SilentMpegAudioFrame.like(first);
    assertNotNull(silence);
    int samples = MpegAudioFrames.samplesPerFrame(header(stream, 0));
    assertEquals(mp3 && rate < 32000 ? 576 : 1152, samples);
    assertEquals(samples * 90_000.0 / rate, SilentMpegAudioFrame.duration90k(silence), 1e-9);

    Path silent = dir.resolve(mp3 ? "silence.mp3" : "silence.mp2");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      out.write(silence.toByteArray());
    }
    Files.write(silent, out.toByteArray());
    String decoded = SlateMediaTest.run(ffmpeg, "-nostdin", "-v", "info", "-err_detect", "crccheck+bitstream",
        "-i", silent.toString(), "-af", "volumedetect", "-f", "null", "-");
    assertTrue(decoded.contains("max_volume: -91.0 dB") || decoded.contains("max_volume: -inf dB"), decoded);
    assertTrue(decoded.contains("n_samples: " + 50 * samples * (layout.equals("mono") ? 1 : 2)), decoded);
    assertTrue(!decoded.contains("rror"), decoded);

    if (!mp3) { // layer II has no bit reservoir: real, silence, real decodes cleanly
      Path spliced = dir.resolve("spliced.mp2");
      out.reset();
      int half = 0;
      for (int i = 0; i < 10; i++) {
        half += frameBytes(stream, half);
      }
      out.write(stream, 0, half);
      for (int i = 0; i < 20; i++) {
        out.write(silence.toByteArray());
      }
      out.write(stream, half, stream.length - half);
      Files.write(spliced, out.toByteArray());
      assertEquals("", SlateMediaTest.run(ffmpeg, "-nostdin", "-v", "error", "-err_detect", "crccheck+bitstream",
          "-i", spliced.toString(), "-f", "null", "-").strip());
    }
  }

  @Test
  void somethingThatIsNoCompleteFrameGivesNoSilence() {
    byte[] frame = new byte[576]; // MPEG-1 layer II, 192 kbit/s, 48 kHz
    frame[0] = (byte) 0xFF;
    frame[1] = (byte) 0xFD; // MPEG-1, layer II, protection_bit 1
    frame[2] = (byte) 0xA4; // bitrate_index 10, sampling_frequency 1
    assertNotNull(SilentMpegAudioFrame.like(ByteSlice.wrap(frame)));
    assertNull(SilentMpegAudioFrame.like(ByteSlice.wrap(frame, 0, 575)), "truncated");
    frame[2] = (byte) 0x04; // free format
    assertNull(SilentMpegAudioFrame.like(ByteSlice.wrap(frame)), "free format");
    assertNull(SilentMpegAudioFrame.like(ByteSlice.wrap(new byte[] {0x0B, 0x77, 0})), "no header");
  }

  private static int header(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static int frameBytes(byte[] stream, int at) {
    return MpegAudioFrames.frameBytes(header(stream, at));
  }
}
