package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iptv.core.io.ByteSlice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Silent E-AC-3 frames built from real ffmpeg-encoded frames (with and without mixing and informational
 * metadata in their bsi()) decode in ffmpeg, with its CRC and bitstream checks on, as exact silence, also
 * spliced between real frames.
 */
class SilentEac3FrameTest {
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "48000; stereo; 192k; ",
    "48000; 5.1; 384k; ",
    "44100; mono; 96k; ",
    "32000; 3.0; 128k; ",
    "48000; 5.1; 448k; -dmix_mode ltrt -ltrt_cmixlev 0.707 -loro_surmixlev 0.5 -mixing_level 90 -room_type small",
    "48000; stereo; 256k; -dsur_mode on -dheadphone_mode on -ad_conv_type hdcd -mixing_level 95 -room_type small"
        + " -copyright 1 -original 0",
    "48000; 2.1; 192k; -dialnorm -24 -mixing_level 100 -room_type large"
  })
  void silenceShapedLikeARealFrameDecodesAsSilence(int rate, String layout, String bitrate, String metadata,
      @TempDir Path dir) throws Exception {
    SilenceDecodeCheck check = new SilenceDecodeCheck(dir, "eac3");
    List<String> options = new ArrayList<>(List.of("-c:a", "eac3", "-b:a", bitrate));
    if (metadata != null) {
      options.addAll(List.of(metadata.strip().split(" +")));
    }
    byte[] stream = check.encode(rate, layout, options.toArray(String[]::new));
    ByteSlice first = ByteSlice.wrap(stream, 0, frameBytes(stream, 0));
    ByteSlice silence = SilentEac3Frame.like(first);
    assertNotNull(silence, "no silent frame for " + layout);
    assertEquals(first.length(), silence.length(), "same frame size");
    int blocks = (first.byteAt(4) >> 6) == 3 ? 6 : new int[] {1, 2, 3, 6}[(first.byteAt(4) >> 4) & 3];
    assertEquals(256.0 * blocks * 90_000 / rate, SilentEac3Frame.duration90k(silence), 1e-9);
    check.assertDecodesAsSilence(silence, 256 * blocks, channels(layout));
    check.assertSplicesCleanly(stream, at -> frameBytes(stream, at), silence);
  }

  @Test
  void onlyWholeIndependentFramesGetSilence() {
    byte[] frame = new byte[768];
    frame[0] = 0x0B;
    frame[1] = 0x77;
    frame[2] = 0x01; // strmtyp 0, substreamid 0, frmsiz 383 (768 bytes)
    frame[3] = (byte) 0x7F;
    frame[4] = 0x34; // fscod 0, numblkscod 3, acmod 2, lfeon 0
    frame[5] = (byte) (16 << 3); // bsid 16
    assertNotNull(SilentEac3Frame.like(ByteSlice.wrap(frame)));
    assertNull(SilentEac3Frame.like(ByteSlice.wrap(frame, 0, 767)), "truncated");
    byte[] withDependent = java.util.Arrays.copyOf(frame, 1536);
    assertNull(SilentEac3Frame.like(ByteSlice.wrap(withDependent)), "a sample with a dependent substream");
    byte[] dependent = frame.clone();
    dependent[2] = 0x41; // strmtyp 1
    assertNull(SilentEac3Frame.like(ByteSlice.wrap(dependent)), "dependent substream");
    byte[] ac3 = frame.clone();
    ac3[5] = (byte) (8 << 3);
    assertNull(SilentEac3Frame.like(ByteSlice.wrap(ac3)), "AC-3");
  }

  private static int frameBytes(byte[] stream, int at) {
    return (((stream[at + 2] & 0x07) << 8 | (stream[at + 3] & 0xFF)) + 1) * 2;
  }

  private static int channels(String layout) {
    return switch (layout) {
      case "mono" -> 1;
      case "stereo" -> 2;
      case "2.1", "3.0" -> 3;
      default -> 6;
    };
  }
}
