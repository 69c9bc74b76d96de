package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * Prefixes each raw AAC frame with a 7-byte ADTS header (ISO/IEC 13818-7 §6.2.1 / ISO/IEC 14496-3
 * §1.A.2.2, protection_absent = 1) built from the track's {@link AudioSpecificConfig}. Immutable.
 */
final class AdtsFramer implements PayloadConverter {
  static final int HEADER_BYTES = 7;
  static final int MAX_FRAME_LENGTH = (1 << 13) - 1;
  private final AudioSpecificConfig config;

  AdtsFramer(AudioSpecificConfig config) {
    this.config = config;
  }

  @Override
  public ByteSlice convert(byte[] sample, int length) throws MediaException {
    int frameLength = length + HEADER_BYTES;
    if (frameLength > MAX_FRAME_LENGTH) {
      throw MediaException.malformed("AAC frame of " + length + " bytes does not fit an ADTS frame");
    }
    byte[] out = new byte[frameLength];
    int profile = config.coreObjectType() - 1;
    int sfi = config.samplingFrequencyIndex();
    int channels = config.channelConfiguration();
    out[0] = (byte) 0xFF; // syncword (12) = 0xFFF
    out[1] = (byte) 0xF1; // ... ID (1) = 0 (MPEG-4), layer (2) = 0, protection_absent (1) = 1
    // profile_ObjectType (2), sampling_frequency_index (4), private_bit (1), channel_configuration (3, high bit)
    out[2] = (byte) ((profile << 6) | (sfi << 2) | (channels >> 2));
    // channel_configuration (low 2), original_copy (1), home (1), copyright bits (2), aac_frame_length (13, top 2)
    out[3] = (byte) (((channels & 3) << 6) | (frameLength >> 11));
    out[4] = (byte) (frameLength >> 3); // aac_frame_length (middle 8)
    out[5] = (byte) (((frameLength & 7) << 5) | 0x1F); // aac_frame_length (low 3), adts_buffer_fullness (high 5) = 0x7FF
    out[6] = (byte) 0xFC; // adts_buffer_fullness (low 6), number_of_raw_data_blocks_in_frame (2) = 0
    System.arraycopy(sample, 0, out, HEADER_BYTES, length);
    return ByteSlice.wrap(out);
  }
}
