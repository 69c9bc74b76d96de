package io.iptv.drm;

import io.iptv.core.auth.AccessRequest;
import io.iptv.core.auth.AuthDecision;
import io.iptv.core.auth.Authorizer;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether a client may receive a key: the hook through which {@link KeyDeliveryHandler} asks the host's
 * authorisation. {@link #authorizedBy(Authorizer)} bridges it to the auth SPI ({@link io.iptv.core.auth}).
 *
 * <p>Must be thread-safe, fast and non-blocking, and must not throw.
 *
 * <pre>{@code
 * KeyAccessPolicy tlsWithToken = (request, key) -> request.secure() && tokens.valid(request.rawQuery());
 * }</pre>
 */
@FunctionalInterface
public interface KeyAccessPolicy {
  /** Whether {@code request} (for the KEY resource {@code key}) may receive the key. */
  boolean allows(HttpRequest request, ResourceKey key);

  /**
   * The decision with its HTTP status: a refusal is 401 when the client is not authenticated (no, forged or
   * expired token) and 403 when it is authenticated but not entitled to this key. The default maps
   * {@link #allows} to allow or 403; {@link #authorizedBy(Authorizer)} keeps the authorizer's status.
   * Must not throw.
   */
  default AuthDecision decide(HttpRequest request, ResourceKey key) {
    return allows(request, key) ? AuthDecision.allow(Duration.ZERO) : AuthDecision.forbidden("forbidden");
  }

  /**
   * Asks {@code authorizer} about the KEY resource itself: a key is released only on an explicit
   * {@link AuthDecision.Allow} for that request (so a token must cover the key's channel, e.g. the prefix
   * {@code /{channel}/} of a signed URL); a {@link AuthDecision.Deny}, a {@code null} decision, a throwing
   * authorizer or a resource that is not a KEY all refuse (fail closed). The decision's max-age is ignored:
   * keys are never cacheable.
   *
   * <pre>{@code
   * KeyDeliveryHandler keys = KeyDeliveryHandler.builder(derivedKeys)
   *     .accessPolicy(KeyAccessPolicy.authorizedBy(hmacAuthorizer))
   *     .build();
   * }</pre>
   */
  static KeyAccessPolicy authorizedBy(Authorizer authorizer) {
    Objects.requireNonNull(authorizer, "authorizer");
    return new KeyAccessPolicy() {
      @Override
      public boolean allows(HttpRequest request, ResourceKey key) {
        return decide(request, key) instanceof AuthDecision.Allow;
      }

      @Override
      public AuthDecision decide(HttpRequest request, ResourceKey key) {
        if (key.kind() != ResourceKind.KEY) {
          return AuthDecision.forbidden("not a key resource");
        }
        try {
          AuthDecision decision = authorizer.authorize(AccessRequest.from(request, key));
          return decision != null ? decision : AuthDecision.forbidden("forbidden");
        } catch (RuntimeException e) {
          return AuthDecision.forbidden("forbidden"); // fail closed, as AuthInterceptor does
        }
      }
    };
  }

  /** Allows every request: for tests and demos only. */
  static KeyAccessPolicy allowAll() {
    return (request, key) -> true;
  }
}
