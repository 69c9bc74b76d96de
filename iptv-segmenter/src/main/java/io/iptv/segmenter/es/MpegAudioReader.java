package io.iptv.segmenter.es;

import io.iptv.core.codec.MpegAudioFrames;
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
  private int formatKey = -1;
  private int lastKey;
  private int lastSampleRate;
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
    if (!MpegAudioFrames.isValid(h)) {
      return false;
    }
    int version = (h >>> 19) & 3;
    int layer = MpegAudioFrames.layer(h);
    int sampleRateIndex = (h >>> 10) & 3;
    int mode = (h >>> 6) & 3;
    int frameBytes = MpegAudioFrames.frameBytes(h);
    int samples = MpegAudioFrames.samplesPerFrame(h);
    int sampleRate = MpegAudioFrames.sampleRate(h);
    header.frameBytes = frameBytes;
    header.samples = samples;
    header.sampleRate = sampleRate;
    header.joinsPrevious = false;
    lastSampleRate = sampleRate; // determined by lastKey's version and sampling_frequency
    lastKey = (version << 8) | (layer << 4) | (sampleRateIndex << 2) | (mode == 3 ? 1 : 0);
    return true;
  }

  @Override
  TrackFormat formatOfLastHeader() {
    if (lastKey != formatKey) {
      formatKey = lastKey;
      int version = lastKey >> 8;
      int layer = (lastKey >> 4) & 0x0F;
      boolean mp3 = layer == 3;
      cached = TrackFormat.builder(info.pid(), mp3 ? Codec.MP3 : Codec.MPEG_AUDIO)
          .codecString(mp3 ? "mp4a.40.34" : version == 3 ? "mp4a.6B" : "mp4a.69")
          .sampleRate(lastSampleRate)
          .channels((lastKey & 1) != 0 ? 1 : 2)
          .language(info.language())
          .build();
    }
    return cached;
  }
}
