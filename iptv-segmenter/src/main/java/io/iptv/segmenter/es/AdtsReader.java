package io.iptv.segmenter.es;

import io.iptv.core.codec.AacSamplingFrequencies;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import java.util.List;

/**
 * Reads AAC in ADTS framing (ISO/IEC 13818-7 §6.2, ISO/IEC 14496-3 §1.A.2; stream_type 0x0F) into one
 * sample per ADTS frame, header (and CRC) included, as FFmpeg's AAC parser splits them. A frame lasts
 * 1024 × (number_of_raw_data_blocks_in_frame + 1) samples.
 *
 * <p>Format: sample rate, channels (channel_configuration; 0 when a PCE defines them), codec string
 * {@code mp4a.40.<audioObjectType>} and codecConfig = [2-byte AudioSpecificConfig (§1.6.2.1)]. Not
 * thread-safe.
 */
final class AdtsReader extends SyncFrameReader {

  private int formatKey = -1;
  private TrackFormat cached;
  private int lastKey;

  AdtsReader(EsInfo info) {
    super(info);
  }

  @Override
  boolean interpolatesStably() {
    return true;
  }

  @Override
  int headerBytes() {
    return 7;
  }

  @Override
  boolean parseHeader(byte[] d, int o, FrameHeader header) {
    // adts_fixed_header(): syncword (12) = 0xFFF, ID (1), layer (2) = 0, protection_absent (1)
    if ((d[o] & 0xFF) != 0xFF || (d[o + 1] & 0xF6) != 0xF0) {
      return false;
    }
    boolean protectionAbsent = (d[o + 1] & 0x01) != 0;
    int profile = (d[o + 2] >> 6) & 0x03; // profile_ObjectType (2)
    int sampleRateIndex = (d[o + 2] >> 2) & 0x0F; // sampling_frequency_index (4)
    // private_bit (1), channel_configuration (3), original_copy (1), home (1)
    int channelConfig = ((d[o + 2] & 0x01) << 2) | ((d[o + 3] >> 6) & 0x03);
    // adts_variable_header(): copyright bits (2), aac_frame_length (13), adts_buffer_fullness (11),
    // number_of_raw_data_blocks_in_frame (2)
    int frameLength = ((d[o + 3] & 0x03) << 11) | ((d[o + 4] & 0xFF) << 3) | ((d[o + 5] & 0xE0) >> 5);
    int rawDataBlocks = d[o + 6] & 0x03;
    if (AacSamplingFrequencies.rate(sampleRateIndex) == 0 || frameLength < (protectionAbsent ? 7 : 9)) {
      return false;
    }
    header.frameBytes = frameLength;
    header.samples = 1024 * (rawDataBlocks + 1);
    header.sampleRate = AacSamplingFrequencies.rate(sampleRateIndex);
    header.joinsPrevious = false;
    lastKey = (profile << 8) | (sampleRateIndex << 4) | channelConfig;
    return true;
  }

  @Override
  TrackFormat formatOfLastHeader() {
    if (lastKey != formatKey) {
      formatKey = lastKey;
      int audioObjectType = (lastKey >> 8) + 1;
      int sampleRateIndex = (lastKey >> 4) & 0x0F;
      int channelConfig = lastKey & 0x0F;
      // AudioSpecificConfig: audioObjectType (5), samplingFrequencyIndex (4), channelConfiguration (4),
      // GASpecificConfig: frameLengthFlag (1), dependsOnCoreCoder (1), extensionFlag (1)
      int asc = (audioObjectType << 11) | (sampleRateIndex << 7) | (channelConfig << 3);
      cached = TrackFormat.builder(info.pid(), Codec.AAC)
          .codecString("mp4a.40." + audioObjectType)
          .sampleRate(AacSamplingFrequencies.rate(sampleRateIndex))
          .channels(channelConfig == 7 ? 8 : channelConfig)
          .language(info.language())
          .codecConfig(List.of(ByteSlice.wrap(new byte[] {(byte) (asc >> 8), (byte) asc})))
          .build();
    }
    return cached;
  }
}
