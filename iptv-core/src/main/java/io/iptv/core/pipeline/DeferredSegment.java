package io.iptv.core.pipeline;

import io.iptv.core.MediaException;
import java.util.Objects;

/**
 * A {@link SegmentTransform}'s result whose bytes are computed later ({@link SegmentTransform#defer}): what the
 * packager needs at once — the protection for its playlists and the exact length for {@code BANDWIDTH} and its
 * records — and the deferred computation of the bytes to publish, which fills an array the packager provides
 * (from its segment buffer pool, so that a long job does not allocate an output array per segment). Immutable.
 *
 * <pre>{@code
 * DeferredSegment planned = new DeferredSegment(protection, (clear.length() / 16 + 1) * 16,
 *     out -> Aes128SegmentEncryptor.encrypt(key, iv, clear, out));
 * }</pre>
 *
 * @param protection how the bytes are protected, or {@code null} if they are in the clear
 * @param length exactly how many bytes {@link #filler} writes (and players receive)
 * @param filler computes the bytes to publish
 */
public record DeferredSegment(SegmentProtection protection, int length, Filler filler) {
  /** Validates. */
  public DeferredSegment {
    Objects.requireNonNull(filler, "filler");
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
  }

  /**
   * The deferred part of a transform. Called at most once (never when the work is discarded), possibly on
   * another thread than the one that planned it and concurrently with other segments' fillers.
   *
   * <pre>{@code
   * DeferredSegment.Filler copy = out -> clear.copyTo(out, 0);
   * }</pre>
   */
  @FunctionalInterface
  public interface Filler {
    /**
     * Writes the published bytes into {@code out[0, length)}; {@code out} may be longer, its content is
     * undefined on entry, and it shares no storage with the transform's input.
     */
    void fill(byte[] out) throws MediaException;
  }
}
