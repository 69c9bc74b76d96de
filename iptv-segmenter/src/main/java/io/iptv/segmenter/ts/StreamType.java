package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;

/**
 * Maps a PMT stream_type (ISO/IEC 13818-1 Table 2-34) and its descriptors to a {@link Codec}. Besides the
 * ISO types it knows the ATSC AC-3/E-AC-3 types (A/52), DVB's private-PES signalling (stream_type 0x06
 * with an AC-3_descriptor or enhanced_AC-3_descriptor, ETSI EN 300 468), registration_descriptor format
 * identifiers ('AC-3', 'EAC3', 'CUEI', 'ID3 ') and Blu-ray M2TS ('HDMV' in program_info, where 0x86 is DTS-HD
 * rather than SCTE-35). Stateless.
 *
 * <pre>{@code
 * Codec codec = StreamType.codecOf(0x1B, esDescriptors, programDescriptors); // H264
 * }</pre>
 */
public final class StreamType {
  /** ISO/IEC 11172-2 video. */
  public static final int STREAM_TYPE_MPEG1_VIDEO = 0x01;
  /** ISO/IEC 13818-2 video. */
  public static final int STREAM_TYPE_MPEG2_VIDEO = 0x02;
  /** ISO/IEC 11172-3 audio. */
  public static final int STREAM_TYPE_MPEG1_AUDIO = 0x03;
  /** ISO/IEC 13818-3 audio. */
  public static final int STREAM_TYPE_MPEG2_AUDIO = 0x04;
  /** PES packets containing private data (DVB AC-3, subtitles, ...). */
  public static final int STREAM_TYPE_PRIVATE_PES = 0x06;
  /** ISO/IEC 13818-7 AAC with ADTS transport syntax. */
  public static final int STREAM_TYPE_AAC_ADTS = 0x0F;
  /** Metadata carried in PES packets (ID3). */
  public static final int STREAM_TYPE_METADATA_PES = 0x15;
  /** ITU-T H.264. */
  public static final int STREAM_TYPE_H264 = 0x1B;
  /** ITU-T H.265. */
  public static final int STREAM_TYPE_H265 = 0x24;
  /** ATSC AC-3 (and HDMV AC-3). */
  public static final int STREAM_TYPE_AC3 = 0x81;
  /** HDMV E-AC-3. */
  public static final int STREAM_TYPE_HDMV_EAC3 = 0x84;
  /** SCTE-35 splice_info_sections (HDMV: DTS-HD master audio). */
  public static final int STREAM_TYPE_SCTE35 = 0x86;
  /** ATSC E-AC-3. */
  public static final int STREAM_TYPE_EAC3 = 0x87;
  /** HDMV secondary E-AC-3. */
  public static final int STREAM_TYPE_HDMV_EAC3_SECONDARY = 0xA1;

  private StreamType() {}

  /**
   * Resolves the codec of one elementary stream.
   *
   * @param streamType the PMT stream_type
   * @param esDescriptors the stream's ES_info descriptors
   * @param programDescriptors the PMT's program_info descriptors
   * @return the codec, {@link Codec#UNKNOWN} when not recognised
   */
  public static Codec codecOf(int streamType, ByteSlice esDescriptors, ByteSlice programDescriptors) {
    boolean hdmv = Descriptors.hasRegistration(programDescriptors, "HDMV");
    switch (streamType) {
      case STREAM_TYPE_MPEG1_VIDEO:
      case STREAM_TYPE_MPEG2_VIDEO:
        return Codec.MPEG2_VIDEO;
      case STREAM_TYPE_MPEG1_AUDIO:
      case STREAM_TYPE_MPEG2_AUDIO:
        return Codec.MPEG_AUDIO; // the reader tells layer III (MP3) from layers I/II
      case STREAM_TYPE_AAC_ADTS:
        return Codec.AAC;
      case STREAM_TYPE_METADATA_PES:
        return Codec.ID3;
      case STREAM_TYPE_H264:
        return Codec.H264;
      case STREAM_TYPE_H265:
        return Codec.H265;
      case STREAM_TYPE_AC3:
        return Codec.AC3;
      case STREAM_TYPE_EAC3:
        return Codec.EAC3;
      case STREAM_TYPE_HDMV_EAC3:
      case STREAM_TYPE_HDMV_EAC3_SECONDARY:
        return hdmv ? Codec.EAC3 : Codec.UNKNOWN;
      case STREAM_TYPE_SCTE35:
        return hdmv ? Codec.UNKNOWN : Codec.SCTE35;
      case STREAM_TYPE_PRIVATE_PES:
        return privatePesCodec(esDescriptors);
      default:
        return Codec.UNKNOWN;
    }
  }

  private static Codec privatePesCodec(ByteSlice es) {
    if (Descriptors.contains(es, Descriptors.TAG_DVB_ENHANCED_AC3) || Descriptors.hasRegistration(es, "EAC3")) {
      return Codec.EAC3;
    }
    if (Descriptors.contains(es, Descriptors.TAG_DVB_AC3) || Descriptors.hasRegistration(es, "AC-3")) {
      return Codec.AC3;
    }
    if (Descriptors.hasRegistration(es, "ID3 ")) {
      return Codec.ID3;
    }
    if (Descriptors.hasRegistration(es, "CUEI")) {
      return Codec.SCTE35;
    }
    return Codec.UNKNOWN;
  }
}
