package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.pipeline.DeferredBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Where a packager puts what it produces: segments and playlists by relative name ({@code v0/seg-00001.ts},
 * {@code v0/index.m3u8}, {@code master.m3u8}). Names use {@code /} and never start with it, so a directory
 * written through this sink is servable by plain static file serving.
 *
 * <p>Contract: {@link #write} replaces a resource atomically (readers see the old or the new bytes, never a
 * mix); the packager writes a segment before any playlist that lists it. Called from the packager's thread.
 *
 * <pre>{@code
 * SegmentSink sink = DirectorySegmentSink.of(Path.of("/var/www/live/news"));
 * SegmentSink memory = new InMemorySegmentSink();
 * }</pre>
 */
public interface SegmentSink {
  /** Creates or atomically replaces {@code name}. */
  void write(String name, ByteSlice bytes) throws IOException;

  /**
   * Creates or atomically replaces {@code name} with bytes computed on demand (a deferred segment transform,
   * {@link io.iptv.core.pipeline.SegmentTransform#defer}), exactly {@code length} long. The default computes them
   * at once on the calling thread and {@link #write(String, ByteSlice) writes} them; a sink with its own threads
   * ({@link BackgroundSegmentSink}) computes them there, so that the caller goes on packaging meanwhile. Either
   * way the order guarantees of {@link #write(String, ByteSlice)} hold, and a failure of the computation (its
   * {@link io.iptv.core.MediaException}) is a failure of this write: thrown here, or, by an asynchronous sink,
   * wrapped in the {@link IOException} of a later call.
   *
   * @param name the resource
   * @param length how many bytes {@code bytes} computes (for a sink's bookkeeping of bytes in flight)
   * @param bytes computes the bytes; called at most once
   */
  default void write(String name, long length, DeferredBytes bytes) throws IOException {
    write(name, bytes.compute());
  }

  /**
   * {@code length} bytes of a file at {@code offset}.
   *
   * @param offset where the bytes start
   * @param length how many
   */
  record FileRegion(long offset, long length) {
    /** Validates. */
    public FileRegion {
      Preconditions.requireArgument(offset >= 0 && length >= 0, "bad region %d+%d", offset, length);
    }
  }

  /**
   * Creates or atomically replaces {@code name} with {@code head} followed by {@code regions} of {@code source}, in
   * order: a segment cut out of an input file (the copy paths of {@link HlsFilePackager}: TS packets, or an fMP4
   * segment's boxes in {@code head} and its samples' bytes in the file) without passing the bulk through the heap.
   * The default reads them into one array and {@link #write(String, ByteSlice) writes} it;
   * {@link DirectorySegmentSink} copies the regions within the kernel, or reads them straight into its direct-I/O
   * buffers, and {@link BackgroundSegmentSink} does that on its writer threads. {@code source} is read with
   * positional reads only (so several writes may share it) and must stay open until the write is done: for an
   * asynchronous sink, until it finished.
   *
   * @param name the resource
   * @param head bytes before the regions (may be empty); not modified
   * @param source the file the regions are in
   * @param regions what to copy, at most {@link Integer#MAX_VALUE} bytes in all (with the head) for the default
   */
  default void write(String name, ByteSlice head, FileChannel source, List<FileRegion> regions) throws IOException {
    long total = head.length();
    for (FileRegion r : regions) {
      total += r.length();
    }
    Preconditions.requireArgument(total <= Integer.MAX_VALUE - 8, "%d bytes do not fit one array", total);
    byte[] bytes = new byte[(int) total];
    head.copyTo(0, bytes, 0, head.length());
    ByteBuffer into = ByteBuffer.wrap(bytes, head.length(), bytes.length - head.length());
    for (FileRegion r : regions) {
      DirectIoFileWriter.readFully(source, r, into);
    }
    write(name, ByteSlice.wrap(bytes));
  }

  /** Deletes {@code name} (a segment that left the live window and its grace period); absent is fine. */
  void delete(String name) throws IOException;

  /**
   * Whether {@code name} is present. A restarted packager lists again only the segments its sink still holds
   * (files may be lost while it is down); sinks that cannot tell answer true, and are trusted.
   */
  default boolean exists(String name) throws IOException {
    return true;
  }
}
