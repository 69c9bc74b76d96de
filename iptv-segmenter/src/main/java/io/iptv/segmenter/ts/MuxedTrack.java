package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How one track is carried in the muxed transport stream: PID, stream_type, stream_id and ES_info
 * descriptors (ISO/IEC 13818-1 §2.4.4.9, Table 2-34; §2.4.3.7, Table 2-22), plus the per-PID writing state
 * (continuity counter, PES buffer, pending audio bundle).
 *
 * <p>Stream types and descriptors, chosen for what hls.js, ffmpeg and Apple players accept:
 * <ul>
 *   <li>H.264 0x1B, HEVC 0x24, MPEG-2 video 0x02; stream_id 0xE0 + n.
 *   <li>AAC (ADTS) 0x0F; MPEG-1 audio 0x03 (sample rates 32/44.1/48 kHz), MPEG-2 audio 0x04 (lower rates);
 *       stream_id 0xC0 + n.
 *   <li>AC-3 0x81 and E-AC-3 0x87 with a registration_descriptor (tag 0x05) 'AC-3' / 'EAC3': the ATSC A/52
 *       Annex A form. Apple's segmenters write it, hls.js recognises 0x81 (it does not take E-AC-3 in TS at
 *       all) and ffmpeg maps both. The DVB form (0x06 + AC-3_descriptor 0x6A) is recognised by fewer
 *       players. stream_id 0xBD (private_stream_1).
 *   <li>ID3 timed metadata 0x15 with a metadata_descriptor (tag 0x26), and a metadata_pointer_descriptor
 *       (tag 0x25) in the program info, as Apple's "Timed Metadata for HTTP Live Streaming" specifies;
 *       stream_id 0xBD.
 *   <li>SCTE-35 splice_info_sections 0x86 with a registration_descriptor 'CUEI' (ANSI/SCTE 35 §8.1) in the ES
 *       info and in the program info (where ffmpeg looks for it); sections,
 *       not PES (stream_id -1), written with {@link TsMuxer#writeSection}.
 *   <li>ISO_639_language_descriptor (tag 0x0A, audio_type 0) for any track with a language.
 * </ul>
 *
 * <p>Not thread-safe; owned by one {@link TsMuxer}.
 */
final class MuxedTrack {
  static final int STREAM_ID_PRIVATE_1 = 0xBD;

  final TrackFormat format;
  final int pid;
  final int streamType;
  final int streamId;
  final byte[] descriptors;
  final ContinuityCounter counter = new ContinuityCounter();
  final PesPacketizer pes = new PesPacketizer();
  /** Non-null for H.264/HEVC. */
  final AccessUnitRewriter rewriter;
  /** Samples per audio frame used for bundling (0: never bundle). */
  final int samplesPerFrame;

  /** SAMPLE-AES: a sync frame for the AC-3/E-AC-3 audio setup information, or null (see {@link TsMuxer}). */
  ByteSlice sampleAesSetupFrame;
  /** SAMPLE-AES ES_info descriptors, built for the first encrypted segment. */
  private byte[] sampleAesDescriptors;

  // Pending audio bundle (PES begun but not yet written).
  long bundlePts90k;
  int bundleFrames;
  boolean bundleKeyframe;

  private MuxedTrack(TrackFormat format, int pid, int streamType, int streamId, byte[] descriptors) {
    this.format = format;
    this.pid = pid;
    this.streamType = streamType;
    this.streamId = streamId;
    this.descriptors = descriptors;
    this.rewriter = format.codec() == Codec.H264 || format.codec() == Codec.H265
        ? new AccessUnitRewriter(format.codec(), format.codecConfig())
        : null;
    this.samplesPerFrame = format.sampleRate() > 0 ? samplesPerFrame(format) : 0;
  }

  /**
   * Maps a track to its carriage.
   *
   * @param videoIndex number of video tracks before this one (for stream_id)
   * @param audioIndex number of MPEG/AAC audio tracks before this one (for stream_id)
   * @throws IllegalArgumentException for codecs that cannot be muxed as PES (SCTE-35, unknown) or a
   *     language that is not three letters
   */
  static MuxedTrack of(TrackFormat format, int pid, int videoIndex, int audioIndex) {
    ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
    int streamType;
    int streamId;
    switch (format.codec()) {
      case H264 -> {
        streamType = 0x1B;
        streamId = videoStreamId(videoIndex);
      }
      case H265 -> {
        streamType = 0x24;
        streamId = videoStreamId(videoIndex);
      }
      case MPEG2_VIDEO -> {
        streamType = 0x02;
        streamId = videoStreamId(videoIndex);
      }
      case AAC -> {
        streamType = 0x0F;
        streamId = audioStreamId(audioIndex);
      }
      case MPEG_AUDIO, MP3 -> {
        streamType = format.sampleRate() == 0 || format.sampleRate() >= 32_000 ? 0x03 : 0x04;
        streamId = audioStreamId(audioIndex);
      }
      case AC3 -> {
        streamType = 0x81;
        streamId = STREAM_ID_PRIVATE_1;
        registration(descriptors, "AC-3");
      }
      case EAC3 -> {
        streamType = 0x87;
        streamId = STREAM_ID_PRIVATE_1;
        registration(descriptors, "EAC3");
      }
      case ID3 -> {
        streamType = 0x15;
        streamId = STREAM_ID_PRIVATE_1;
        // metadata_descriptor (ISO/IEC 13818-1 §2.6.60; Apple Timed Metadata for HLS §2)
        descriptors.write(0x26); // descriptor_tag
        descriptors.write(13); // descriptor_length
        descriptors.write(0xFF); // metadata_application_format (16) = 0xFFFF: identifier follows
        descriptors.write(0xFF);
        descriptors.writeBytes(ascii("ID3 ")); // metadata_application_format_identifier (32)
        descriptors.write(0xFF); // metadata_format (8) = 0xFF: identifier follows
        descriptors.writeBytes(ascii("ID3 ")); // metadata_format_identifier (32)
        descriptors.write(0); // metadata_service_id (8)
        // decoder_config_flags (3) = '000', DSM-CC_flag (1) = 0, reserved (4) = '1111'
        descriptors.write(0x0F);
      }
      case SCTE35 -> {
        streamType = 0x86;
        streamId = -1; // sections, no PES
        registration(descriptors, "CUEI");
      }
      default -> throw new IllegalArgumentException(
          "track " + format.trackId() + ": codec " + format.codec() + " cannot be muxed into MPEG-TS PES");
    }
    String language = format.language();
    if (language != null) {
      if (!language.matches("[A-Za-z]{3}")) {
        throw new IllegalArgumentException("track " + format.trackId() + ": language '" + language
            + "' is not an ISO 639-2 code");
      }
      descriptors.write(0x0A); // ISO_639_language_descriptor: descriptor_tag (8)
      descriptors.write(4); // descriptor_length (8)
      descriptors.writeBytes(ascii(language.toLowerCase(java.util.Locale.ROOT))); // ISO_639_language_code (24)
      descriptors.write(0); // audio_type (8) = undefined
    }
    return new MuxedTrack(format, pid, streamType, streamId, descriptors.toByteArray());
  }

  /**
   * The metadata_pointer_descriptor (ISO/IEC 13818-1 §2.6.58) that Apple's timed-metadata spec puts into
   * the PMT program info loop when a program carries ID3.
   */
  static byte[] id3MetadataPointerDescriptor(int programNumber) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.write(0x25); // descriptor_tag
    d.write(15); // descriptor_length
    d.write(0xFF); // metadata_application_format (16)
    d.write(0xFF);
    d.writeBytes(ascii("ID3 ")); // metadata_application_format_identifier (32)
    d.write(0xFF); // metadata_format (8)
    d.writeBytes(ascii("ID3 ")); // metadata_format_identifier (32)
    d.write(0); // metadata_service_id (8)
    // metadata_locator_record_flag (1) = 0, MPEG_carriage_flags (2) = 0 (same TS), reserved (5)
    d.write(0x1F);
    d.write(programNumber >> 8); // program_number (16)
    d.write(programNumber);
    return d.toByteArray();
  }

  /** The PMT stream_type: the SAMPLE-AES one (Apple HLS sample encryption §3) in encrypted segments. */
  int pmtStreamType(boolean sampleAes) {
    return sampleAes && SampleAesSignalling.encrypts(format.codec())
        ? SampleAesSignalling.streamType(format.codec()) : streamType;
  }

  /** The PMT ES_info descriptors, those of {@link SampleAesSignalling} in encrypted segments. */
  byte[] pmtDescriptors(boolean sampleAes) {
    if (!sampleAes || !SampleAesSignalling.encrypts(format.codec())) {
      return descriptors;
    }
    if (sampleAesDescriptors == null) {
      sampleAesDescriptors = SampleAesSignalling.descriptors(format, sampleAesSetupFrame);
    }
    return sampleAesDescriptors;
  }

  /** A registration_descriptor 'CUEI' (ANSI/SCTE 35 §8.1), for the program_info loop of a program with SCTE-35. */
  static byte[] cueiRegistration() {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    registration(d, "CUEI");
    return d.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  boolean isVideo() {
    return format.type() == TrackType.VIDEO;
  }

  boolean isAudio() {
    return format.type() == TrackType.AUDIO;
  }

  /** Exact 90 kHz offset of frame {@code index} of a bundle from its first frame (round half up). */
  long bundleOffset90k(int index) {
    long sampleRate = format.sampleRate();
    return ((long) index * samplesPerFrame * 90_000L + sampleRate / 2) / sampleRate;
  }

  private static int samplesPerFrame(TrackFormat format) {
    return switch (format.codec()) {
      case AAC -> 1024;
      case AC3, EAC3 -> 1536;
      case MPEG_AUDIO -> 1152;
      case MP3 -> format.sampleRate() >= 32_000 ? 1152 : 576;
      default -> 0;
    };
  }

  private static int videoStreamId(int index) {
    if (index > 15) {
      throw new IllegalArgumentException("more than 16 video tracks");
    }
    return 0xE0 + index;
  }

  private static int audioStreamId(int index) {
    if (index > 31) {
      throw new IllegalArgumentException("more than 32 MPEG audio tracks");
    }
    return 0xC0 + index;
  }

  private static void registration(ByteArrayOutputStream d, String formatIdentifier) {
    d.write(0x05); // registration_descriptor: descriptor_tag (8)
    d.write(4); // descriptor_length (8)
    d.writeBytes(ascii(formatIdentifier)); // format_identifier (32)
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
