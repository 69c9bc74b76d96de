package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * Issues signed-URL tokens that {@link HmacTokenAuthorizer} verifies: HMAC-SHA256 over a path prefix (one
 * token for a channel's playlists, segments and keys, e.g. {@code /news/}), an expiry and optionally the client
 * address. The format is documented on {@code HmacToken}: {@code v1.kid.exp.prefix.ip.mac}, URL-safe.
 *
 * <p>Signs with one secret, named by its key id; rotate by signing with a new kid while the authorizer still
 * knows the old one. Immutable and thread-safe. {@link #toString()} shows the kid only.
 *
 * <pre>{@code
 * TokenSigner signer = TokenSigner.builder().key("k2", secret).build();
 * String token = signer.sign("/news/", Duration.ofMinutes(10));
 * String url = "/news/master.m3u8?token=" + token;        // players need nothing else: see TokenPropagation
 * }</pre>
 */
public final class TokenSigner {
  private final String kid;
  private final byte[] secret;
  private final InstantSource clock;

  private TokenSigner(Builder b) {
    this.kid = b.kid;
    this.secret = b.secret;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
  }

  /** Starts configuring a signer. */
  public static Builder builder() {
    return new Builder();
  }

  /** The key id tokens are signed with. */
  public String kid() {
    return kid;
  }

  /** A token granting paths below {@code pathPrefix} for {@code ttl} from now, to any client. */
  public String sign(String pathPrefix, Duration ttl) {
    return sign(pathPrefix, expiryIn(ttl), null);
  }

  /** A token granting paths below {@code pathPrefix} for {@code ttl} from now, to {@code client} only. */
  public String sign(String pathPrefix, Duration ttl, InetAddress client) {
    return sign(pathPrefix, expiryIn(ttl), Objects.requireNonNull(client, "client"));
  }

  /**
   * A token granting paths below {@code pathPrefix} until {@code expiry} (second precision, rounded down),
   * bound to {@code client} unless it is {@code null}.
   */
  public String sign(String pathPrefix, Instant expiry, InetAddress client) {
    Preconditions.requireArgument(HmacToken.isPrefix(pathPrefix), "bad path prefix: %s", pathPrefix);
    Objects.requireNonNull(expiry, "expiry");
    return HmacToken.encode(kid, expiry.getEpochSecond(), pathPrefix, client == null ? "" : client.getHostAddress(),
        secret);
  }

  private Instant expiryIn(Duration ttl) {
    Preconditions.requireArgument(ttl.compareTo(Duration.ZERO) > 0, "ttl must be positive: %s", ttl);
    return clock.instant().plus(ttl);
  }

  @Override
  public String toString() {
    return "TokenSigner[kid=" + kid + "]";
  }

  /** Configures a {@link TokenSigner}; each setter once. Not thread-safe. */
  public static final class Builder {
    private String kid;
    private byte[] secret;
    private InstantSource clock;

    private Builder() {}

    /**
     * The key id and the secret (at least 16 bytes; 32 random bytes recommended; copied).
     */
    public Builder key(String kid, byte[] secret) {
      Preconditions.requireState(this.kid == null, "key was already set (kid %s)", this.kid);
      Preconditions.requireArgument(HmacToken.isKid(kid), "kid must be [A-Za-z0-9_-]{1,32}: %s", kid);
      Preconditions.requireArgument(secret != null && secret.length >= HmacToken.MIN_SECRET_BYTES,
          "secret of kid %s must have at least %s bytes", kid, HmacToken.MIN_SECRET_BYTES);
      this.kid = kid;
      this.secret = Arrays.copyOf(secret, secret.length);
      return this;
    }

    /** The clock expiries are counted from (default the system clock). */
    public Builder clock(InstantSource value) {
      Preconditions.requireState(clock == null, "clock was already set");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds the signer. */
    public TokenSigner build() {
      Preconditions.requireState(kid != null, "key is required");
      return new TokenSigner(this);
    }
  }
}
