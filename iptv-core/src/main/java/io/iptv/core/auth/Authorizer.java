package io.iptv.core.auth;

/**
 * Decides whether one request may read one resource (SPI): {@link AccessRequest} in, {@link AuthDecision} out.
 *
 * <p>Called by {@link AuthInterceptor} after the path has been parsed into a
 * {@link io.iptv.core.serve.ResourceKey} and before anything is loaded. Implementations must be thread-safe,
 * fast and non-blocking (no network I/O per request: cache what you fetch), must never return {@code null}
 * and should not throw; a thrown exception or {@code null} is treated as a failure and the request is refused
 * (fail closed, HTTP 500). Implementations must never log the token.
 *
 * <p>Key resources ({@link io.iptv.core.serve.ResourceKind#KEY}, {@code LICENSE}) are only served on an
 * {@link AuthDecision.Allow} given for that key resource itself: {@link Authorizers#allowAll()} does not
 * allow them.
 *
 * <pre>{@code
 * Authorizer internalOnly = request -> request.clientAddress() != null
 *     && request.clientAddress().isSiteLocalAddress()
 *         ? AuthDecision.allow(Duration.ofMinutes(5))
 *         : AuthDecision.forbidden("outside the private network");
 * }</pre>
 */
@FunctionalInterface
public interface Authorizer {
  /** Decides on {@code request}; never {@code null}. */
  AuthDecision authorize(AccessRequest request);
}
