package io.iptv.segmenter.es;

import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;

/**
 * Reads MPEG-1/2/2.5 audio layers I, II and III (ISO/IEC 11172-3 §2.4.2.3, ISO/IEC 13818-3; stream_type
 * 0x03/0x04) into one sample per frame. A frame lasts 384 (layer I), 1152 (layer II, MPEG-1 layer III) or
 * 576 (MPEG-2/2.5 layer III) samples. Free-format streams (bitrate_index 0) are not supported: their
 * frames are skipped as garbage.
 *
 * <p>Format: codec {@link Codec#MP3} for layer III, {@link Codec#MPEG_AUDIO} for layers I/II; codec
 * strings {@code mp4a.40.34} (MP3), {@code mp4a.6B} (MPEG-1 layer I/II) and {@code mp4a.69} (MPEG-2
 * layer I/II), the MP4 object type indications browsers accept; sample rate; channels (1 for
 * single_channel mode, else 2). Not thread-safe.
 */
final class MpegAudioReader extends SyncFrameReader {
  private static final int[][] BITRATES = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 layers II, III
  };
  private static final int[] SAMPLE_RATES = {44100, 48000, 32000};

  private int formatKey = -1;
  private int lastKey;
  private TrackFormat cached;

  MpegAudioReader(EsInfo info) {
    super(info);
  }

  @Override
  int headerBytes() {
    return 4;
  }

  @Override
  boolean parseHeader(byte[] d, int o, FrameHeader header) {
    // syncword (11), version (2: 00 MPEG-2.5, 10 MPEG-2, 11 MPEG-1), layer (2: 01 III, 10 II, 11 I),
    // protection_bit (1), bitrate_index (4), sampling_frequency (2), padding_bit (1), private_bit (1),
    // mode (2), mode_extension (2), copyright (1), original/home (1), emphasis (2)
    int h = ((d[o] & 0xFF) << 24) | ((d[o + 1] & 0xFF) << 16) | ((d[o + 2] & 0xFF) << 8) | (d[o + 3] & 0xFF);
    if ((h & 0xFFE00000) != 0xFFE00000) {
      return false;
    }
    int version = (h >>> 19) & 3;
    int layerBits = (h >>> 17) & 3;
    int bitrateIndex = (h >>> 12) & 0x0F;
    int sampleRateIndex = (h >>> 10) & 3;
    if (version == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || sampleRateIndex == 3) {
      return false;
    }
    int layer = 4 - layerBits;
    boolean mpeg1 = version == 3;
    int padding = (h >>> 9) & 1;
    int mode = (h >>> 6) & 3;
    int sampleRate = SAMPLE_RATES[sampleRateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
    int bitrate = 1000 * BITRATES[mpeg1 ? layer - 1 : layer == 1 ? 3 : 4][bitrateIndex];
    int frameBytes;
    int samples;
    if (layer == 1) {
      frameBytes = (12 * bitrate / sampleRate + padding) * 4;
      samples = 384;
    } else if (layer == 2 || mpeg1) {
      frameBytes = 144 * bitrate / sampleRate + padding;
      samples = 1152;
    } else {
      frameBytes = 72 * bitrate / sampleRate + padding;
      samples = 576;
    }
    header.frameBytes = frameBytes;
    header.samples = samples;
    header.sampleRate = sampleRate;
    header.joinsPrevious = false;
    lastKey = (version << 8) | (layer << 4) | (sampleRateIndex << 2) | (mode == 3 ? 1 : 0);
    return true;
  }

  @Override
  TrackFormat formatOfLastHeader() {
    if (lastKey != formatKey) {
      formatKey = lastKey;
      int version = lastKey >> 8;
      int layer = (lastKey >> 4) & 0x0F;
      int sampleRate = SAMPLE_RATES[(lastKey >> 2) & 3] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
      boolean mp3 = layer == 3;
      cached = TrackFormat.builder(info.pid(), mp3 ? Codec.MP3 : Codec.MPEG_AUDIO)
          .codecString(mp3 ? "mp4a.40.34" : version == 3 ? "mp4a.6B" : "mp4a.69")
          .sampleRate(sampleRate)
          .channels((lastKey & 1) != 0 ? 1 : 2)
          .language(info.language())
          .build();
    }
    return cached;
  }
}
