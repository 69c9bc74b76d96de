package io.iptv.core.auth;

import java.util.Map;

/**
 * The {@code "hmac-token"} {@link AuthorizerProvider}: {@link HmacTokenAuthorizer#fromConfig}. Registered in
 * {@code META-INF/services}; used only through {@link Authorizers#load}. Thread-safe.
 *
 * <pre>{@code
 * Authorizer auth = Authorizers.load("hmac-token", Map.of("secret.k1", "c2VjcmV0LXNlY3JldC1zZWNyZXQ"));
 * }</pre>
 */
public final class HmacTokenAuthorizerProvider implements AuthorizerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public HmacTokenAuthorizerProvider() {}

  @Override
  public String name() {
    return HmacTokenAuthorizer.PROVIDER_NAME;
  }

  @Override
  public Authorizer create(Map<String, String> config) {
    return HmacTokenAuthorizer.fromConfig(config);
  }
}
