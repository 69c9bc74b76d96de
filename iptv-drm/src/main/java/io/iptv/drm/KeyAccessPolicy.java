package io.iptv.drm;

import io.iptv.core.auth.AccessRequest;
import io.iptv.core.auth.AuthDecision;
import io.iptv.core.auth.Authorizer;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
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
    return (request, key) -> {
      if (key.kind() != ResourceKind.KEY) {
        return false;
      }
      try {
        return authorizer.authorize(AccessRequest.from(request, key)) instanceof AuthDecision.Allow;
      } catch (RuntimeException e) {
        return false; // fail closed, as AuthInterceptor does
      }
    };
  }

  /** Allows every request: for tests and demos only. */
  static KeyAccessPolicy allowAll() {
    return (request, key) -> true;
  }
}
