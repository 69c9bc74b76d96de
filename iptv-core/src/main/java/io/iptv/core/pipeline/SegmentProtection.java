package io.iptv.core.pipeline;

import java.util.Objects;

/**
 * How a published segment is protected, in the terms of an HLS {@code EXT-X-KEY} (RFC 8216 §4.3.2.4) but
 * without any HLS type: the segmenter maps it to its playlist model. Key bytes never appear here.
 * Immutable.
 *
 * <p>{@link #uri} is either absolute ({@code https://…}, {@code skd://…}, {@code /…}) or <em>relative to the
 * channel root</em> ({@code keys/0123….key}); a packager rewrites a channel-relative URI so that it resolves
 * from the playlist that lists the segment ({@code ../keys/0123….key} from {@code stream/index.m3u8}).
 *
 * <pre>{@code
 * SegmentProtection p = new SegmentProtection("AES-128", "keys/00112233445566778899aabbccddeeff.key",
 *     null, "identity", null);
 * }</pre>
 *
 * @param method {@code AES-128}, {@code SAMPLE-AES} or {@code SAMPLE-AES-CTR} (a clear segment has no
 *     protection at all)
 * @param uri the key URI (see above)
 * @param ivHex the IV as {@code 0x} + 32 hex digits, or {@code null} when the IV is the media sequence number
 *     (RFC 8216 §5.2)
 * @param keyFormat KEYFORMAT, or {@code null} (identity implied)
 * @param keyFormatVersions KEYFORMATVERSIONS, or {@code null}
 */
public record SegmentProtection(String method, String uri, String ivHex, String keyFormat,
    String keyFormatVersions) {
  /** Validates. */
  public SegmentProtection {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    if (method.equals("NONE")) {
      throw new IllegalArgumentException("METHOD=NONE is a segment without protection");
    }
    if (ivHex != null && !ivHex.matches("0[xX][0-9a-fA-F]{32}")) {
      throw new IllegalArgumentException("IV is not 0x + 32 hex digits: " + ivHex);
    }
  }

  /** Whether {@link #uri} is relative to the channel root (no scheme, not starting with {@code /}). */
  public boolean channelRelative() {
    return !uri.startsWith("/") && !uri.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
  }
}
