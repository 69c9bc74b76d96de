package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.fmp4.Dolby;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * PMT signalling of Apple SAMPLE-AES encrypted elementary streams ("MPEG-2 Stream Encryption Format for HTTP
 * Live Streaming" §3 and §2.3.4): the SAMPLE-AES stream_type, a private_data_indicator_descriptor (ISO/IEC
 * 13818-1 §2.6.28, tag 0x0F) and, for audio, a registration_descriptor (§2.6.8, tag 0x05) with format_identifier
 * 'apad' whose additional_identification_info is the audio_setup_information:
 *
 * <pre>
 * audio_setup_information() {
 *   audio_type           // 4 bytes: 'zaac' (AAC-LC), 'zach' (HE-AAC), 'zacp' (HE-AACv2), 'zac3', 'zec3'
 *   priming              // 2 bytes: 0, the encoder's priming is not known here
 *   version              // 1 byte: 1
 *   setup_data_length    // 1 byte
 *   setup_data           // AAC: AudioSpecificConfig; AC-3: the sync frame's first 10 bytes (syncinfo, bsi);
 *                        // E-AC-3: the EC3SpecificBox ('dec3') payload
 * }
 * </pre>
 *
 * Stateless.
 */
final class SampleAesSignalling {
  /** H.264 encrypted with SAMPLE-AES. */
  static final int STREAM_TYPE_H264 = 0xDB;
  /** AAC (ADTS) encrypted with SAMPLE-AES. */
  static final int STREAM_TYPE_AAC = 0xCF;
  /** AC-3 encrypted with SAMPLE-AES. */
  static final int STREAM_TYPE_AC3 = 0xC1;
  /** E-AC-3 encrypted with SAMPLE-AES. */
  static final int STREAM_TYPE_EAC3 = 0xC2;
  private static final int AC3_SETUP_BYTES = 10;

  private SampleAesSignalling() {}

  /** Whether SAMPLE-AES can encrypt {@code codec} (else the stream keeps its clear signalling). */
  static boolean encrypts(Codec codec) {
    return codec == Codec.H264 || codec == Codec.AAC || codec == Codec.AC3 || codec == Codec.EAC3;
  }

  /** The SAMPLE-AES stream_type of {@code codec} (see {@link #encrypts}). */
  static int streamType(Codec codec) {
    return switch (codec) {
      case H264 -> STREAM_TYPE_H264;
      case AAC -> STREAM_TYPE_AAC;
      case AC3 -> STREAM_TYPE_AC3;
      case EAC3 -> STREAM_TYPE_EAC3;
      default -> throw new IllegalArgumentException("SAMPLE-AES does not cover " + codec);
    };
  }

  /**
   * The ES_info descriptors of an encrypted stream: private_data_indicator_descriptor, for audio the 'apad'
   * registration_descriptor, and the ISO_639_language_descriptor when the track has a language.
   *
   * @param setupFrame AC-3/E-AC-3: a sync frame of the track for its setup data, or null (empty setup data)
   */
  static byte[] descriptors(TrackFormat format, ByteSlice setupFrame) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    String indicator = switch (format.codec()) {
      case H264 -> "zavc";
      case AAC -> "aacd";
      case AC3 -> "ac3d";
      case EAC3 -> "ec3d";
      default -> throw new IllegalArgumentException("SAMPLE-AES does not cover " + format.codec());
    };
    d.write(0x0F); // private_data_indicator_descriptor: descriptor_tag (8)
    d.write(4); // descriptor_length (8)
    d.writeBytes(ascii(indicator)); // private_data_indicator (32)
    if (format.codec() != Codec.H264) {
      byte[] setup = setupData(format, setupFrame);
      d.write(0x05); // registration_descriptor: descriptor_tag (8)
      d.write(4 + 8 + setup.length); // descriptor_length (8)
      d.writeBytes(ascii("apad")); // format_identifier (32)
      d.writeBytes(ascii(audioType(format))); // audio_type (32)
      d.write(0); // priming (16)
      d.write(0);
      d.write(1); // version (8)
      d.write(setup.length); // setup_data_length (8)
      d.writeBytes(setup); // setup_data
    }
    String language = format.language();
    if (language != null) {
      d.write(0x0A); // ISO_639_language_descriptor: descriptor_tag (8)
      d.write(4); // descriptor_length (8)
      d.writeBytes(ascii(language.toLowerCase(Locale.ROOT))); // ISO_639_language_code (24)
      d.write(0); // audio_type (8) = undefined
    }
    return d.toByteArray();
  }

  private static String audioType(TrackFormat format) {
    if (format.codec() == Codec.AC3) {
      return "zac3";
    }
    if (format.codec() == Codec.EAC3) {
      return "zec3";
    }
    int objectType = format.codecConfig().isEmpty() || format.codecConfig().get(0).isEmpty() ? 2
        : format.codecConfig().get(0).byteAt(0) >> 3; // audioObjectType (5) of the AudioSpecificConfig
    return switch (objectType) {
      case 5 -> "zach"; // SBR: HE-AAC
      case 29 -> "zacp"; // PS: HE-AACv2
      default -> "zaac";
    };
  }

  private static byte[] setupData(TrackFormat format, ByteSlice frame) {
    switch (format.codec()) {
      case AAC:
        return format.codecConfig().isEmpty() ? new byte[0] : format.codecConfig().get(0).toByteArray();
      case AC3:
        return frame == null ? new byte[0] : frame.slice(0, Math.min(AC3_SETUP_BYTES, frame.length())).toByteArray();
      case EAC3:
        if (frame == null) {
          return new byte[0];
        }
        try {
          return Dolby.ec3SpecificBoxPayload(frame);
        } catch (io.iptv.core.MediaException e) {
          return new byte[0]; // not a sync frame: no setup data rather than a broken PMT
        }
      default:
        return new byte[0];
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
