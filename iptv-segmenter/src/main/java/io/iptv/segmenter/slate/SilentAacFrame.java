package io.iptv.segmenter.slate;

import io.iptv.core.codec.AacSamplingFrequencies;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;

/**
 * One silent AAC-LC frame (1024 samples) in ADTS framing, for a given sample rate and channel configuration:
 * the audio of a slate. The raw_data_block holds, per channel element, an individual_channel_stream with
 * {@code max_sfb = 0} (no scale-factor band coded, so every spectral coefficient is zero: silence) and ends
 * with {@code ID_END} (ISO/IEC 14496-3 §4.4.2.1, §4.6.2.3). Immutable bytes, built once per format.
 *
 * <pre>{@code
 * ByteSlice frame = SilentAacFrame.adts(48_000, 2);   // 7-byte ADTS header + 8 bytes
 * long duration90k = SilentAacFrame.duration90k(48_000);
 * }</pre>
 */
public final class SilentAacFrame {
  private static final int ID_SCE = 0;
  private static final int ID_CPE = 1;
  private static final int ID_LFE = 3;
  private static final int ID_END = 7;

  private SilentAacFrame() {}

  /** Whether a silent frame can be built for this format (a standard rate, channel_configuration 1..7). */
  public static boolean isSupported(int sampleRate, int channels) {
    return AacSamplingFrequencies.index(sampleRate) >= 0 && channelConfiguration(channels) > 0;
  }

  /** The ADTS frame (header without CRC + raw_data_block) of 1024 silent samples. */
  public static ByteSlice adts(int sampleRate, int channels) {
    int rateIndex = AacSamplingFrequencies.index(sampleRate);
    int config = channelConfiguration(channels);
    Preconditions.requireArgument(rateIndex >= 0, "no AAC sampling_frequency_index for %s Hz", sampleRate);
    Preconditions.requireArgument(config > 0, "no AAC channel_configuration for %s channels", channels);
    byte[] raw = rawDataBlock(config);
    int length = 7 + raw.length;
    BitWriter b = new BitWriter(length);
    // adts_fixed_header() (ISO/IEC 13818-7 §6.2.1 / 14496-3 §1.A.2.2.1)
    b.put(0xFFF, 12); // syncword
    b.put(0, 1); // ID: MPEG-4
    b.put(0, 2); // layer
    b.put(1, 1); // protection_absent: no CRC
    b.put(1, 2); // profile_ObjectType: AAC LC (object type 2) - 1
    b.put(rateIndex, 4); // sampling_frequency_index
    b.put(0, 1); // private_bit
    b.put(config, 3); // channel_configuration
    b.put(0, 1); // original_copy
    b.put(0, 1); // home
    // adts_variable_header()
    b.put(0, 1); // copyright_identification_bit
    b.put(0, 1); // copyright_identification_start
    b.put(length, 13); // aac_frame_length, header included
    b.put(0x7FF, 11); // adts_buffer_fullness: variable rate
    b.put(0, 2); // number_of_raw_data_blocks_in_frame: one block
    byte[] out = b.bytes();
    System.arraycopy(raw, 0, out, 7, raw.length);
    return ByteSlice.wrap(out);
  }

  /** The duration of one frame, 1024 samples, in 90 kHz ticks (rounded down). */
  public static long duration90k(int sampleRate) {
    return 1024L * 90_000L / sampleRate;
  }

  /** raw_data_block() of silent channel elements for channel_configuration {@code config} (Table 1.19). */
  private static byte[] rawDataBlock(int config) {
    int[] elements = switch (config) {
      case 1 -> new int[] {ID_SCE};
      case 2 -> new int[] {ID_CPE};
      case 3 -> new int[] {ID_SCE, ID_CPE};
      case 4 -> new int[] {ID_SCE, ID_CPE, ID_SCE};
      case 5 -> new int[] {ID_SCE, ID_CPE, ID_CPE};
      case 6 -> new int[] {ID_SCE, ID_CPE, ID_CPE, ID_LFE};
      default -> new int[] {ID_SCE, ID_CPE, ID_CPE, ID_CPE, ID_LFE};
    };
    BitWriter b = new BitWriter(32);
    int[] tags = new int[8];
    for (int id : elements) {
      b.put(id, 3); // id_syn_ele
      b.put(tags[id]++, 4); // element_instance_tag
      if (id == ID_CPE) {
        b.put(0, 1); // common_window: each channel has its own ics_info
        silentIcs(b);
        silentIcs(b);
      } else {
        silentIcs(b);
      }
    }
    b.put(ID_END, 3);
    return java.util.Arrays.copyOf(b.bytes(), b.byteLength());
  }

  /** individual_channel_stream(common_window = 0) with no band coded (§4.6.2.3). */
  private static void silentIcs(BitWriter b) {
    b.put(100, 8); // global_gain (any value: no band uses it)
    // ics_info()
    b.put(0, 1); // ics_reserved_bit
    b.put(0, 2); // window_sequence: ONLY_LONG_SEQUENCE
    b.put(0, 1); // window_shape
    b.put(0, 6); // max_sfb: no scale-factor band, so section_data and scale_factor_data are empty
    b.put(0, 1); // predictor_data_present
    b.put(0, 1); // pulse_data_present
    b.put(0, 1); // tns_data_present
    b.put(0, 1); // gain_control_data_present
  }

  private static int channelConfiguration(int channels) {
    return switch (channels) {
      case 1, 2, 3, 4, 5, 6 -> channels;
      case 8 -> 7;
      default -> 0;
    };
  }
}
