package io.iptv.segmenter.input;

import io.iptv.core.MediaException;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.es.ElementaryStreamReaders;
import io.iptv.segmenter.es.SampleBufferPool;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An MPEG-TS file read through {@link TsDemuxer} in 1 MiB chunks. Not thread-safe.
 *
 * <p>The file is memory-mapped in windows of {@value #WINDOW_BYTES} bytes and each chunk copied from the
 * mapping into the demuxer's heap array: one copy per byte, where {@code FileChannel.read} into a heap buffer
 * makes two (kernel → the JDK's temporary direct buffer → heap). Files that cannot be mapped are read with
 * {@code FileChannel.read}. A file that shrinks while mapped fails with a {@link MediaException} (IO). Each
 * window is unmapped as soon as it is consumed ({@link MappedWindows}), so resident memory stays bounded.
 *
 * <pre>{@code
 * try (MediaInput input = new TsFileInput(Path.of("channel.ts"), 0)) { input.readAll(events::add); }
 * }</pre>
 */
public final class TsFileInput implements MediaInput {
  private static final int CHUNK_BYTES = 1 << 20;
  /** Size of one mapped window (a multiple of {@link #CHUNK_BYTES}). */
  static final int WINDOW_BYTES = 16 << 20;
  private final FileChannel channel;
  private final int programNumber;
  /** Where video access units are lent from, or null. */
  private final SampleBufferPool sampleBuffers;

  /**
   * Opens {@code file}; {@code programNumber} 0 selects the default program (the first with video).
   */
  public TsFileInput(Path file, int programNumber) throws MediaException {
    this(file, programNumber, null);
  }

  /** As {@link #TsFileInput(Path, int)}, video access units lent from {@code sampleBuffers} (null: allocated). */
  TsFileInput(Path file, int programNumber, SampleBufferPool sampleBuffers) throws MediaException {
    this.sampleBuffers = sampleBuffers;
    try {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot open " + file + ": " + e.getMessage(), e);
    }
    this.programNumber = programNumber;
  }

  @Override
  public void readAll(Emitter out) throws MediaException {
    TsDemuxer.Builder builder = TsDemuxer.builder();
    if (programNumber > 0) {
      builder.programNumber(programNumber);
    }
    if (sampleBuffers != null) {
      builder.readerFactory(ElementaryStreamReaders.factory(sampleBuffers));
    }
    TsDemuxer demuxer = builder.build(out);
    byte[] chunk = new byte[CHUNK_BYTES];
    long position = 0;
    try {
      long size = channel.size();
      while (position < size) {
        MappedByteBuffer window = map(position, Math.min(WINDOW_BYTES, size - position));
        if (window == null) {
          break; // cannot map: read the rest
        }
        try {
          position += feedWindow(window, chunk, demuxer, position);
        } finally {
          MappedWindows.release(window); // copied out; no view escaped
        }
      }
      channel.position(position);
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        demuxer.feed(chunk, 0, buffer.limit());
        buffer.clear();
      }
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "read failed: " + e.getMessage(), e);
    }
    demuxer.finish();
  }

  /** Feeds a mapped window chunk by chunk; returns its length. */
  private static int feedWindow(MappedByteBuffer window, byte[] chunk, TsDemuxer demuxer, long position)
      throws MediaException {
    int length = window.limit();
    for (int at = 0; at < length; at += CHUNK_BYTES) {
      int n = Math.min(CHUNK_BYTES, length - at);
      try {
        window.get(at, chunk, 0, n);
      } catch (InternalError e) {
        // The JVM reports a fault on a mapped page (the file shrank under us) as an InternalError.
        throw MediaException.of(MediaException.Kind.IO, "read failed at " + (position + at)
            + " (file changed while being read?): " + e.getMessage(), e);
      }
      demuxer.feed(chunk, 0, n);
    }
    return length;
  }

  /** Maps {@code length} bytes at {@code position}, or null if this file cannot be mapped. */
  private MappedByteBuffer map(long position, long length) {
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, position, length);
    } catch (IOException | UnsupportedOperationException e) {
      return null; // e.g. a pipe or a file system without mmap: FileChannel.read still works
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
}
