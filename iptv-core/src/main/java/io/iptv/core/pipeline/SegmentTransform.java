package io.iptv.core.pipeline;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * A segment-level hook: turns the bytes of one finished media segment into the bytes that are published, and
 * says how the result is protected. Packagers call it once per segment and rendition, after muxing and before
 * the segment is stored, and signal the returned {@link SegmentProtection} in their playlists (HLS
 * {@code EXT-X-KEY}, written where it changes). This is how whole-segment encryption (iptv-drm's
 * {@code Aes128SegmentEncryptor}) plugs into the segmenter without the segmenter depending on iptv-drm.
 *
 * <p>Contract: called on the packager's thread, in segment order per rendition; must not keep or modify the
 * input; may throw {@link MediaException} (for example {@code KEY_UNAVAILABLE}), which fails packaging.
 * Implementations shared by several packagers must be thread-safe.
 *
 * <pre>{@code
 * SegmentTransform reverse = (context, segment) -> new TransformedSegment(segment, null); // identity
 * HlsPackager.builder().segmentTransform(reverse);
 * }</pre>
 */
@FunctionalInterface
public interface SegmentTransform {
  /**
   * Transforms one segment.
   *
   * @param context which segment this is
   * @param segment the segment's bytes as muxed
   * @return the bytes to publish and their protection (null protection: published in the clear)
   */
  TransformedSegment transform(SegmentContext context, ByteSlice segment) throws MediaException;

  /**
   * Whether the result of {@link #transform} may share storage with its input other than by being the input
   * slice itself (for example a sub-slice of it). {@code false} promises that every result is either the
   * {@code segment} given, unchanged, or bytes that share nothing with it, so that a packager may reuse the
   * input's buffer for a later segment as soon as {@code transform} returns (the batch file packager recycles
   * its segment buffers this way). The default, {@code true}, makes no such promise.
   */
  default boolean sharesInput() {
    return true;
  }

  /**
   * Plans the transform of one segment, leaving its costly part to be computed later, possibly on another thread
   * (a batch packager runs it on its segment writer threads, in parallel, instead of on the packaging thread); or
   * {@code null} when this transform cannot be split (the default) or chooses not to for this segment, in which
   * case the packager calls {@link #transform} instead. Packagers that do not defer never call it.
   *
   * <p>Contract: called instead of {@link #transform}, on the packager's thread, in segment order per rendition;
   * everything with an effect visible to the packager or the host (key lookups, {@code KEY_UNAVAILABLE}, key
   * issue callbacks) happens here, not in the deferred {@link DeferredSegment.Filler}. The packager leaves
   * {@code segment} unchanged until the filler has returned (or was discarded), then may reuse its storage.
   * Fillers of different segments may run concurrently.
   *
   * @param context which segment this is
   * @param segment the segment's bytes as muxed
   * @return the protection, length and deferred bytes, or {@code null}: call {@link #transform}
   */
  default DeferredSegment defer(SegmentContext context, ByteSlice segment) throws MediaException {
    return null;
  }

  /** Publishes every segment unchanged and in the clear. */
  static SegmentTransform identity() {
    return (context, segment) -> new TransformedSegment(segment, null);
  }
}
