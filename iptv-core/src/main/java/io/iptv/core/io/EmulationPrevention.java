package io.iptv.core.io;

import java.util.Objects;

/**
 * Removes and inserts emulation-prevention bytes of H.264/HEVC NAL units (ITU-T H.264 §7.4.1, H.265 §7.4.2):
 * inside a NAL unit every {@code 00 00 03} stands for {@code 00 00}, so that no start code appears in the
 * payload.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] rbsp = EmulationPrevention.unescape(nal, nalStart, nalLength);
 * BitCursor bits = new BitCursor(rbsp);
 * }</pre>
 */
public final class EmulationPrevention {
  private EmulationPrevention() {}

  /** Returns the raw byte sequence payload: {@code source[offset..offset+length)} without its 0x03 escapes. */
  public static byte[] unescape(byte[] source, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, source.length);
    byte[] out = new byte[length];
    int written = 0;
    int zeros = 0;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      int b = source[i] & 0xFF;
      if (zeros >= 2 && b == 3) {
        // emulation_prevention_three_byte: dropped, and the zero run starts again.
        zeros = 0;
        continue;
      }
      out[written++] = (byte) b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return written == length ? out : java.util.Arrays.copyOf(out, written);
  }

  /** Returns {@code rbsp} with an emulation-prevention byte inserted wherever two zero bytes precede 0..3. */
  public static byte[] escape(byte[] rbsp, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, rbsp.length);
    byte[] out = new byte[length + length / 2 + 2];
    int written = 0;
    int zeros = 0;
    for (int i = offset; i < offset + length; i++) {
      int b = rbsp[i] & 0xFF;
      if (zeros >= 2 && b <= 3) {
        out[written++] = 3;
        zeros = 0;
      }
      out[written++] = (byte) b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    if (zeros >= 2) {
      // H.264 §7.4.1: an RBSP ending in zero bytes (cabac_zero_word) gets a final 0x03.
      out[written++] = 3;
    }
    return java.util.Arrays.copyOf(out, written);
  }
}
