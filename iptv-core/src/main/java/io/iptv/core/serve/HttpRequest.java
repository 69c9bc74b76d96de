package io.iptv.core.serve;

import io.iptv.core.io.ByteSlice;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server-independent HTTP request, as an adapter hands it to {@link OriginHandler}.
 *
 * <p>Immutable (the headers view is read-only).
 *
 * <pre>{@code
 * HttpRequest request = HttpRequest.get("/news/master.m3u8");
 * }</pre>
 *
 * @param method the method, upper case ({@code GET}, {@code HEAD}, ...)
 * @param rawPath the request target's path exactly as received, not percent-decoded
 * @param rawQuery the query without {@code ?}, not decoded, or {@code null}
 * @param headers the header fields
 * @param clientAddress the peer address, or {@code null} if unknown
 * @param secure whether the request came over TLS
 * @param body the request body (empty for GET/HEAD)
 */
public record HttpRequest(String method, String rawPath, String rawQuery, RequestHeaders headers,
    InetSocketAddress clientAddress, boolean secure, ByteSlice body) {

  /** Checks the required components. */
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  /** A GET request without headers, for tests and examples. */
  public static HttpRequest get(String rawPath) {
    return new HttpRequest("GET", rawPath, null, RequestHeaders.none(), null, false, ByteSlice.empty());
  }

  /** A copy with other headers. */
  public HttpRequest withHeaders(RequestHeaders newHeaders) {
    return new HttpRequest(method, rawPath, rawQuery, newHeaders, clientAddress, secure, body);
  }

  /** A copy with another method. */
  public HttpRequest withMethod(String newMethod) {
    return new HttpRequest(newMethod, rawPath, rawQuery, headers, clientAddress, secure, body);
  }

  /** The length of the request line {@code METHOD SP target SP HTTP/1.1}, in bytes. */
  public int requestLineBytes() {
    return method.length() + 1 + rawPath.length() + (rawQuery == null ? 0 : rawQuery.length() + 1) + 9;
  }
}
