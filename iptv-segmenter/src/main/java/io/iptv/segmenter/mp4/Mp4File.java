package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Positional reads from an MP4 file with every failure turned into a {@link MediaException}: reading past
 * the end is {@link MediaException.Kind#TRUNCATED}, an I/O error {@link MediaException.Kind#IO}. Not
 * thread-safe.
 *
 * <p>Reads go through read-only memory mappings of fixed {@value #WINDOW_BYTES}-byte windows of the file,
 * mapped when first touched: a sample is copied once, from the page cache into its array, without a system
 * call (a {@link FileChannel} read into a heap array goes through a temporary direct buffer: two copies and
 * a {@code pread} per sample). Reads that cross a window boundary use the channel. The mappings are released
 * by the garbage collector after {@link #close()}; their resident pages are page cache, not heap.
 */
final class Mp4File implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final MappedByteBuffer[] windows;

  /** Size of one mapped window (a power of two). */
  static final int WINDOW_BYTES = 1 << 28;

  private Mp4File(Path path, FileChannel channel, long size) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.windows = new MappedByteBuffer[(int) ((size + WINDOW_BYTES - 1) / WINDOW_BYTES)];
  }

  static Mp4File open(Path path) throws MediaException {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      return new Mp4File(path, channel, channel.size());
    } catch (IOException e) {
      closeQuietly(channel);
      throw MediaException.of(MediaException.Kind.IO, "cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  /** The file's size in bytes. */
  long size() {
    return size;
  }

  /** The file name, for messages. */
  String name() {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }

  /** Reads exactly {@code length} bytes at {@code position} into {@code target[offset..]}. */
  void readFully(long position, byte[] target, int offset, int length) throws MediaException {
    if (position < 0 || length < 0 || position > size - length) {
      throw MediaException.truncated(name() + ": need bytes [" + position + ", " + (position + length)
          + ") but the file has " + size + " bytes (truncated file?)");
    }
    Objects.checkFromIndexSize(offset, length, target.length);
    int window = (int) (position / WINDOW_BYTES);
    int inWindow = (int) (position % WINDOW_BYTES);
    if (length > 0 && inWindow + length <= WINDOW_BYTES && map(window)) {
      try {
        windows[window].get(inWindow, target, offset, length);
        return;
      } catch (InternalError e) {
        // The JVM reports a fault on a mapped page (the file shrank under us) as an InternalError.
        throw MediaException.of(MediaException.Kind.IO, name() + ": read failed at " + position
            + " (file changed while being read?): " + e.getMessage(), e);
      }
    }
    readFromChannel(position, target, offset, length);
  }

  /** Maps window {@code index} if not yet mapped; false if mapping failed (the channel is used instead). */
  private boolean map(int index) {
    if (windows[index] != null) {
      return true;
    }
    long start = (long) index * WINDOW_BYTES;
    try {
      windows[index] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW_BYTES, size - start));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false; // e.g. a file system or channel that cannot map: positional reads still work
    }
  }

  private void readFromChannel(long position, byte[] target, int offset, int length) throws MediaException {
    ByteBuffer buffer = ByteBuffer.wrap(target, offset, length);
    long at = position;
    try {
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, at);
        if (n < 0) {
          throw MediaException.truncated(name() + ": unexpected end of file at " + at);
        }
        at += n;
      }
    } catch (IOException e) {
      if (e instanceof MediaException m) {
        throw m;
      }
      throw MediaException.of(MediaException.Kind.IO, name() + ": read failed at " + at + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws MediaException {
    try {
      channel.close();
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "close failed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the open error is reported
      }
    }
  }
}
