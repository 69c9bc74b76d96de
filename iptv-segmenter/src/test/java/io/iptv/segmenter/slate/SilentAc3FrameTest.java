package io.iptv.segmenter.slate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iptv.core.codec.Ac3SyncFrames;
import io.iptv.core.io.ByteSlice;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Silent AC-3 frames built from real ffmpeg-encoded frames decode in ffmpeg, with its CRC and bitstream checks
 * on, as exact silence of the template's format, also spliced between real frames.
 */
class SilentAc3FrameTest {
  @ParameterizedTest
  @CsvSource({
    "48000, stereo, 192k", // acmod 2: dsurmod, rematrixing flags
    "48000, 5.1, 384k", // acmod 7 + LFE: cmixlev, surmixlev
    "44100, mono, 96k", // 44.1 kHz: frame sizes alternate (frmsizecod odd/even)
    "32000, 2.1, 64k", // acmod 2 + LFE at the smallest frame of the set
    "48000, 3.0, 640k", // acmod 3 at the largest frame size
    "48000, quad, 256k" // acmod 6
  })
  void silenceShapedLikeARealFrameDecodesAsSilence(int rate, String layout, String bitrate, @TempDir Path dir)
      throws Exception {
    SilenceDecodeCheck check = new SilenceDecodeCheck(dir, "ac3");
    byte[] stream = check.encode(rate, layout, "-c:a", "ac3", "-b:a", bitrate);
    ByteSlice first = ByteSlice.wrap(stream, 0, frameBytes(stream, 0));
    ByteSlice silence = SilentAc3Frame.like(first);
    assertNotNull(silence, "no silent frame for " + layout);
    assertEquals(first.length(), silence.length(), "same frame size");
    assertEquals(first.slice(4, 2), silence.slice(4, 2), "same fscod, frmsizecod, bsid");
    assertEquals(1536 * 90_000.0 / rate, SilentAc3Frame.duration90k(silence), 1e-9);
    // ffmpeg checks only the whole-frame CRC (crc2); crc1 covers the first 5/8 of the frame (A/52 §5.4.1): the
    // syndrome over it is zero in ffmpeg's real frame and must be in ours
    int crc1End = ((first.length() >> 2) + (first.length() >> 4)) << 1;
    assertEquals(0, SilentAc3Frame.crc16(first.toByteArray(), 2, crc1End, 0), "crc1 of the real frame");
    assertEquals(0, SilentAc3Frame.crc16(silence.toByteArray(), 2, crc1End, 0), "crc1");
    check.assertDecodesAsSilence(silence, 1536, channels(layout));
    check.assertSplicesCleanly(stream, at -> frameBytes(stream, at), silence);
  }

  /** The smallest frame (128 bytes) with a 3/2 + LFE layout and 64 bytes of additional bsi leaves no room. */
  @Test
  void aFrameTooSmallForItsBsiAndTheSilenceGivesNone() {
    BitWriter b = new BitWriter(128);
    b.put(0x0B77, 16); // syncword
    b.put(0, 16); // crc1
    b.put(0, 8); // fscod 0, frmsizecod 0: 32 kbit/s at 48 kHz, 128 bytes
    b.put(8, 5); // bsid
    b.put(0, 3); // bsmod
    b.put(7, 3); // acmod 3/2
    b.put(0, 4); // cmixlev, surmixlev
    b.put(1, 1); // lfeon
    b.put(31, 5); // dialnorm
    b.put(0, 5); // compre, langcode, audprodie, copyrightb, origbs
    b.put(0, 2); // timecod1e, timecod2e
    b.put(1, 1); // addbsie
    b.put(63, 6); // addbsil: 64 bytes of addbsi follow (zeros)
    assertNull(SilentAc3Frame.like(ByteSlice.wrap(b.bytes())));
  }

  @Test
  void somethingThatIsNoCompleteAc3FrameGivesNoSilence() {
    byte[] frame = new byte[768]; // 48 kHz, 192 kbit/s
    frame[0] = 0x0B;
    frame[1] = 0x77;
    frame[4] = 20; // fscod 0, frmsizecod 20
    frame[5] = 8 << 3; // bsid 8
    assertNotNull(SilentAc3Frame.like(ByteSlice.wrap(frame)));
    assertNull(SilentAc3Frame.like(ByteSlice.wrap(frame, 0, 767)), "truncated");
    assertNull(SilentAc3Frame.like(ByteSlice.wrap(new byte[] {0x0B, 0x77, 0, 0, (byte) 0xC0, 0x40, 0, 0})),
        "reserved fscod");
    byte[] eac3 = Arrays.copyOf(frame, frame.length);
    eac3[5] = (byte) (16 << 3);
    assertNull(SilentAc3Frame.like(ByteSlice.wrap(eac3)), "E-AC-3");
    assertNull(SilentAc3Frame.like(ByteSlice.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})), "no syncword");
  }

  private static int frameBytes(byte[] stream, int at) {
    return Ac3SyncFrames.frameBytes((stream[at + 4] & 0xFF) >> 6, stream[at + 4] & 0x3F);
  }

  private static int channels(String layout) {
    return switch (layout) {
      case "mono" -> 1;
      case "stereo" -> 2;
      case "2.1", "3.0" -> 3;
      case "quad" -> 4;
      default -> 6;
    };
  }
}
