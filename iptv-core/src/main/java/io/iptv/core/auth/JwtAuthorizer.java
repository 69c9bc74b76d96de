package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWT bearer tokens (RFC 7519, JWS compact serialisation RFC 7515) with JDK crypto only:
 * {@code HS256} (HMAC-SHA256), {@code RS256} (RSASSA-PKCS1-v1_5 SHA-256) and {@code ES256} (ECDSA P-256
 * SHA-256, RFC 7518 §3.4 raw {@code R||S} signatures).
 *
 * <p>The token comes from {@code Authorization: Bearer}, the {@code token} query parameter or the cookie (see
 * {@link AccessRequest}). Decisions:
 * <ol>
 *   <li>no token: 401; malformed, {@code alg} other than the three (including {@code none}), an {@code alg} that
 *       does not match the key type (no algorithm confusion: an RSA key is never used as an HMAC secret), an
 *       unknown {@code kid}, or a bad signature: 401 "invalid token";
 *   <li>{@code exp} (required) in the past, or {@code nbf} in the future, beyond {@link Builder#maxClockSkew}:
 *       401; {@code iss} / {@code aud} when configured and different: 401;
 *   <li>the channels claim (default {@code "channels"}: an array of channel names, {@code "*"} for all) not
 *       naming the request's channel: 403. Key resources of an entitled channel are allowed (the entitlement is
 *       the explicit allow);
 *   <li>otherwise allow until {@code exp}.
 * </ol>
 * The subject ({@code sub}) is available to other authorizers through {@link #subject(AccessRequest)}.
 *
 * <p>Immutable and thread-safe. Never logs.
 *
 * <pre>{@code
 * JwtAuthorizer jwt = JwtAuthorizer.builder()
 *     .publicKey("2024-rsa", rsaPublicKey)        // RS256
 *     .publicKey("2024-ec", ecPublicKey)          // ES256
 *     .issuer("https://sso.example")
 *     .build();
 * }</pre>
 */
public final class JwtAuthorizer implements Authorizer {
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final int ES256_SIGNATURE_BYTES = 64;

  private final List<VerificationKey> keys;
  private final Duration maxClockSkew;
  private final InstantSource clock;
  private final String channelsClaim;
  private final String issuer;
  private final String audience;

  private record VerificationKey(String kid, String alg, byte[] secret, PublicKey publicKey) {}

  private JwtAuthorizer(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.maxClockSkew = b.maxClockSkew != null ? b.maxClockSkew : Duration.ZERO;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
    this.channelsClaim = b.channelsClaim != null ? b.channelsClaim : "channels";
    this.issuer = b.issuer;
    this.audience = b.audience;
  }

  /** Starts configuring. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    if (request.token() == null) {
      return AuthDecision.unauthenticated("token required");
    }
    Map<String, Object> claims = verifiedClaims(request.token());
    if (claims == null) {
      return AuthDecision.unauthenticated("invalid token");
    }
    long now = clock.instant().getEpochSecond();
    long skew = maxClockSkew.toSeconds();
    if (!(claims.get("exp") instanceof Long exp)) {
      return AuthDecision.unauthenticated("invalid token");
    }
    if (exp + skew < now) {
      return AuthDecision.unauthenticated("token expired");
    }
    Object nbf = claims.get("nbf");
    if (nbf != null && (!(nbf instanceof Long notBefore) || notBefore - skew > now)) {
      return AuthDecision.unauthenticated("token not yet valid");
    }
    if (issuer != null && !issuer.equals(claims.get("iss"))) {
      return AuthDecision.unauthenticated("invalid token");
    }
    if (audience != null && !audienceMatches(claims.get("aud"))) {
      return AuthDecision.unauthenticated("invalid token");
    }
    if (!(claims.get(channelsClaim) instanceof List<?> channels)
        || !(channels.contains(request.channel()) || channels.contains("*"))) {
      return AuthDecision.forbidden("token does not grant channel " + request.channel());
    }
    return AuthDecision.allow(Duration.ofSeconds(Math.max(0, exp - now)));
  }

  /**
   * The {@code sub} claim of the request's token if the token verifies (signature only; expiry and
   * entitlements are {@link #authorize}'s business), else {@code null}.
   */
  public String subject(AccessRequest request) {
    if (request.token() == null) {
      return null;
    }
    Map<String, Object> claims = verifiedClaims(request.token());
    return claims != null && claims.get("sub") instanceof String sub ? sub : null;
  }

  private boolean audienceMatches(Object aud) {
    return aud instanceof String s ? s.equals(audience) : aud instanceof List<?> list && list.contains(audience);
  }

  /** The claims of a token whose signature verifies with a configured key, else {@code null}. */
  private Map<String, Object> verifiedClaims(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null; // JWS compact: exactly three parts (JWE has five)
    }
    try {
      Map<String, Object> header = TokenJson.parseObject(utf8(token.substring(0, first)));
      if (header == null || !(header.get("alg") instanceof String alg)) {
        return null;
      }
      if (header.containsKey("crit")) {
        return null; // RFC 7515 §4.1.11: no extensions understood
      }
      Object kid = header.get("kid");
      byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
      byte[] signature = B64.decode(token.substring(second + 1));
      boolean verified = false;
      for (VerificationKey key : keys) {
        if (key.alg().equals(alg) && (kid == null || kid.equals(key.kid()))
            && verify(key, signingInput, signature)) {
          verified = true;
          break;
        }
      }
      return verified ? TokenJson.parseObject(utf8(token.substring(first + 1, second))) : null;
    } catch (IllegalArgumentException e) {
      return null; // bad base64url
    }
  }

  private static boolean verify(VerificationKey key, byte[] input, byte[] signature) {
    try {
      switch (key.alg()) {
        case "HS256": {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
          return MessageDigest.isEqual(mac.doFinal(input), signature); // constant time
        }
        case "RS256": {
          Signature rsa = Signature.getInstance("SHA256withRSA");
          rsa.initVerify(key.publicKey());
          rsa.update(input);
          return rsa.verify(signature);
        }
        case "ES256": {
          if (signature.length != ES256_SIGNATURE_BYTES) {
            return false;
          }
          // RFC 7518 §3.4: R || S, 32 bytes each; the JDK's P1363 format is exactly that.
          Signature ec = Signature.getInstance("SHA256withECDSAinP1363Format");
          ec.initVerify(key.publicKey());
          ec.update(input);
          return ec.verify(signature);
        }
        default:
          return false;
      }
    } catch (GeneralSecurityException e) {
      return false; // e.g. a malformed signature encoding
    }
  }

  private static String utf8(String base64url) {
    return new String(B64.decode(base64url), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    List<String> ids = new ArrayList<>();
    keys.forEach(k -> ids.add(k.alg() + ":" + k.kid()));
    return "JwtAuthorizer" + ids;
  }

  /** Configures a {@link JwtAuthorizer}; validated at once. Not thread-safe. */
  public static final class Builder {
    private final List<VerificationKey> keys = new ArrayList<>();
    private Duration maxClockSkew;
    private InstantSource clock;
    private String channelsClaim;
    private String issuer;
    private String audience;

    private Builder() {}

    /** Accepts HS256 tokens with this secret (at least 32 bytes, RFC 7518 §3.2); {@code kid} may be null. */
    public Builder hmacSecret(String kid, byte[] secret) {
      Preconditions.requireArgument(secret != null && secret.length >= 32, "HS256 secret needs at least 32 bytes");
      return add(new VerificationKey(kid, "HS256", Arrays.copyOf(secret, secret.length), null));
    }

    /**
     * Accepts RS256 tokens (an {@link RSAPublicKey} of at least 2048 bits) or ES256 tokens (an
     * {@link ECPublicKey} on P-256) signed with the matching private key; {@code kid} may be null.
     */
    public Builder publicKey(String kid, PublicKey key) {
      Objects.requireNonNull(key, "key");
      if (key instanceof RSAPublicKey rsa) {
        Preconditions.requireArgument(rsa.getModulus().bitLength() >= 2048, "RSA key shorter than 2048 bits");
        return add(new VerificationKey(kid, "RS256", null, key));
      }
      if (key instanceof ECPublicKey ec) {
        Preconditions.requireArgument(ec.getParams().getCurve().getField().getFieldSize() == 256,
            "ES256 needs a P-256 key");
        return add(new VerificationKey(kid, "ES256", null, key));
      }
      throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    /** Tolerance for clocks that disagree, 0 to 5 minutes (default 0). */
    public Builder maxClockSkew(Duration value) {
      Preconditions.requireState(maxClockSkew == null, "maxClockSkew was already set to %s", maxClockSkew);
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofMinutes(5)) <= 0,
          "maxClockSkew must be in 0..5 min: %s", value);
      maxClockSkew = value;
      return this;
    }

    /** The clock {@code exp} and {@code nbf} are checked against (default the system clock). */
    public Builder clock(InstantSource value) {
      Preconditions.requireState(clock == null, "clock was already set");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The claim listing entitled channels (default {@code "channels"}). */
    public Builder channelsClaim(String value) {
      Preconditions.requireState(channelsClaim == null, "channelsClaim was already set to %s", channelsClaim);
      channelsClaim = Objects.requireNonNull(value, "channelsClaim");
      return this;
    }

    /** Requires {@code iss} to equal {@code value} (default: not checked). */
    public Builder issuer(String value) {
      Preconditions.requireState(issuer == null, "issuer was already set to %s", issuer);
      issuer = Objects.requireNonNull(value, "issuer");
      return this;
    }

    /** Requires {@code aud} to be or contain {@code value} (default: not checked). */
    public Builder audience(String value) {
      Preconditions.requireState(audience == null, "audience was already set to %s", audience);
      audience = Objects.requireNonNull(value, "audience");
      return this;
    }

    /** Builds; at least one key is required. */
    public JwtAuthorizer build() {
      Preconditions.requireState(!keys.isEmpty(), "at least one key is required");
      return new JwtAuthorizer(this);
    }

    private Builder add(VerificationKey key) {
      for (VerificationKey k : keys) {
        Preconditions.requireState(!(Objects.equals(k.kid(), key.kid()) && k.alg().equals(key.alg())),
            "a %s key with kid %s was already added", key.alg(), key.kid());
      }
      keys.add(key);
      return this;
    }
  }
}
