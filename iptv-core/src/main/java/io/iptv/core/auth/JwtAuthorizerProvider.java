package io.iptv.core.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The {@code "jwt"} {@link AuthorizerProvider}: a {@link JwtAuthorizer} from string settings. Used only through
 * {@link Authorizers#load}. Thread-safe.
 * <ul>
 *   <li>{@code hs256.<kid>}: an HS256 secret, base64 or base64url (at least 32 bytes);
 *   <li>{@code rsa.<kid>} / {@code ec.<kid>}: an RS256 / ES256 public key, base64 of its X.509
 *       SubjectPublicKeyInfo DER (the body of a PEM {@code PUBLIC KEY});
 *   <li>{@code issuer}, {@code audience}, {@code channelsClaim}, {@code maxClockSkewSeconds}: optional.
 * </ul>
 *
 * <pre>{@code
 * Authorizer jwt = Authorizers.load("jwt", Map.of("rsa.2024", pemBody, "issuer", "https://sso.example"));
 * }</pre>
 */
public final class JwtAuthorizerProvider implements AuthorizerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public JwtAuthorizerProvider() {}

  @Override
  public String name() {
    return "jwt";
  }

  @Override
  public Authorizer create(Map<String, String> config) {
    JwtAuthorizer.Builder b = JwtAuthorizer.builder();
    for (Map.Entry<String, String> e : config.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name.startsWith("hs256.")) {
        b.hmacSecret(name.substring(6), decode(name, value));
      } else if (name.startsWith("rsa.")) {
        b.publicKey(name.substring(4), publicKey("RSA", name, value));
      } else if (name.startsWith("ec.")) {
        b.publicKey(name.substring(3), publicKey("EC", name, value));
      } else {
        switch (name) {
          case "issuer" -> b.issuer(value);
          case "audience" -> b.audience(value);
          case "channelsClaim" -> b.channelsClaim(value);
          case "maxClockSkewSeconds" -> b.maxClockSkew(
              Duration.ofSeconds(EdgeAuthTokenAuthorizerProvider.seconds(value)));
          default -> throw new IllegalArgumentException("unknown setting of jwt: " + name);
        }
      }
    }
    return b.build();
  }

  private static byte[] decode(String name, String value) {
    try {
      return Base64.getUrlDecoder().decode(value.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting " + name + " is not base64");
    }
  }

  private static PublicKey publicKey(String algorithm, String name, String value) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(decode(name, value)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("setting " + name + " is not an " + algorithm + " public key");
    }
  }
}
