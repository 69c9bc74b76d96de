package io.iptv.segmenter.slate;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;

/**
 * A big-endian bit writer over a fixed, zero-filled buffer: what the silent-frame builders write their
 * bitstream syntax with. Bits past the end are counted but not stored, so a writer checks
 * {@link #bitPosition()} against the buffer once at the end instead of failing midway. Not thread-safe.
 */
final class BitWriter {
  private final byte[] data;
  private int bit;

  BitWriter(int bytes) {
    data = new byte[bytes];
  }

  /** Writes the low {@code bits} bits of {@code value}, most significant first. */
  void put(int value, int bits) {
    for (int i = bits - 1; i >= 0; i--) {
      if (((value >>> i) & 1) != 0 && (bit >>> 3) < data.length) {
        data[bit >>> 3] |= (byte) (0x80 >>> (bit & 7));
      }
      bit++;
    }
  }

  /** Copies the next {@code bits} (≤ 32) bits of {@code in} and returns them (a field kept as it was). */
  int copy(BitCursor in, int bits) throws MediaException {
    int value = in.readBits(bits);
    put(value, bits);
    return value;
  }

  /** Bits written so far. */
  int bitPosition() {
    return bit;
  }

  int byteLength() {
    return (bit + 7) >>> 3;
  }

  byte[] bytes() {
    return data;
  }
}
