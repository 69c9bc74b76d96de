package io.iptv.core.auth;

import java.util.Map;

/**
 * Creates {@link Authorizer}s by name (SPI, found by {@link java.util.ServiceLoader}): register an
 * implementation in {@code META-INF/services/io.iptv.core.auth.AuthorizerProvider} (and with {@code provides}
 * in a {@code module-info}).
 *
 * <p>Discovery never activates anything: {@link Authorizers#load(String, Map)} instantiates providers to read
 * their names, and calls {@link #create} only on the one whose name was asked for. Constructors must therefore
 * be cheap and free of side effects. Thread-safe.
 *
 * <pre>{@code
 * public final class LdapAuthorizerProvider implements AuthorizerProvider {
 *   public String name() { return "ldap"; }
 *   public Authorizer create(Map<String, String> config) { return new LdapAuthorizer(config.get("url")); }
 * }
 * }</pre>
 */
public interface AuthorizerProvider {
  /** The name hosts ask for, such as {@code "hmac-token"}: lower case letters, digits and {@code -}. */
  String name();

  /**
   * Creates a configured authorizer.
   *
   * @param config the provider's settings (documented by each provider)
   * @throws IllegalArgumentException if the configuration is incomplete or invalid (the message names the
   *     setting but never echoes a secret)
   */
  Authorizer create(Map<String, String> config);
}
