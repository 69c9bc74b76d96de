package io.iptv.core.serve;

/**
 * What a served resource is, which decides its content type family and its caching (see {@link CachePolicy}).
 *
 * <p>URL layout (fixed): {@code /{channel}/master.m3u8} is the {@link #MULTIVARIANT} playlist, other
 * {@code .m3u8} below {@code /{channel}/} are media {@link #PLAYLIST}s, {@code /{channel}/manifest.mpd} is the
 * DASH {@link #MANIFEST}, {@code /{channel}/keys/…} are {@link #KEY}s, {@code init*.mp4} / {@code init*.m4s}
 * are {@link #INIT_SEGMENT}s, other media files are {@link #SEGMENT}s and {@code /license/clearkey} is the
 * {@link #LICENSE} endpoint.
 */
public enum ResourceKind {
  /** The HLS multivariant (master) playlist, {@code master.m3u8} (RFC 8216 §4.3.4). */
  MULTIVARIANT,
  /** An HLS media playlist (RFC 8216 §4.3.3). */
  PLAYLIST,
  /** A DASH MPD, {@code manifest.mpd} (ISO/IEC 23009-1 §5.3). */
  MANIFEST,
  /** A media segment ({@code .ts}, {@code .m4s}, {@code .aac}, {@code .vtt}, ...). */
  SEGMENT,
  /** An fMP4/CMAF initialisation segment (RFC 8216 §4.3.2.5 EXT-X-MAP). */
  INIT_SEGMENT,
  /** A content key (RFC 8216 §4.3.2.4 EXT-X-KEY URI). Never cached by shared caches. */
  KEY,
  /** The ClearKey licence endpoint (W3C EME ClearKey). Never cached. */
  LICENSE;

  /** Whether the resource is a playlist or manifest whose content may change while live. */
  public boolean isIndex() {
    return this == MULTIVARIANT || this == PLAYLIST || this == MANIFEST;
  }
}
