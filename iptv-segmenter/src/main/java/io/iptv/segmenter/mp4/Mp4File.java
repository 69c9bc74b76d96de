package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads from an MP4 file with every failure turned into a {@link MediaException}: reading past
 * the end is {@link MediaException.Kind#TRUNCATED}, an I/O error {@link MediaException.Kind#IO}. Not
 * thread-safe.
 */
final class Mp4File implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final long size;

  private Mp4File(Path path, FileChannel channel, long size) {
    this.path = path;
    this.channel = channel;
    this.size = size;
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
