package io.iptv.core.pipeline;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * Bytes computed when they are needed rather than when they are planned: how a packager hands the costly
 * half of a deferred {@link SegmentTransform} ({@link SegmentTransform#defer}) to a sink, which may run it on its
 * own thread (a background segment writer) instead of the packager's.
 *
 * <p>Contract: {@link #compute} is called at most once (never when the work is discarded, e.g. after another
 * failure), possibly on another thread than the one that created this, and concurrently with other instances;
 * its failure fails packaging.
 *
 * <pre>{@code
 * DeferredBytes later = () -> Aes128SegmentEncryptor.encrypt(key, iv, clear);
 * ByteSlice bytes = later.compute(); // on a writer thread
 * }</pre>
 */
@FunctionalInterface
public interface DeferredBytes {
  /** Computes the bytes. */
  ByteSlice compute() throws MediaException;
}
