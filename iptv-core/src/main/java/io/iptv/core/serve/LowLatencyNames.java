package io.iptv.core.serve;

/**
 * The naming convention shared by a Low-Latency HLS packager and the origin: beside each media playlist
 * {@code NAME.m3u8} the packager keeps its delta update {@code NAME.delta.m3u8} (RFC 8216bis §4.4.5.2,
 * {@code EXT-X-SKIP}), which the origin serves for {@code _HLS_skip=YES} requests. Stateless.
 *
 * <pre>{@code
 * LowLatencyNames.deltaName("stream/index.m3u8");   // "stream/index.delta.m3u8"
 * }</pre>
 */
public final class LowLatencyNames {
  private static final String SUFFIX = ".m3u8";
  private static final String DELTA_SUFFIX = ".delta.m3u8";

  private LowLatencyNames() {}

  /** The delta playlist's name for {@code playlistName} (which ends with {@code .m3u8}). */
  public static String deltaName(String playlistName) {
    if (!playlistName.endsWith(SUFFIX) || playlistName.endsWith(DELTA_SUFFIX)) {
      throw new IllegalArgumentException("not a media playlist name: " + playlistName);
    }
    return playlistName.substring(0, playlistName.length() - SUFFIX.length()) + DELTA_SUFFIX;
  }
}
