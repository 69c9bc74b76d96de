package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Cross-origin resource sharing for browser players (Fetch Standard §3.2 "CORS protocol"): which origins may
 * read responses, and the preflight answer.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * CorsPolicy any = CorsPolicy.anyOrigin();
 * CorsPolicy some = CorsPolicy.builder().allowOrigin("https://player.example").build();
 * }</pre>
 */
public final class CorsPolicy {
  private static final CorsPolicy DISABLED = new CorsPolicy(Set.of(), false, Duration.ZERO);
  private static final CorsPolicy ANY = new CorsPolicy(Set.of(), true, Duration.ofDays(1));

  static final String ALLOW_HEADERS = "Range, If-None-Match, If-Range, Authorization, Content-Type";
  static final String EXPOSE_HEADERS = "Content-Length, Content-Range, ETag, Accept-Ranges";
  static final String ALLOW_METHODS = "GET, HEAD, POST, OPTIONS";

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final Duration preflightMaxAge;

  private CorsPolicy(Set<String> origins, boolean anyOrigin, Duration preflightMaxAge) {
    this.origins = Set.copyOf(origins);
    this.anyOrigin = anyOrigin;
    this.preflightMaxAge = preflightMaxAge;
  }

  /** No CORS headers at all (the default). */
  public static CorsPolicy disabled() {
    return DISABLED;
  }

  /** {@code Access-Control-Allow-Origin: *} for every request that carries an Origin. */
  public static CorsPolicy anyOrigin() {
    return ANY;
  }

  /** A builder for a list of allowed origins. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether any CORS header is ever sent. */
  public boolean enabled() {
    return anyOrigin || !origins.isEmpty();
  }

  /** The Access-Control-Allow-Origin value for a request from {@code origin}, or {@code null} if not allowed. */
  String allowOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    if (anyOrigin) {
      return "*";
    }
    return origins.contains(origin) ? origin : null;
  }

  /** Whether responses vary by Origin (a list of origins, echoed back). */
  boolean variesByOrigin() {
    return !anyOrigin && !origins.isEmpty();
  }

  Duration preflightMaxAge() {
    return preflightMaxAge;
  }

  /** Builds a {@link CorsPolicy} with explicit origins. Not thread-safe. */
  public static final class Builder {
    private final Set<String> origins = new LinkedHashSet<>();
    private Duration preflightMaxAge;

    private Builder() {}

    /** Allows {@code origin} (scheme://host[:port], as browsers send it). */
    public Builder allowOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      Preconditions.requireArgument(origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+"), "bad origin: %s", origin);
      Preconditions.requireArgument(origins.add(origin), "origin was already allowed: %s", origin);
      return this;
    }

    /** Access-Control-Max-Age of preflight answers (default 1 day). */
    public Builder preflightMaxAge(Duration value) {
      Preconditions.requireState(preflightMaxAge == null, "preflightMaxAge was already set to %s", preflightMaxAge);
      Preconditions.requireArgument(!Objects.requireNonNull(value).isNegative(), "negative: %s", value);
      preflightMaxAge = value;
      return this;
    }

    /** Builds the policy; at least one origin is required. */
    public CorsPolicy build() {
      Preconditions.requireState(!origins.isEmpty(), "no origin allowed; use CorsPolicy.disabled()");
      return new CorsPolicy(origins, false, preflightMaxAge != null ? preflightMaxAge : Duration.ofDays(1));
    }
  }
}
