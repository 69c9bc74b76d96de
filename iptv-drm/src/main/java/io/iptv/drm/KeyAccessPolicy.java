package io.iptv.drm;

import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.ResourceKey;

/**
 * Decides whether a client may receive a key: the hook through which {@link KeyDeliveryHandler} asks the host's
 * authorisation. A minimal stand-in until the auth SPI ({@code io.iptv.core.auth.Authorizer}) lands: it will be
 * bridged with one lambda ({@code (request, key) -> authorizer.decide(...) instanceof Allow}).
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

  /** Allows every request: for tests and demos only. */
  static KeyAccessPolicy allowAll() {
    return (request, key) -> true;
  }
}
