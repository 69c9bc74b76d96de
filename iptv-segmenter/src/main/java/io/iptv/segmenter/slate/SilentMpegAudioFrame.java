package io.iptv.segmenter.slate;

import io.iptv.core.codec.MpegAudioFrames;
import io.iptv.core.io.ByteSlice;

/**
 * One silent MPEG-1/2 audio frame (layers I, II, III) shaped like a real frame of a track: the same header
 * (version, layer, bit rate, sample rate, mode), without CRC, and every bit after it zero. In layers I and II
 * that is an {@code allocation} of 0 in every subband, so no scale factor and no sample follows (ISO/IEC
 * 11172-3 §2.4.1.5–2.4.1.6): silence. In layer III it is side information with {@code main_data_begin = 0}
 * and {@code part2_3_length = 0} in every granule (§2.4.1.7): no Huffman data, silence; the first real frame
 * after inserted silence may point back into a bit reservoir the silence did not fill, which a decoder treats
 * as the loss it replaces (one frame). What fills an MP2/MP3 hole in a live channel, as {@link SilentAacFrame}
 * does for AAC. Stateless.
 *
 * <pre>{@code
 * ByteSlice silence = SilentMpegAudioFrame.like(realFrame);   // null if realFrame has no valid header
 * double duration90k = SilentMpegAudioFrame.duration90k(realFrame);
 * }</pre>
 */
public final class SilentMpegAudioFrame {
  private SilentMpegAudioFrame() {}

  /** A silent frame with {@code template}'s header, or null if {@code template} is no complete frame. */
  public static ByteSlice like(ByteSlice template) {
    int header = header(template);
    int bytes = MpegAudioFrames.frameBytes(header);
    if (bytes == 0 || template.length() < bytes) {
      return null;
    }
    byte[] frame = new byte[bytes];
    int silent = header | 1 << 16; // protection_bit (1) = 1: no CRC
    frame[0] = (byte) (silent >>> 24);
    frame[1] = (byte) (silent >>> 16);
    frame[2] = (byte) (silent >>> 8);
    frame[3] = (byte) silent;
    return ByteSlice.wrap(frame);
  }

  /** The duration of one frame of {@code frame}'s format in 90 kHz ticks (not rounded); 0 if no valid header. */
  public static double duration90k(ByteSlice frame) {
    int header = header(frame);
    int rate = MpegAudioFrames.sampleRate(header);
    return rate == 0 ? 0 : MpegAudioFrames.samplesPerFrame(header) * 90_000.0 / rate;
  }

  private static int header(ByteSlice s) {
    return s.length() < 4 ? 0
        : s.byteAt(0) << 24 | s.byteAt(1) << 16 | s.byteAt(2) << 8 | s.byteAt(3);
  }
}
