package io.iptv.segmenter.hls;

/**
 * An HLS playlist (RFC 8216 §4): either a {@link MediaPlaylist} or a {@link MultivariantPlaylist}.
 * Implementations are immutable and thread-safe.
 *
 * <pre>{@code
 * HlsPlaylist p = HlsPlaylistParser.builder().build().parse(bytes);
 * if (p instanceof MediaPlaylist media) { ... }
 * }</pre>
 */
public sealed interface HlsPlaylist permits MediaPlaylist, MultivariantPlaylist {
  /** Whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present. */
  boolean independentSegments();
}
