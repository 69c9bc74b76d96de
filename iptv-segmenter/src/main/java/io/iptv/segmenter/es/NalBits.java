package io.iptv.segmenter.es;

/** Small helpers for NAL unit headers read straight from the byte stream. Stateless. */
final class NalBits {
  private NalBits() {}

  /**
   * Decodes an unsigned Exp-Golomb code (H.264 §9.1) from the first up-to-4 bytes at {@code offset},
   * ignoring emulation prevention (as FFmpeg's frame splitters do). Returns -1 if it does not fit.
   */
  static int readUe(byte[] data, int offset, int available) {
    int bits = 0;
    int n = Math.min(4, Math.max(0, available));
    for (int i = 0; i < 4; i++) {
      bits = (bits << 8) | (i < n ? data[offset + i] & 0xFF : 0);
    }
    int leadingZeros = Integer.numberOfLeadingZeros(bits);
    if (leadingZeros > 15 || 2 * leadingZeros + 1 > n * 8) {
      return -1;
    }
    return (bits >>> (32 - (2 * leadingZeros + 1))) - 1;
  }
}
