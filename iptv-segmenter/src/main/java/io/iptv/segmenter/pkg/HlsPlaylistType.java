package io.iptv.segmenter.pkg;

/** The kind of Media Playlist a packager maintains (RFC 8216 §4.3.3.5, §6.2.2). */
public enum HlsPlaylistType {
  /** Written once when the input ends, with {@code EXT-X-PLAYLIST-TYPE:VOD} and {@code EXT-X-ENDLIST}. */
  VOD,
  /** Rewritten after every segment, never shortened, {@code EXT-X-PLAYLIST-TYPE:EVENT}. */
  EVENT,
  /** A sliding window of the last N segments, rewritten after every segment. */
  LIVE
}
