package io.iptv.segmenter.hls;

import java.util.Objects;

/**
 * An {@code EXT-X-MAP} (RFC 8216 §4.3.2.5): the Media Initialization Section of the segments that follow
 * (fMP4 init segment, or PAT/PMT of TS). Immutable.
 *
 * @param uri the resource
 * @param byteRange the sub-range, or null for the whole resource
 */
public record MediaInitialization(String uri, ByteRange byteRange) {
  /** Validates. */
  public MediaInitialization {
    Objects.requireNonNull(uri, "uri");
  }
}
