package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;

/**
 * Looks into descriptor loops (ISO/IEC 13818-1 §2.6: descriptor_tag (8), descriptor_length (8), data).
 * Stateless; tolerates truncated loops (the damaged tail is ignored).
 */
final class Descriptors {
  /** registration_descriptor (§2.6.8): format_identifier (32). */
  static final int TAG_REGISTRATION = 0x05;
  /** ISO_639_language_descriptor (§2.6.18). */
  static final int TAG_ISO_639_LANGUAGE = 0x0A;
  /** DVB AC-3_descriptor (ETSI EN 300 468 Annex D). */
  static final int TAG_DVB_AC3 = 0x6A;
  /** DVB enhanced_AC-3_descriptor (ETSI EN 300 468 Annex D). */
  static final int TAG_DVB_ENHANCED_AC3 = 0x7A;

  private Descriptors() {}

  /** Returns whether the loop holds a descriptor with {@code tag}. */
  static boolean contains(ByteSlice loop, int tag) {
    return find(loop, tag) >= 0;
  }

  /** Returns the offset of the first descriptor with {@code tag} in {@code loop}, or -1. */
  static int find(ByteSlice loop, int tag) {
    int position = 0;
    while (position + 2 <= loop.length()) {
      int length = loop.byteAt(position + 1);
      if (position + 2 + length > loop.length()) {
        return -1;
      }
      if (loop.byteAt(position) == tag) {
        return position;
      }
      position += 2 + length;
    }
    return -1;
  }

  /** Returns whether a registration_descriptor in {@code loop} carries {@code formatIdentifier}. */
  static boolean hasRegistration(ByteSlice loop, String formatIdentifier) {
    int position = 0;
    while (position + 2 <= loop.length()) {
      int length = loop.byteAt(position + 1);
      if (position + 2 + length > loop.length()) {
        return false;
      }
      if (loop.byteAt(position) == TAG_REGISTRATION && length >= 4) {
        boolean match = true;
        for (int i = 0; i < 4; i++) {
          match &= loop.byteAt(position + 2 + i) == formatIdentifier.charAt(i);
        }
        if (match) {
          return true;
        }
      }
      position += 2 + length;
    }
    return false;
  }

  /** Returns the first ISO_639_language_code (24) of an ISO_639_language_descriptor, or null. */
  static String language(ByteSlice loop) {
    int position = find(loop, TAG_ISO_639_LANGUAGE);
    if (position < 0 || loop.byteAt(position + 1) < 3) {
      return null;
    }
    byte[] code = new byte[3];
    for (int i = 0; i < 3; i++) {
      int c = loop.byteAt(position + 2 + i);
      if (c < 0x20 || c > 0x7E) {
        return null;
      }
      code[i] = (byte) c;
    }
    return new String(code, StandardCharsets.US_ASCII);
  }
}
