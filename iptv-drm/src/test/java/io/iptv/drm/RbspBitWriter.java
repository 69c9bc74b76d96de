package io.iptv.drm;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** MSB-first bit writer with Exp-Golomb codes (ITU-T H.264 §9.1, H.265 §9.2), for hand-built test bitstreams. */
final class RbspBitWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int current;
  private int count;
  private int total;

  /** {@code u(bits)}: the low {@code bits} (0..64) bits of {@code value}. */
  RbspBitWriter u(int bits, long value) {
    for (int i = bits - 1; i >= 0; i--) {
      current = (current << 1) | (int) ((value >> i) & 1);
      total++;
      if (++count == 8) {
        out.write(current);
        current = 0;
        count = 0;
      }
    }
    return this;
  }

  /** One flag. */
  RbspBitWriter flag(boolean value) {
    return u(1, value ? 1 : 0);
  }

  /** {@code ue(v)}. */
  RbspBitWriter ue(int value) {
    long v = value + 1L;
    int length = 64 - Long.numberOfLeadingZeros(v);
    return u(length - 1, 0).u(length, v);
  }

  /** {@code se(v)}. */
  RbspBitWriter se(int value) {
    return ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** byte_alignment() / rbsp_trailing_bits(): a one bit, then zero bits to the byte boundary. */
  RbspBitWriter oneThenAlign() {
    u(1, 1);
    return u((8 - total % 8) % 8, 0);
  }

  /** Bits written so far. */
  int bits() {
    return total;
  }

  /** The bytes written, the last one padded with zero bits. */
  byte[] bytes() {
    byte[] body = out.toByteArray();
    if (count == 0) {
      return body;
    }
    byte[] withTail = Arrays.copyOf(body, body.length + 1);
    withTail[body.length] = (byte) (current << (8 - count));
    return withTail;
  }
}
