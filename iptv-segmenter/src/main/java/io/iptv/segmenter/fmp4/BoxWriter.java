package io.iptv.segmenter.fmp4;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF boxes (ISO/IEC 14496-12 §4.2) into a growable big-endian buffer: {@link #start} opens a box
 * and {@link #end} patches its 32-bit size, so boxes nest without computing sizes up front. The layer the
 * fMP4/CMAF writers (and the DRM boxes {@code sinf}, {@code tenc}, {@code pssh}, {@code senc}, …) are built on.
 *
 * <p>Not thread-safe; reuse one instance per writer with {@link #reset()} to avoid garbage.
 *
 * <pre>{@code
 * BoxWriter w = new BoxWriter();
 * w.start("moov");
 * w.startFull("mvhd", 1, 0).u64(0).u64(0).u32(1000).u64(0);
 * w.end();
 * w.end();
 * ByteSlice bytes = w.toSlice();
 * }</pre>
 */
public final class BoxWriter {
  private static final int MAX_DEPTH = 32;
  private static final byte[] EMPTY = new byte[0];
  private byte[] buf;
  private int pos;
  /** Size of the buffer allocated after {@link #takeOut()}. */
  private int nextCapacity = 64;
  /** Bytes handed over by the last {@link #takeOut()}. */
  private int lastTakenOut;
  private final int[] open = new int[MAX_DEPTH];
  private int depth;
  /** Where buffers after {@link #takeOut()} come from and are lent out through, or null (allocated). */
  private io.iptv.segmenter.ts.SegmentBufferPool pool;

  /** A writer with a small initial buffer. */
  public BoxWriter() {
    this(4096);
  }

  /** A writer with {@code capacity} bytes pre-allocated. */
  public BoxWriter(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  /**
   * Takes the buffers that follow each {@link #takeOut()} from {@code pool} and lends the handed-over bytes out
   * through it, so that a recycled segment's array backs a later one (see
   * {@link io.iptv.segmenter.ts.SegmentBufferPool}).
   */
  void segmentBuffers(io.iptv.segmenter.ts.SegmentBufferPool value) {
    pool = value;
  }

  /** Forgets everything written (keeps the buffer). */
  public BoxWriter reset() {
    pos = 0;
    depth = 0;
    return this;
  }

  /** Bytes written so far. */
  public int position() {
    return pos;
  }

  /** Opens a box of four-character {@code type}: size (32, patched by {@link #end}), type (32). */
  public BoxWriter start(String type) {
    if (depth >= MAX_DEPTH) { // checked before calling: the varargs call would allocate on every box
      Preconditions.requireState(false, "boxes nested deeper than %d", MAX_DEPTH);
    }
    open[depth++] = pos;
    u32(0);
    return fourcc(type);
  }

  /** Opens a FullBox (§4.2): box header, version (8), flags (24). */
  public BoxWriter startFull(String type, int version, int flags) {
    start(type);
    u8(version);
    return u24(flags);
  }

  /** Closes the innermost open box, writing its size. */
  public BoxWriter end() {
    if (depth == 0) {
      Preconditions.requireState(false, "no open box");
    }
    int at = open[--depth];
    putInt(at, pos - at);
    return this;
  }

  /** Number of boxes currently open. */
  public int depth() {
    return depth;
  }

  /**
   * Makes room for {@code bytes} more bytes in one step, so that a segment whose size is known up front (to a
   * small margin) is written without growing the buffer: growing by half copies what was written, with the old
   * and the new array live at once, and from a 1 MiB start a first 7 MB segment grew five times. With a pool,
   * the room is a recycled array that holds it or a new one an eighth larger (for later, slightly larger
   * segments); the replaced array is given back.
   */
  void reserve(int bytes) {
    long needed = (long) pos + bytes;
    if (needed <= buf.length || needed > Integer.MAX_VALUE - 16) {
      return; // room enough, or left to ensure() and its limit
    }
    byte[] old = buf;
    if (pool != null) {
      buf = pool.take((int) needed, (int) Math.min(Integer.MAX_VALUE - 16, needed + needed / 8));
      if (old.length > 0) {
        pool.giveBack(old);
      }
    } else {
      buf = new byte[(int) needed];
    }
    System.arraycopy(old, 0, buf, 0, pos); // the bytes written; every later byte is written before use
  }

  /**
   * The buffer, with room for {@code bytes} bytes after the position, of which the first {@code kept} (already
   * written there by the caller, past the position) are kept when the buffer grows: for a fragment writer that
   * encrypts samples straight into the segment before it knows the size of the {@code moof} they follow.
   * Package-private: the array is this writer's; the caller writes only after the position.
   */
  byte[] room(int kept, int bytes) {
    Preconditions.requireArgument(kept >= 0 && kept <= bytes, "kept %d of %d bytes", kept, bytes);
    if ((long) pos + bytes > buf.length) {
      int saved = pos;
      pos += kept; // growing copies what is written up to the position: the kept bytes count as written
      try {
        ensure(bytes - kept);
      } finally {
        pos = saved;
      }
    }
    return buf;
  }

  /** Moves the position over {@code n} bytes the caller put in place in {@link #room}'s array. */
  void advance(int n) {
    Preconditions.requireArgument(n >= 0 && (long) pos + n <= buf.length, "advance %d past the buffer", n);
    pos += n;
  }

  /** Writes an unsigned 8-bit value. */
  public BoxWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  /** Writes a 16-bit value. */
  public BoxWriter u16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  /** Writes a 24-bit value. */
  public BoxWriter u24(int v) {
    ensure(3);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  /** Writes a 32-bit value (unsigned values up to 2^32 − 1 are passed as long). */
  public BoxWriter u32(long v) {
    ensure(4);
    putInt(pos, (int) v);
    pos += 4;
    return this;
  }

  /** Writes a 64-bit value. */
  public BoxWriter u64(long v) {
    u32(v >>> 32);
    return u32(v);
  }

  /** Writes a four-character code. */
  public BoxWriter fourcc(String code) {
    if (code.length() != 4) {
      Preconditions.requireArgument(false, "fourcc %s is not 4 characters", code);
    }
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) code.charAt(i);
    }
    return this;
  }

  /** Writes {@code n} zero bytes. */
  public BoxWriter zeros(int n) {
    ensure(n);
    Arrays.fill(buf, pos, pos + n, (byte) 0);
    pos += n;
    return this;
  }

  /** Writes bytes. */
  public BoxWriter bytes(byte[] data, int offset, int length) {
    ensure(length);
    System.arraycopy(data, offset, buf, pos, length);
    pos += length;
    return this;
  }

  /** Writes a slice's bytes. */
  public BoxWriter bytes(ByteSlice data) {
    ensure(data.length());
    data.copyTo(buf, pos);
    pos += data.length();
    return this;
  }

  /** Writes {@code length} bytes of {@code data} from {@code from}, without making a sub-slice. */
  public BoxWriter bytes(ByteSlice data, int from, int length) {
    ensure(length);
    data.copyTo(from, buf, pos, length);
    pos += length;
    return this;
  }

  /** Appends everything {@code other} holds (its boxes must be closed). */
  public BoxWriter bytes(BoxWriter other) {
    Preconditions.requireState(other.depth == 0, "%d box(es) still open", other.depth);
    return bytes(other.buf, 0, other.pos);
  }

  /** Writes a NUL-terminated UTF-8 string. */
  public BoxWriter cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    bytes(b, 0, b.length);
    return u8(0);
  }

  /** Overwrites the 32-bit value at {@code offset} (e.g. a {@code trun} data_offset known later). */
  public BoxWriter patchU32(int offset, long v) {
    if (offset < 0 || offset + 4 > pos) { // checked before calling: once per sample, boxing would allocate
      Preconditions.requireArgument(false, "patch offset %d outside 0..%d", offset, pos);
    }
    putInt(offset, (int) v);
    return this;
  }

  /** A copy of the bytes written; all boxes must be closed. */
  public ByteSlice toSlice() {
    Preconditions.requireState(depth == 0, "%d box(es) still open", depth);
    return ByteSlice.copyOf(buf, 0, pos);
  }

  /**
   * The bytes written, handed over without copying (all boxes must be closed); the writer continues empty,
   * with a fresh buffer of the handed-over size plus an eighth allocated on first use, so that a writer
   * producing one segment after another copies each segment's bytes once instead of twice.
   */
  public ByteSlice takeOut() {
    Preconditions.requireState(depth == 0, "%d box(es) still open", depth);
    ByteSlice bytes = pool != null ? pool.lend(buf, pos) : ByteSlice.wrap(buf, 0, pos);
    nextCapacity = Math.max(64, pos + pos / 8);
    lastTakenOut = pos;
    buf = EMPTY;
    pos = 0;
    return bytes;
  }

  /**
   * A read-only view of the bytes written, without copying: valid only until the next write or {@link #reset()}
   * (for handing a staged sample to an encryptor that copies it).
   */
  ByteSlice view() {
    Preconditions.requireState(depth == 0, "%d box(es) still open", depth);
    return ByteSlice.wrap(buf, 0, pos);
  }

  /**
   * The backing array: the bytes written are {@code [0, position())}; valid only until the next write or
   * {@link #reset()} (for staging samples that an encryptor reads in place).
   */
  byte[] array() {
    return buf;
  }

  /** A copy of the bytes written, as an array. */
  public byte[] toByteArray() {
    Preconditions.requireState(depth == 0, "%d box(es) still open", depth);
    return Arrays.copyOf(buf, pos);
  }

  private void putInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      if (buf.length == 0) { // after takeOut(): a buffer like the last one handed over
        int size = Math.max(nextCapacity, n);
        if (pool != null) {
          // Any recycled array that holds a segment like the last (a larger segment grows it, see below); a new
          // one with a quarter more room, so that it serves later, larger segments too.
          int min = Math.max(lastTakenOut, n);
          buf = pool.take(min, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(size, min + (long) min / 4)));
        } else {
          buf = new byte[size]; // every byte is written before use
        }
        return;
      }
      long grown = Math.max((long) buf.length * 2, (long) pos + n);
      if (grown > Integer.MAX_VALUE - 16) {
        Preconditions.requireState(false, "box buffer over 2 GiB");
      }
      byte[] old = buf;
      if (pool != null) {
        // A segment larger than the last: from 1 MiB on half as much room again (not twice: a pool holds few
        // arrays of that size), from a recycled array if one is large enough.
        long wanted = buf.length < (1 << 20) ? grown : Math.max((long) pos + n, buf.length + (long) buf.length / 2);
        if (wanted > Integer.MAX_VALUE - 16) {
          Preconditions.requireState(false, "box buffer over 2 GiB");
        }
        buf = pool.take((int) wanted, (int) wanted);
        System.arraycopy(old, 0, buf, 0, pos); // the bytes written; every later byte is written before use
        pool.giveBack(old);
      } else {
        buf = Arrays.copyOf(buf, (int) grown);
      }
    }
  }
}
