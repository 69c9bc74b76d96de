package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.serve.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replay protection: an {@link Authorizer} decorator that accepts each (token, resource) pair at most once for
 * the protected resource kinds (by default {@link ResourceKind#KEY}). A pair that the wrapped authorizer allows
 * is remembered (as a SHA-256 digest, never in clear) for {@link Builder#remember}; the same token presented
 * again for the same protected resource within that time is refused with 401 {@code token already used}.
 * Requests for other kinds pass through unchanged, so one signed URL still covers a channel's playlists,
 * segments and each of its rotating keys once — a captured and replayed key URL gets nothing. Players fetch a
 * key once per key URI; enable this only where players do not refetch keys (or use short key lifetimes).
 *
 * <p>Memory is bounded: at most {@link Builder#maxEntries} digests (32 bytes each) are kept; expired ones are
 * dropped first, then the oldest (documented weakening under flood: an attacker who can mint valid tokens can
 * evict; one who only replays cannot).
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * Authorizer auth = SingleUseTokens.builder(hmacAuthorizer).remember(Duration.ofMinutes(10)).build();
 * }</pre>
 */
public final class SingleUseTokens implements Authorizer {
  private final Authorizer delegate;
  private final Set<ResourceKind> kinds;
  private final Duration remember;
  private final int maxEntries;
  private final InstantSource clock;
  /** Digest (hex) → instant until which it is remembered; insertion order = expiry order (constant remember). */
  private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

  private SingleUseTokens(Builder b) {
    this.delegate = b.delegate;
    this.kinds = b.kinds != null ? b.kinds : EnumSet.of(ResourceKind.KEY);
    this.remember = b.remember != null ? b.remember : Duration.ofHours(1);
    this.maxEntries = b.maxEntries;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
  }

  /** A builder decorating {@code delegate}, which authenticates and decides first. */
  public static Builder builder(Authorizer delegate) {
    return new Builder(delegate);
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    AuthDecision decision = delegate.authorize(request);
    if (!(decision instanceof AuthDecision.Allow) || !kinds.contains(request.kind()) || request.token() == null) {
      return decision;
    }
    String digest = digest(request.token() + '\n' + request.path());
    Instant now = clock.instant();
    synchronized (seen) {
      evictExpired(now);
      Instant until = seen.get(digest);
      if (until != null) {
        return AuthDecision.unauthenticated("token already used");
      }
      if (seen.size() >= maxEntries) {
        Iterator<String> oldest = seen.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      seen.put(digest, now.plus(remember));
    }
    return AuthDecision.allow(Duration.ZERO); // never reusable: the next use must come back here
  }

  /** How many token digests are remembered now (for metrics and tests). */
  public int rememberedCount() {
    synchronized (seen) {
      return seen.size();
    }
  }

  private void evictExpired(Instant now) {
    Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().isAfter(now)) {
      it.remove();
    }
  }

  private static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "SingleUseTokens[" + kinds + ", remember=" + remember + ", max=" + maxEntries + ", " + delegate + "]";
  }

  /** Configures {@link SingleUseTokens}. Not thread-safe. */
  public static final class Builder {
    private final Authorizer delegate;
    private Set<ResourceKind> kinds;
    private Duration remember;
    private int maxEntries = 100_000;
    private InstantSource clock;

    private Builder(Authorizer delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The resource kinds whose tokens are single-use (default: {@link ResourceKind#KEY}). */
    public Builder kinds(ResourceKind first, ResourceKind... more) {
      kinds = EnumSet.of(first, more);
      return this;
    }

    /**
     * How long a used token is remembered (default 1 h): at least the longest token lifetime, so that a token
     * cannot be replayed after it is forgotten but before it expires.
     */
    public Builder remember(Duration value) {
      Preconditions.requireArgument(value != null && !value.isNegative() && !value.isZero(),
          "remember must be positive: %s", value);
      remember = value;
      return this;
    }

    /** The most digests kept (default 100,000, about 10 MB). */
    public Builder maxEntries(int value) {
      Preconditions.requireArgument(value > 0, "maxEntries must be positive: %s", value);
      maxEntries = value;
      return this;
    }

    /** The clock (default the system clock); inject for tests. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds the decorator. */
    public SingleUseTokens build() {
      return new SingleUseTokens(this);
    }
  }
}
