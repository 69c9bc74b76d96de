package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iptv.core.codec.MpegAudioFrames;
import io.iptv.core.io.ByteSlice;
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
    boolean mp3 = encoder.equals("libmp3lame");
    SilenceDecodeCheck check = new SilenceDecodeCheck(dir, mp3 ? "mp3" : "mp2");
    byte[] stream = check.encode(rate, layout, "-c:a", encoder, "-b:a", bitrate, "-write_xing", "0",
        "-id3v2_version", "0");
    ByteSlice first = ByteSlice.wrap(stream, 0, frameBytes(stream, 0));
    ByteSlice silence = SilentMpegAudioFrame.like(first);
    assertNotNull(silence);
    int samples = MpegAudioFrames.samplesPerFrame(header(stream, 0));
    assertEquals(mp3 && rate < 32000 ? 576 : 1152, samples);
    assertEquals(samples * 90_000.0 / rate, SilentMpegAudioFrame.duration90k(silence), 1e-9);
    check.assertDecodesAsSilence(silence, samples, layout.equals("mono") ? 1 : 2);
    if (!mp3) { // layer II has no bit reservoir: real, silence, real decodes cleanly
      check.assertSplicesCleanly(stream, at -> frameBytes(stream, at), silence);
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
