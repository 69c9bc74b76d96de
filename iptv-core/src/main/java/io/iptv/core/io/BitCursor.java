package io.iptv.core.io;

import io.iptv.core.MediaException;
import java.util.Objects;

/**
 * A bit-level read position over a byte array, MSB first, for codec headers (H.264/HEVC parameter sets,
 * ADTS, AC-3 bit stream info, SCTE-35).
 *
 * <p>Includes Exp-Golomb codes (ITU-T H.264 §9.1). The array must already be free of emulation-prevention
 * bytes where the syntax requires it (see {@link EmulationPrevention#unescape}). Reads past the limit throw
 * {@link MediaException} ({@code TRUNCATED}). Mutable; confine to one thread.
 *
 * <pre>{@code
 * BitCursor bits = new BitCursor(EmulationPrevention.unescape(nal, start, length));
 * int profileIdc = bits.readBits(8);
 * int spsId = bits.readUnsignedExpGolomb();
 * }</pre>
 */
public final class BitCursor {
  private byte[] data;
  private int offset;
  private long bitPosition;
  private long bitLimit;

  /** A cursor over all of {@code data}. */
  public BitCursor(byte[] data) {
    this(data, 0, data.length);
  }

  /** A cursor over {@code length} bytes of {@code data} from {@code offset}. */
  public BitCursor(byte[] data, int offset, int length) {
    reset(data, offset, length);
  }

  /** Points the cursor at {@code length} bytes of {@code data} from {@code offset}. */
  public void reset(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    this.data = data;
    this.offset = offset;
    this.bitPosition = 0;
    this.bitLimit = (long) length * 8;
  }

  /** Bits consumed so far. */
  public long bitPosition() {
    return bitPosition;
  }

  /** Bits left before the limit. */
  public long bitsLeft() {
    return bitLimit - bitPosition;
  }

  /** Reads one bit. */
  public boolean readBit() throws MediaException {
    require(1);
    int b = data[offset + (int) (bitPosition >>> 3)] >> (7 - (int) (bitPosition & 7));
    bitPosition++;
    return (b & 1) != 0;
  }

  /** Reads {@code count} (0..32) bits as an unsigned value; 32 bits come back as the int's bit pattern. */
  public int readBits(int count) throws MediaException {
    if (count < 0 || count > 32) {
      throw new IllegalArgumentException("count " + count + " not in 0..32");
    }
    return (int) readBitsLong(count);
  }

  /** Reads {@code count} (0..64) bits as an unsigned value (64 bits: the long's bit pattern). */
  public long readBitsLong(int count) throws MediaException {
    if (count < 0 || count > 64) {
      throw new IllegalArgumentException("count " + count + " not in 0..64");
    }
    require(count);
    long value = 0;
    int remaining = count;
    while (remaining > 0) {
      int byteIndex = offset + (int) (bitPosition >>> 3);
      int bitInByte = (int) (bitPosition & 7);
      int available = 8 - bitInByte;
      int take = Math.min(available, remaining);
      int bits = ((data[byteIndex] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      remaining -= take;
      bitPosition += take;
    }
    return value;
  }

  /** Skips {@code count} bits. */
  public void skipBits(long count) throws MediaException {
    require(count);
    bitPosition += count;
  }

  /** Skips to the next byte boundary. */
  public void byteAlign() {
    bitPosition = Math.min(bitLimit, (bitPosition + 7) & ~7L);
  }

  /** Reads an unsigned Exp-Golomb code {@code ue(v)} (H.264 §9.1); at most 31 leading zero bits. */
  public int readUnsignedExpGolomb() throws MediaException {
    int leadingZeros = 0;
    while (!readBit()) {
      leadingZeros++;
      if (leadingZeros > 31) {
        throw MediaException.malformed("Exp-Golomb code with more than 31 leading zero bits");
      }
    }
    if (leadingZeros == 0) {
      return 0;
    }
    long value = (1L << leadingZeros) - 1 + readBitsLong(leadingZeros);
    if (value > Integer.MAX_VALUE) {
      throw MediaException.malformed("Exp-Golomb value out of range: " + value);
    }
    return (int) value;
  }

  /** Reads a signed Exp-Golomb code {@code se(v)} (H.264 §9.1.1). */
  public int readSignedExpGolomb() throws MediaException {
    int codeNum = readUnsignedExpGolomb();
    int magnitude = (codeNum + 1) >>> 1;
    return (codeNum & 1) != 0 ? magnitude : -magnitude;
  }

  private void require(long count) throws MediaException {
    if (count < 0 || count > bitLimit - bitPosition) {
      throw MediaException.truncated("need " + count + " bits at bit " + bitPosition + ", have " + (bitLimit - bitPosition));
    }
  }
}
