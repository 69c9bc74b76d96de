package io.iptv.segmenter.hls;

import java.util.Objects;

/**
 * An {@code EXT-X-KEY} (RFC 8216 §4.3.2.4): how the segments that follow are encrypted. A placeholder for
 * the DRM work: attributes are carried as strings and written in the order METHOD, URI, IV, KEYFORMAT,
 * KEYFORMATVERSIONS. {@code METHOD=NONE} is expressed by a segment without key. Immutable.
 *
 * <pre>{@code
 * HlsKey key = new HlsKey("AES-128", "https://keys.example/k1", "0x0123456789abcdef0123456789abcdef", null, null);
 * }</pre>
 *
 * @param method AES-128, SAMPLE-AES or SAMPLE-AES-CTR (not NONE)
 * @param uri the key URI
 * @param iv the IV as a hexadecimal-sequence ({@code 0x…}), or null
 * @param keyFormat KEYFORMAT, or null (identity)
 * @param keyFormatVersions KEYFORMATVERSIONS, or null
 */
public record HlsKey(String method, String uri, String iv, String keyFormat, String keyFormatVersions) {
  /** Validates. */
  public HlsKey {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    if (method.equals("NONE")) {
      throw new IllegalArgumentException("METHOD=NONE is a segment without key");
    }
  }
}
