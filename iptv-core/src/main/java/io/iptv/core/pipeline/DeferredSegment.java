package io.iptv.core.pipeline;

import java.util.Objects;

/**
 * A {@link SegmentTransform}'s result whose bytes are computed later ({@link SegmentTransform#defer}): what the
 * packager needs at once — the protection for its playlists and the exact length for {@code BANDWIDTH} and its
 * records — and the deferred computation of the bytes to publish. Immutable.
 *
 * <pre>{@code
 * DeferredSegment planned = new DeferredSegment(protection, (clear.length() / 16 + 1) * 16L,
 *     () -> Aes128SegmentEncryptor.encrypt(key, iv, clear));
 * }</pre>
 *
 * @param protection how the bytes are protected, or {@code null} if they are in the clear
 * @param length exactly how many bytes {@link #bytes} computes (and players receive)
 * @param bytes computes the bytes to publish; they share no storage with the transform's input
 */
public record DeferredSegment(SegmentProtection protection, long length, DeferredBytes bytes) {
  /** Validates. */
  public DeferredSegment {
    Objects.requireNonNull(bytes, "bytes");
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
  }
}
