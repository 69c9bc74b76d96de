package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
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
