package io.iptv.core.codec;

/**
 * The AAC sampling_frequency_index table (ISO/IEC 14496-3 Table 1.18), shared by ADTS headers,
 * AudioSpecificConfig and anything that writes either. Stateless.
 *
 * <pre>{@code
 * int rate = AacSamplingFrequencies.rate(3);        // 48000
 * int index = AacSamplingFrequencies.index(44_100); // 4
 * }</pre>
 */
public final class AacSamplingFrequencies {
  private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
      8000, 7350};

  private AacSamplingFrequencies() {}

  /** The rate of sampling_frequency_index {@code index}, or 0 for a reserved or escape index (13..15). */
  public static int rate(int index) {
    return index >= 0 && index < RATES.length ? RATES[index] : 0;
  }

  /** The sampling_frequency_index of {@code sampleRate}, or -1 if the table has no such rate. */
  public static int index(int sampleRate) {
    for (int i = 0; i < RATES.length; i++) {
      if (RATES[i] == sampleRate) {
        return i;
      }
    }
    return -1;
  }
}
