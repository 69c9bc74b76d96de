package io.iptv.segmenter.es;

import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;

/**
 * Reads MPEG-2 (and MPEG-1) video (ISO/IEC 13818-2, stream_type 0x02/0x01) into one
 * {@link io.iptv.core.media.MediaSample} per coded picture, split as FFmpeg's MPEG video parser does: a
 * picture starts at a sequence header (0xB3), GOP header (0xB8) or picture start code (0x00), and ends at
 * the first non-slice start code after its slices (a zero byte before it stays with the picture). Keyframe
 * = an I picture (picture_coding_type 1, §6.3.9), as FFmpeg reports it.
 *
 * <p>Format from sequence_header() (§6.2.2.1) and sequence_extension() (§6.2.2.3): size (with the size
 * extensions), frame rate (frame_rate_code × (n+1)/(d+1)), and the codec string {@code mp4v.<OTI>} with the
 * MP4 object type indication of the profile (0x60 Simple .. 0x64 High, 0x65 4:2:2, 0x61 when unknown;
 * 0x6A for MPEG-1, which has no sequence_extension). No codecConfig. Pictures before the first sequence
 * header are dropped. Not thread-safe.
 */
final class Mpeg2VideoReader extends StartCodeUnitReader {
  private static final int PICTURE_START = 0x00;
  private static final int SLICE_MIN = 0x01;
  private static final int SLICE_MAX = 0xAF;
  private static final int SEQUENCE_HEADER = 0xB3;
  private static final int EXTENSION_START = 0xB5;
  private static final int GOP_START = 0xB8;
  private static final double[] FRAME_RATES = {0, 24000 / 1001.0, 24, 25, 30000 / 1001.0, 30, 50, 60000 / 1001.0, 60};

  /** 0: looking for a picture, 1: picture found, 4: in its slices (FFmpeg's frame_start_found). */
  private int state;
  private int width;
  private int height;
  private int frameRateCode;
  private int objectType = 0x6A;
  private int frameRateExtN;
  private int frameRateExtD;
  private int formatKeyHash;
  private TrackFormat built;

  Mpeg2VideoReader(EsInfo info) {
    this(info, null);
  }

  /** A reader whose access units are lent from {@code pool} (null: allocated). */
  Mpeg2VideoReader(EsInfo info, SampleBufferPool pool) {
    super(info, pool);
  }

  @Override
  int headerBytesNeeded() {
    return 1;
  }

  @Override
  boolean zeroByteBelongsToNextUnit() {
    return false;
  }

  @Override
  boolean beginsAccessUnit(byte[] data, int header, int available) {
    if (available < 1) {
      return false;
    }
    int code = data[header] & 0xFF;
    boolean slice = code >= SLICE_MIN && code <= SLICE_MAX;
    if (state == 4 && !slice) {
      state = 0;
      return true;
    }
    if (state == 0 && (code == SEQUENCE_HEADER || code == PICTURE_START || code == GOP_START)) {
      state = 1;
    } else if (state == 1 && slice) {
      state = 4;
    }
    return false;
  }

  @Override
  void resetScanState() {
    state = 0;
  }

  @Override
  TrackFormat inspect(AccessUnit unit, TrackFormat current) {
    byte[] d = unit.data;
    for (int i = 0; i < unit.count; i++) {
      int h = unit.header(i);
      int n = unit.end(i) - h;
      int code = d[h] & 0xFF;
      if (code == PICTURE_START && n >= 3) {
        // picture_header(): temporal_reference (10), picture_coding_type (3)
        int pictureCodingType = (d[h + 2] >> 3) & 0x07;
        unit.keyframe = pictureCodingType == 1;
      } else if (code == SEQUENCE_HEADER && n >= 8) {
        // sequence_header(): horizontal_size_value (12), vertical_size_value (12), aspect_ratio_information (4),
        // frame_rate_code (4)
        width = ((d[h + 1] & 0xFF) << 4) | ((d[h + 2] & 0xF0) >> 4);
        height = ((d[h + 2] & 0x0F) << 8) | (d[h + 3] & 0xFF);
        frameRateCode = d[h + 4] & 0x0F;
        objectType = 0x6A; // MPEG-1 unless a sequence_extension follows
        frameRateExtN = 0;
        frameRateExtD = 0;
      } else if (code == EXTENSION_START && n >= 7 && ((d[h + 1] & 0xF0) >> 4) == 1) {
        // sequence_extension(): extension_start_code_identifier (4), profile_and_level_indication (8),
        // progressive_sequence (1), chroma_format (2), horizontal_size_extension (2), vertical_size_extension (2),
        // bit_rate_extension (12), marker_bit (1), vbv_buffer_size_extension (8), low_delay (1),
        // frame_rate_extension_n (2), frame_rate_extension_d (5)
        int profileAndLevel = ((d[h + 1] & 0x0F) << 4) | ((d[h + 2] & 0xF0) >> 4);
        objectType = objectTypeOf(profileAndLevel);
        int horizontalExt = ((d[h + 2] & 0x01) << 1) | ((d[h + 3] & 0x80) >> 7);
        int verticalExt = (d[h + 3] & 0x60) >> 5;
        width = (width & 0xFFF) | (horizontalExt << 12);
        height = (height & 0xFFF) | (verticalExt << 12);
        frameRateExtN = (d[h + 5] & 0x60) >> 5;
        frameRateExtD = d[h + 5] & 0x1F;
      }
    }
    if (width == 0 || height == 0) {
      return null;
    }
    double frameRate = frameRateCode < FRAME_RATES.length
        ? FRAME_RATES[frameRateCode] * (frameRateExtN + 1) / (frameRateExtD + 1) : 0;
    int key = java.util.Objects.hash(width, height, frameRate, objectType);
    if (built == null || key != formatKeyHash) {
      formatKeyHash = key;
      built = TrackFormat.builder(info.pid(), Codec.MPEG2_VIDEO)
          .codecString(String.format("mp4v.%02X", objectType))
          .width(width)
          .height(height)
          .frameRate(frameRate)
          .language(info.language())
          .build();
    }
    return built;
  }

  /** MP4 objectTypeIndication of an MPEG-2 profile_and_level_indication (§8.2, Table 8-2). */
  private static int objectTypeOf(int profileAndLevel) {
    if ((profileAndLevel & 0x80) != 0) {
      return (profileAndLevel & 0x0F) == 0x05 || (profileAndLevel & 0x0F) == 0x02 ? 0x65 : 0x61; // 4:2:2
    }
    return switch ((profileAndLevel >> 4) & 0x07) {
      case 5 -> 0x60; // Simple
      case 3 -> 0x62; // SNR
      case 2 -> 0x63; // Spatial
      case 1 -> 0x64; // High
      default -> 0x61; // Main
    };
  }
}
