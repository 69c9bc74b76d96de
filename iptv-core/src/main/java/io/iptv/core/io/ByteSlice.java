package io.iptv.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * An immutable, shareable run of bytes: sample payloads, segments, playlists.
 *
 * <p>Nobody may write to the backing array after a slice is made over it: {@link #copyOf} copies, and
 * {@link #wrap} is for arrays the caller has just produced and hands over. There is no reference counting:
 * the garbage collector frees slices. Equality is by content.
 *
 * <p>Thread-safe (immutable).
 *
 * <pre>{@code
 * ByteSlice payload = ByteSlice.copyOf(pesBuffer, start, length);
 * payload.writeTo(out);
 * }</pre>
 */
public final class ByteSlice {
  private static final ByteSlice EMPTY = new ByteSlice(new byte[0], 0, 0);

  private final byte[] array;
  private final int offset;
  private final int length;

  private ByteSlice(byte[] array, int offset, int length) {
    this.array = array;
    this.offset = offset;
    this.length = length;
  }

  /** The empty slice. */
  public static ByteSlice empty() {
    return EMPTY;
  }

  /** Copies {@code length} bytes of {@code source} from {@code offset}. */
  public static ByteSlice copyOf(byte[] source, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, source.length);
    if (length == 0) {
      return EMPTY;
    }
    return new ByteSlice(Arrays.copyOfRange(source, offset, offset + length), 0, length);
  }

  /** Copies the whole of {@code source}. */
  public static ByteSlice copyOf(byte[] source) {
    return copyOf(source, 0, source.length);
  }

  /**
   * Takes ownership of {@code array} without copying. The caller must never modify it afterwards.
   */
  public static ByteSlice wrap(byte[] array) {
    return new ByteSlice(array, 0, array.length);
  }

  /** Takes ownership of a range of {@code array} without copying; see {@link #wrap(byte[])}. */
  public static ByteSlice wrap(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    return new ByteSlice(array, offset, length);
  }

  /** Number of bytes. */
  public int length() {
    return length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return length == 0;
  }

  /** The unsigned byte at {@code index}. */
  public int byteAt(int index) {
    Objects.checkIndex(index, length);
    return array[offset + index] & 0xFF;
  }

  /** A sub-range of this slice, sharing its bytes. */
  public ByteSlice slice(int from, int sliceLength) {
    Objects.checkFromIndexSize(from, sliceLength, length);
    return new ByteSlice(array, offset + from, sliceLength);
  }

  /** A fresh copy of the bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** Copies the bytes into {@code target} at {@code targetOffset}. */
  public void copyTo(byte[] target, int targetOffset) {
    System.arraycopy(array, offset, target, targetOffset, length);
  }

  /**
   * Copies {@code count} bytes starting at {@code from} into {@code target} at {@code targetOffset}, without
   * making a sub-slice (for per-packet copy loops that must not allocate).
   */
  public void copyTo(int from, byte[] target, int targetOffset, int count) {
    Objects.checkFromIndexSize(from, count, length);
    System.arraycopy(array, offset + from, target, targetOffset, count);
  }

  /**
   * Index of the first Annex B start code prefix {@code 00 00 01} that lies wholly in {@code [from, length())},
   * or -1; searched eight bytes at a time ({@link StartCodes#next}) without copying the bytes.
   */
  public int indexOfStartCode(int from) {
    if (from >= length) {
      return -1;
    }
    int at = StartCodes.next(array, offset + Math.max(from, 0), offset + length);
    return at < 0 ? -1 : at - offset;
  }

  /** A read-only buffer over the bytes (no copy). */
  public ByteBuffer asReadOnlyByteBuffer() {
    return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
  }

  /** Writes the bytes to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(array, offset, length);
  }

  /** A cursor over a copy-free view of the bytes, for parsing. */
  public ByteCursor cursor() {
    return new ByteCursor(array, offset, offset + length);
  }

  /** CRC-32 (ISO-HDLC, as {@link CRC32}) of the bytes; handy for dumps and ETags. */
  public long crc32() {
    CRC32 crc = new CRC32();
    crc.update(array, offset, length);
    return crc.getValue();
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ByteSlice)) {
      return false;
    }
    ByteSlice that = (ByteSlice) other;
    return Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "ByteSlice[length=" + length + "]";
  }
}
