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
 */
public record TransformedSegment(ByteSlice bytes, SegmentProtection protection) {
  /** Validates. */
  public TransformedSegment {
    Objects.requireNonNull(bytes, "bytes");
  }
}
