package io.iptv.core.serve;

/**
 * A hook that runs after a request has been parsed into a {@link ResourceKey} and before anything is loaded:
 * the slot where the authorisation layer ({@code io.iptv.core.auth}) plugs in.
 *
 * <p>Implementations must be thread-safe, fast and must not block; they must not throw.
 *
 * <pre>{@code
 * RequestInterceptor keysOverTlsOnly = (request, key) ->
 *     key.kind() == ResourceKind.KEY && !request.secure() ? HttpResponse.text(403, "TLS required", List.of()) : null;
 * }</pre>
 */
@FunctionalInterface
public interface RequestInterceptor {
  /**
   * Decides whether the request may proceed.
   *
   * @return {@code null} to proceed, or the response to send instead (for example 401 or 403)
   */
  HttpResponse intercept(HttpRequest request, ResourceKey key);

  /** Lets every request proceed. */
  static RequestInterceptor allowAll() {
    return (request, key) -> null;
  }
}
