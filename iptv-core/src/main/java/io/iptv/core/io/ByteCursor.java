package io.iptv.core.io;

import io.iptv.core.MediaException;
import java.util.Objects;

/**
 * A read position over a byte array, for parsing big-endian binary structures (ISO/IEC 13818-1 sections,
 * PES headers, ISO BMFF boxes).
 *
 * <p>Every read checks the limit and throws {@link MediaException} ({@code TRUNCATED}) instead of an
 * unchecked index error, so parsers of damaged input fail with the library's one error type. The cursor
 * is mutable and reusable ({@link #reset}); confine each instance to one thread.
 *
 * <pre>{@code
 * ByteCursor c = new ByteCursor(section, 0, sectionLength);
 * int tableId = c.readUnsignedByte();
 * int sectionLength = c.readUnsignedShort() & 0x0FFF;
 * }</pre>
 */
public final class ByteCursor {
  private byte[] data;
  private int position;
  private int limit;

  /** An empty cursor, to be {@link #reset} before use. */
  public ByteCursor() {
    this(new byte[0], 0, 0);
  }

  /** A cursor over {@code data[position..limit)}. */
  public ByteCursor(byte[] data, int position, int limit) {
    reset(data, position, limit);
  }

  /** A cursor over all of {@code data}. */
  public ByteCursor(byte[] data) {
    this(data, 0, data.length);
  }

  /** Points the cursor at {@code data[position..limit)}. */
  public void reset(byte[] data, int position, int limit) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromToIndex(position, limit, data.length);
    this.data = data;
    this.position = position;
    this.limit = limit;
  }

  /** The backing array (not a copy). */
  public byte[] data() {
    return data;
  }

  /** The absolute read position in {@link #data()}. */
  public int position() {
    return position;
  }

  /** The absolute limit in {@link #data()}. */
  public int limit() {
    return limit;
  }

  /** Bytes between the position and the limit. */
  public int bytesLeft() {
    return limit - position;
  }

  /** Moves the position (absolute); it must stay within the array and not pass the limit. */
  public void setPosition(int newPosition) throws MediaException {
    if (newPosition < 0 || newPosition > limit) {
      throw MediaException.truncated("position " + newPosition + " outside [0, " + limit + "]");
    }
    position = newPosition;
  }

  /** Lowers the limit to {@code position() + length}, e.g. to the end of a length-prefixed structure. */
  public void limitTo(int length) throws MediaException {
    require(length);
    limit = position + length;
  }

  /** Skips {@code count} bytes. */
  public void skip(int count) throws MediaException {
    require(count);
    position += count;
  }

  /** Reads one unsigned byte. */
  public int readUnsignedByte() throws MediaException {
    require(1);
    return data[position++] & 0xFF;
  }

  /** Returns the next unsigned byte without consuming it. */
  public int peekUnsignedByte() throws MediaException {
    require(1);
    return data[position] & 0xFF;
  }

  /** Reads a big-endian unsigned 16-bit value. */
  public int readUnsignedShort() throws MediaException {
    require(2);
    int v = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
    position += 2;
    return v;
  }

  /** Reads a big-endian unsigned 24-bit value. */
  public int readUnsignedInt24() throws MediaException {
    require(3);
    int v = ((data[position] & 0xFF) << 16) | ((data[position + 1] & 0xFF) << 8) | (data[position + 2] & 0xFF);
    position += 3;
    return v;
  }

  /** Reads a big-endian unsigned 32-bit value. */
  public long readUnsignedInt() throws MediaException {
    return readInt() & 0xFFFFFFFFL;
  }

  /** Reads a big-endian signed 32-bit value. */
  public int readInt() throws MediaException {
    require(4);
    int v = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
        | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
    position += 4;
    return v;
  }

  /** Reads a big-endian signed 64-bit value. */
  public long readLong() throws MediaException {
    long high = readUnsignedInt();
    return (high << 32) | readUnsignedInt();
  }

  /** Copies {@code length} bytes into {@code target} at {@code offset}. */
  public void readBytes(byte[] target, int offset, int length) throws MediaException {
    require(length);
    System.arraycopy(data, position, target, offset, length);
    position += length;
  }

  /** Reads {@code length} bytes into a new immutable slice. */
  public ByteSlice readSlice(int length) throws MediaException {
    require(length);
    ByteSlice slice = ByteSlice.copyOf(data, position, length);
    position += length;
    return slice;
  }

  /** Reads {@code length} bytes as ISO-8859-1 text (e.g. ISO 639 language codes). */
  public String readLatin1(int length) throws MediaException {
    require(length);
    String s = new String(data, position, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    position += length;
    return s;
  }

  private void require(int count) throws MediaException {
    if (count < 0 || count > limit - position) {
      throw MediaException.truncated("need " + count + " bytes at " + position + ", have " + (limit - position));
    }
  }
}
