package io.iptv.drm;

import java.util.Arrays;

/**
 * The RBSP of the start of a NAL unit (ITU-T H.264 §7.4.1 / H.265 §7.4.2: emulation_prevention_three_byte
 * removed), with, for each RBSP byte, its index in the escaped bytes: the slice-header measurers read the header
 * from the RBSP and report its end in stored bytes. Reuses its arrays; not thread-safe.
 *
 * <pre>{@code
 * RbspPrefix prefix = new RbspPrefix(64);
 * int n = prefix.unescape(nal, offset + 1, 40);   // after the one-byte H.264 NAL header
 * int storedBytes = prefix.escapedIndex(headerRbspBytes);
 * }</pre>
 */
final class RbspPrefix {
  private byte[] rbsp;
  private int[] escapedIndex;

  RbspPrefix(int initialCapacity) {
    rbsp = new byte[initialCapacity];
    escapedIndex = new int[initialCapacity + 1];
  }

  /**
   * Unescapes {@code b[offset, offset + length)} into {@link #rbsp()}, recording each RBSP byte's index in the
   * escaped range; returns the RBSP length. The byte after it, when there is room, is zero.
   */
  int unescape(byte[] b, int offset, int length) {
    if (rbsp.length < length) {
      rbsp = new byte[length];
      escapedIndex = new int[length + 1];
    }
    int zeros = 0;
    int n = 0;
    for (int i = 0; i < length; i++) {
      int v = b[offset + i] & 0xFF;
      if (zeros >= 2 && v == 3) {
        zeros = 0;
        continue; // emulation_prevention_three_byte
      }
      escapedIndex[n] = i;
      rbsp[n++] = (byte) v;
      zeros = v == 0 ? zeros + 1 : 0;
    }
    escapedIndex[n] = length;
    Arrays.fill(rbsp, n, Math.min(rbsp.length, n + 1), (byte) 0);
    return n;
  }

  /** The RBSP bytes of the last {@link #unescape} (the array may be replaced by a later, longer one). */
  byte[] rbsp() {
    return rbsp;
  }

  /**
   * The escaped index of RBSP byte {@code i} of the last {@link #unescape} (its RBSP length maps to the escaped
   * length); indexes past the arrays' capacity give the last slot.
   */
  int escapedIndex(int i) {
    return escapedIndex[Math.min(i, escapedIndex.length - 1)];
  }
}
