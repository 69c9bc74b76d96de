package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.DeferredBytes;
import java.io.IOException;

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
