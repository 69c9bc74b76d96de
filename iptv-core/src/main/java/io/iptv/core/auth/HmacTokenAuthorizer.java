package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies signed-URL tokens issued by {@link TokenSigner}: HMAC-SHA256 over a path prefix, an expiry and an
 * optional client address, with a key id selecting one of several secrets (rotation).
 *
 * <p>Decisions, in order:
 * <ol>
 *   <li>no token: 401 "token required";
 *   <li>malformed, unknown key id, or MAC mismatch (compared in constant time, {@link MessageDigest#isEqual}):
 *       401 "invalid token" (one reason for all, so that a prober learns nothing);
 *   <li>expired (past {@code exp} plus {@link Builder#maxClockSkew}): 401 "token expired";
 *   <li>the resource path ({@link io.iptv.core.serve.ResourceKey#path()}, i.e. {@code /channel/name} without any
 *       base path) outside the token's prefix: 403; bound to another client address: 403;
 *   <li>otherwise allow, valid until the token expires. The prefix covers key resources below it: a token for
 *       {@code /news/} is the explicit allow for {@code /news/keys/…}.
 * </ol>
 * The MAC is checked before anything the token claims is believed.
 *
 * <p>Immutable and thread-safe. Never logs; {@link #toString()} shows only key ids.
 *
 * <pre>{@code
 * HmacTokenAuthorizer auth = HmacTokenAuthorizer.builder()
 *     .secret("k1", oldSecret).secret("k2", newSecret)   // accept both during rotation
 *     .maxClockSkew(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class HmacTokenAuthorizer implements Authorizer {
  /** The name of the built-in provider, for {@link Authorizers#load}. */
  public static final String PROVIDER_NAME = "hmac-token";

  private final Map<String, byte[]> secrets;
  private final Duration maxClockSkew;
  private final InstantSource clock;

  private HmacTokenAuthorizer(Builder b) {
    this.secrets = Map.copyOf(b.secrets);
    this.maxClockSkew = b.maxClockSkew != null ? b.maxClockSkew : Duration.ZERO;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
  }

  /** Starts configuring an authorizer. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An authorizer from string settings (the {@code "hmac-token"} provider's configuration):
   * <ul>
   *   <li>{@code secret.<kid>}: a secret, base64url or base64 encoded (at least 16 bytes); one or more;
   *   <li>{@code maxClockSkewSeconds}: optional, default 0.
   * </ul>
   *
   * @throws IllegalArgumentException on a missing or invalid setting (never echoing a secret)
   */
  public static HmacTokenAuthorizer fromConfig(Map<String, String> config) {
    Builder b = builder();
    for (Map.Entry<String, String> e : config.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("secret.")) {
        byte[] secret;
        try {
          secret = Base64.getUrlDecoder().decode(e.getValue().replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("setting " + name + " is not base64");
        }
        b.secret(name.substring("secret.".length()), secret);
      } else if (name.equals("maxClockSkewSeconds")) {
        try {
          b.maxClockSkew(Duration.ofSeconds(Long.parseLong(e.getValue())));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("setting maxClockSkewSeconds is not a number: " + e.getValue());
        }
      } else {
        throw new IllegalArgumentException("unknown setting of " + PROVIDER_NAME + ": " + name);
      }
    }
    return b.build();
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    String token = request.token();
    if (token == null) {
      return AuthDecision.unauthenticated("token required");
    }
    HmacToken.Fields fields = token.isEmpty() ? null : HmacToken.parse(token);
    byte[] secret = fields == null ? null : secrets.get(fields.kid());
    if (secret == null) {
      return AuthDecision.unauthenticated("invalid token");
    }
    byte[] expected = HmacToken.mac(secret, fields.kid(), fields.expiryEpochSeconds(), fields.prefix(), fields.ip());
    if (!MessageDigest.isEqual(expected, fields.mac())) { // constant time
      return AuthDecision.unauthenticated("invalid token");
    }
    long now = clock.instant().getEpochSecond();
    long remaining = fields.expiryEpochSeconds() - now;
    if (remaining + maxClockSkew.toSeconds() < 0) {
      return AuthDecision.unauthenticated("token expired");
    }
    if (!request.key().path().startsWith(fields.prefix())) {
      return AuthDecision.forbidden("token does not grant this path");
    }
    if (!fields.ip().isEmpty()
        && (request.clientAddress() == null || !request.clientAddress().getHostAddress().equals(fields.ip()))) {
      return AuthDecision.forbidden("token is bound to another client");
    }
    return AuthDecision.allow(Duration.ofSeconds(Math.max(0, remaining)));
  }

  @Override
  public String toString() {
    return "HmacTokenAuthorizer[kids=" + secrets.keySet() + "]";
  }

  /** Configures an {@link HmacTokenAuthorizer}; validated at once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private Duration maxClockSkew;
    private InstantSource clock;

    private Builder() {}

    /** Accepts tokens signed with {@code secret} under key id {@code kid} (copied; once per kid). */
    public Builder secret(String kid, byte[] secret) {
      Preconditions.requireArgument(HmacToken.isKid(kid), "kid must be [A-Za-z0-9_-]{1,32}: %s", kid);
      Preconditions.requireState(!secrets.containsKey(kid), "secret of kid %s was already set", kid);
      Preconditions.requireArgument(secret != null && secret.length >= HmacToken.MIN_SECRET_BYTES,
          "secret of kid %s must have at least %s bytes", kid, HmacToken.MIN_SECRET_BYTES);
      secrets.put(kid, Arrays.copyOf(secret, secret.length));
      return this;
    }

    /** Tolerance for clocks that disagree, 0 to 5 minutes (default 0). */
    public Builder maxClockSkew(Duration value) {
      Preconditions.requireState(maxClockSkew == null, "maxClockSkew was already set to %s", maxClockSkew);
      Objects.requireNonNull(value, "maxClockSkew");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofMinutes(5)) <= 0,
          "maxClockSkew must be in 0..5 min: %s", value);
      maxClockSkew = value;
      return this;
    }

    /** The clock expiries are checked against (default the system clock). */
    public Builder clock(InstantSource value) {
      Preconditions.requireState(clock == null, "clock was already set");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds the authorizer; at least one secret is required. */
    public HmacTokenAuthorizer build() {
      Preconditions.requireState(!secrets.isEmpty(), "at least one secret is required");
      return new HmacTokenAuthorizer(this);
    }
  }
}
