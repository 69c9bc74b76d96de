package io.iptv.core.codec;

/**
 * The AC-3 / E-AC-3 syncframe tables (ATSC A/52 §5.4.1 and Annex E §E.1.3.1): sample rate by {@code fscod},
 * frame size by {@code fscod} and {@code frmsizecod} (Table 5.18), full-bandwidth channels by {@code acmod}
 * (Table 5.8), audio blocks by {@code numblkscod} (Table E1.3); shared by the reader, the MP4 sample-entry
 * writer and the silence generator. Stateless.
 *
 * <pre>{@code
 * int rate = Ac3SyncFrames.sampleRate(0);          // 48000
 * int bytes = Ac3SyncFrames.frameBytes(0, 28);     // 384 kbit/s at 48 kHz: 1536 bytes
 * }</pre>
 */
public final class Ac3SyncFrames {
  /** PCM samples per AC-3 syncframe (six audio blocks of 256). */
  public static final int AC3_SAMPLES_PER_FRAME = 1536;

  private static final int[] SAMPLE_RATES = {48000, 44100, 32000};
  /** Nominal bit rates in kbit/s by frmsizecod / 2 (A/52 Table 5.18). */
  private static final int[] BITRATES = {
    32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640
  };
  private static final int[] CHANNELS = {2, 1, 2, 3, 3, 4, 4, 5};
  private static final int[] EAC3_BLOCKS = {1, 2, 3, 6};

  private Ac3SyncFrames() {}

  /** The sample rate of {@code fscod} 0..2, or 0 for the reserved value 3. */
  public static int sampleRate(int fscod) {
    return fscod >= 0 && fscod < SAMPLE_RATES.length ? SAMPLE_RATES[fscod] : 0;
  }

  /**
   * Bytes of an AC-3 syncframe with this {@code fscod} and {@code frmsizecod} (A/52 Table 5.18: 2 bytes per
   * word), or 0 if either is reserved.
   */
  public static int frameBytes(int fscod, int frmsizecod) {
    if (fscod < 0 || fscod > 2 || frmsizecod < 0 || frmsizecod >= 2 * BITRATES.length) {
      return 0;
    }
    int bitrate = BITRATES[frmsizecod >> 1];
    int words = switch (fscod) {
      case 0 -> bitrate * 2;
      case 1 -> bitrate * 320 / 147 + (frmsizecod & 1); // floor(bitrate * 1536000 / 44100 / 16)
      default -> bitrate * 3;
    };
    return words * 2;
  }

  /** Full-bandwidth channels of {@code acmod} 0..7 (1+1 dual mono counts two). */
  public static int fullBandwidthChannels(int acmod) {
    return CHANNELS[acmod & 7];
  }

  /** Audio blocks per E-AC-3 frame of {@code numblkscod} 0..3. */
  public static int eac3Blocks(int numblkscod) {
    return EAC3_BLOCKS[numblkscod & 3];
  }

  /**
   * The sample rate of an E-AC-3 frame from its {@code fscod} and the two bits after it ({@code fscod2} when
   * {@code fscod} is 3, a half rate, Table E1.3; else {@code numblkscod}); 0 for a reserved {@code fscod2}.
   */
  public static int eac3SampleRate(int fscod, int fscod2OrNumblkscod) {
    return fscod == 3 ? sampleRate(fscod2OrNumblkscod) / 2 : sampleRate(fscod);
  }

  /** Audio blocks of an E-AC-3 frame from the same two fields: always 6 with {@code fscod} 3. */
  public static int eac3BlocksPerFrame(int fscod, int fscod2OrNumblkscod) {
    return fscod == 3 ? 6 : eac3Blocks(fscod2OrNumblkscod);
  }
}
