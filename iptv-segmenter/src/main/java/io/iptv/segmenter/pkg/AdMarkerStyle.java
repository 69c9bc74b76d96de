package io.iptv.segmenter.pkg;

/**
 * How an {@link HlsPackager} signals SCTE-35 ad breaks in Media Playlists (see
 * {@link HlsPackager.Builder#adMarkers(java.util.Set)}); an enum, so immutable and thread-safe.
 *
 * <pre>{@code
 * HlsPackager.builder().adMarkers(EnumSet.of(AdMarkerStyle.DATERANGE, AdMarkerStyle.CUE));
 * }</pre>
 */
public enum AdMarkerStyle {
  /**
   * {@code EXT-X-DATERANGE} with {@code SCTE35-OUT}, {@code SCTE35-IN} and {@code SCTE35-CMD} (RFC 8216bis
   * §4.4.5.1.4), carrying each splice_info_section as hex. Needs {@code EXT-X-PROGRAM-DATE-TIME}, which the
   * packager then writes.
   */
  DATERANGE,
  /** {@code EXT-X-CUE-OUT:DURATION=d}, {@code EXT-X-CUE-OUT-CONT:ElapsedTime=e,Duration=d}, {@code EXT-X-CUE-IN}. */
  CUE
}
