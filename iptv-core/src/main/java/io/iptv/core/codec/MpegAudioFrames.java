package io.iptv.core.codec;

/**
 * The MPEG-1/2/2.5 audio frame header (ISO/IEC 11172-3 §2.4.2.3, ISO/IEC 13818-3 §2.4.2.3): sample rate,
 * samples per frame and frame size from the 32-bit header, shared by the reader and the silence generator.
 * Free-format ({@code bitrate_index} 0) and reserved values give 0. Stateless.
 *
 * <pre>{@code
 * int header = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
 * int bytes = MpegAudioFrames.frameBytes(header);   // 0: not a usable frame header
 * }</pre>
 */
public final class MpegAudioFrames {
  private static final int[][] BITRATES = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 layers II, III
  };
  private static final int[] SAMPLE_RATES = {44100, 48000, 32000};

  private MpegAudioFrames() {}

  /**
   * Whether {@code header} is a frame header this class describes: syncword (11), a defined version (2) and
   * layer (2), bitrate_index 1..14 (4), sampling_frequency 0..2 (2).
   */
  public static boolean isValid(int header) {
    return (header & 0xFFE00000) == 0xFFE00000 && version(header) != 1 && layerBits(header) != 0
        && bitrateIndex(header) != 0 && bitrateIndex(header) != 15 && ((header >>> 10) & 3) != 3;
  }

  /** 1, 2 or 3; 0 if the header is not valid. */
  public static int layer(int header) {
    return isValid(header) ? 4 - layerBits(header) : 0;
  }

  /** Whether it is MPEG-1 (version bits 11) rather than MPEG-2 or 2.5. */
  public static boolean isMpeg1(int header) {
    return version(header) == 3;
  }

  /** The sample rate, or 0 if the header is not valid. */
  public static int sampleRate(int header) {
    if (!isValid(header)) {
      return 0;
    }
    int v = version(header);
    return SAMPLE_RATES[(header >>> 10) & 3] >> (v == 3 ? 0 : v == 2 ? 1 : 2);
  }

  /** 384 (layer I), 1152 (layer II, MPEG-1 layer III) or 576 (MPEG-2/2.5 layer III); 0 if not valid. */
  public static int samplesPerFrame(int header) {
    int layer = layer(header);
    return layer == 0 ? 0 : layer == 1 ? 384 : layer == 2 || isMpeg1(header) ? 1152 : 576;
  }

  /** Bytes of the frame, header and padding slot included; 0 if not valid. */
  public static int frameBytes(int header) {
    int layer = layer(header);
    if (layer == 0) {
      return 0;
    }
    boolean mpeg1 = isMpeg1(header);
    int bitrate = 1000 * BITRATES[mpeg1 ? layer - 1 : layer == 1 ? 3 : 4][bitrateIndex(header)];
    int rate = sampleRate(header);
    int padding = (header >>> 9) & 1; // padding_bit (1)
    if (layer == 1) {
      return (12 * bitrate / rate + padding) * 4;
    }
    return (layer == 2 || mpeg1 ? 144 : 72) * bitrate / rate + padding;
  }

  private static int version(int header) {
    return (header >>> 19) & 3; // 00 MPEG-2.5, 01 reserved, 10 MPEG-2, 11 MPEG-1
  }

  private static int layerBits(int header) {
    return (header >>> 17) & 3; // 01 layer III, 10 layer II, 11 layer I
  }

  private static int bitrateIndex(int header) {
    return (header >>> 12) & 0x0F;
  }
}
