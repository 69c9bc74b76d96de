package io.iptv.core.pipeline;

import io.iptv.core.io.ByteSlice;
import java.util.Objects;

/**
 * The result of a {@link SegmentTransform}: the bytes to publish and how they are protected. Immutable.
 *
 * <pre>{@code
 * TransformedSegment clear = new TransformedSegment(bytes, null);
 * }</pre>
 *
 * @param bytes the segment bytes to publish
 * @param protection how {@code bytes} are protected, or {@code null} if they are in the clear
 * @param servedLength how many bytes players will receive for the segment, for BANDWIDTH and byte counts:
 *     {@code bytes.length()}, unless a later stage changes the size (AES-128 deferred to the origin adds its
 *     1–16 bytes of padding there)
 */
public record TransformedSegment(ByteSlice bytes, SegmentProtection protection, long servedLength) {
  /** Validates. */
  public TransformedSegment {
    Objects.requireNonNull(bytes, "bytes");
    if (servedLength < 0) {
      throw new IllegalArgumentException("negative servedLength " + servedLength);
    }
  }

  /** Bytes served as published. */
  public TransformedSegment(ByteSlice bytes, SegmentProtection protection) {
    this(bytes, protection, Objects.requireNonNull(bytes, "bytes").length());
  }
}
