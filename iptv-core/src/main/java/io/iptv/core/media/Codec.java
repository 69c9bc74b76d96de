package io.iptv.core.media;

/**
 * Codecs (and data formats) the library recognises, with their {@link TrackType}.
 *
 * <p>Payloads of {@link MediaSample}s keep the elementary-stream form of their codec: H.264 and HEVC
 * access units in Annex B byte-stream form (start codes, including AUD and parameter sets as sent),
 * AAC as ADTS frames including the ADTS header, AC-3/E-AC-3 and MPEG audio as whole sync frames, ID3 as
 * whole tags, SCTE-35 as whole {@code splice_info_section}s.
 */
public enum Codec {
  /** ITU-T H.264 / AVC. */
  H264(TrackType.VIDEO),
  /** ITU-T H.265 / HEVC. */
  H265(TrackType.VIDEO),
  /** MPEG-2 video (ISO/IEC 13818-2), also MPEG-1 video: detected and reported. */
  MPEG2_VIDEO(TrackType.VIDEO),
  /** AAC in ADTS framing (ISO/IEC 13818-7 / 14496-3). */
  AAC(TrackType.AUDIO),
  /** Dolby AC-3 (ATSC A/52). */
  AC3(TrackType.AUDIO),
  /** Dolby E-AC-3 (ATSC A/52 Annex E). */
  EAC3(TrackType.AUDIO),
  /** MPEG-1/2 audio layers I and II (MP2). */
  MPEG_AUDIO(TrackType.AUDIO),
  /** MPEG-1/2 audio layer III (MP3). */
  MP3(TrackType.AUDIO),
  /** ID3v2 timed metadata (stream_type 0x15). */
  ID3(TrackType.METADATA),
  /** SCTE-35 splice information (stream_type 0x86). */
  SCTE35(TrackType.METADATA),
  /** Not recognised. */
  UNKNOWN(TrackType.UNKNOWN);

  private final TrackType type;

  Codec(TrackType type) {
    this.type = type;
  }

  /** The track type this codec belongs to. */
  public TrackType type() {
    return type;
  }
}
