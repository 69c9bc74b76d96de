package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.codec.AacSamplingFrequencies;
import io.iptv.core.io.BitCursor;

/**
 * The fields of an MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) needed to frame raw AAC in ADTS.
 * For explicitly signalled SBR/PS (audioObjectType 5 or 29) the core object type and core sampling
 * frequency are kept, as in ADTS with implicit SBR signalling (what FFmpeg's ADTS muxer writes).
 *
 * @param audioObjectType the signalled audioObjectType (5 or 29 for HE-AAC), for the codec string
 * @param coreObjectType the AAC core object type written into ADTS ({@code profile = coreObjectType - 1})
 * @param samplingFrequencyIndex the core sampling_frequency_index (0–12)
 * @param sampleRate the output sample rate (the SBR rate when SBR is signalled)
 * @param channelConfiguration channelConfiguration (1–7)
 */
record AudioSpecificConfig(int audioObjectType, int coreObjectType, int samplingFrequencyIndex, int sampleRate,
    int channelConfiguration) {

  /** Parses an AudioSpecificConfig; configurations ADTS cannot carry are {@link MediaException.Kind#UNSUPPORTED}. */
  static AudioSpecificConfig parse(byte[] asc) throws MediaException {
    BitCursor bits = new BitCursor(asc);
    int aot = objectType(bits);
    int frequencyIndex = bits.readBits(4); // samplingFrequencyIndex (4)
    if (frequencyIndex == 0xF) {
      throw MediaException.unsupported("AAC with an explicit sampling frequency cannot be framed as ADTS");
    }
    int channels = bits.readBits(4); // channelConfiguration (4)
    int core = aot;
    int outputRate = rate(frequencyIndex);
    if (aot == 5 || aot == 29) { // SBR / PS: extensionSamplingFrequencyIndex, then the core type
      int extensionIndex = bits.readBits(4); // extensionSamplingFrequencyIndex (4)
      if (extensionIndex == 0xF) {
        throw MediaException.unsupported("AAC SBR with an explicit sampling frequency");
      }
      outputRate = rate(extensionIndex);
      core = objectType(bits);
    }
    if (core < 1 || core > 4) {
      throw MediaException.unsupported("AAC audioObjectType " + core + " cannot be framed as ADTS");
    }
    if (channels == 0 || channels > 7) {
      throw MediaException.unsupported("AAC channelConfiguration " + channels
          + " (program_config_element) is not supported for ADTS framing");
    }
    return new AudioSpecificConfig(aot, core, frequencyIndex, outputRate, channels);
  }

  /** Channel count: channelConfiguration, 7 meaning 8 (7.1). */
  int channelCount() {
    return channelConfiguration == 7 ? 8 : channelConfiguration;
  }

  private static int objectType(BitCursor bits) throws MediaException {
    int aot = bits.readBits(5); // audioObjectType (5)
    return aot == 31 ? 32 + bits.readBits(6) : aot; // audioObjectTypeExt (6)
  }

  private static int rate(int index) throws MediaException {
    if (AacSamplingFrequencies.rate(index) == 0) {
      throw MediaException.malformed("AAC sampling_frequency_index " + index + " is reserved");
    }
    return AacSamplingFrequencies.rate(index);
  }
}
