package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of an {@link Authorizer}: {@link Allow} (with how long the decision may be reused) or
 * {@link Deny} (with the HTTP status: 401 when the caller is not authenticated, i.e. no token or an invalid,
 * forged or expired one; 403 when a valid token does not grant this resource).
 *
 * <p>Immutable. The reason of a {@link Deny} is sent to the client and may be logged: it must never contain a
 * token or a key.
 *
 * <pre>{@code
 * AuthDecision d = AuthDecision.unauthenticated("token expired");
 * if (d instanceof AuthDecision.Deny deny) { deny.status(); } // 401
 * }</pre>
 */
public sealed interface AuthDecision {
  /** Whether access is granted. */
  boolean allowed();

  /**
   * Access granted.
   *
   * @param maxAge how long this decision stays valid for the same request (for example until the token
   *     expires); {@link Duration#ZERO} means "this request only". Key resources are never cached whatever it
   *     says.
   */
  record Allow(Duration maxAge) implements AuthDecision {
    /** Checks that {@code maxAge} is not negative. */
    public Allow {
      Objects.requireNonNull(maxAge, "maxAge");
      Preconditions.requireArgument(!maxAge.isNegative(), "maxAge must not be negative: %s", maxAge);
    }

    @Override
    public boolean allowed() {
      return true;
    }
  }

  /**
   * Access refused.
   *
   * @param status 401 (not authenticated) or 403 (authenticated, not entitled)
   * @param reason a short human-readable reason, never containing a token or key
   */
  record Deny(int status, String reason) implements AuthDecision {
    /** Checks the status and the reason. */
    public Deny {
      Preconditions.requireArgument(status == 401 || status == 403, "status must be 401 or 403: %s", status);
      Objects.requireNonNull(reason, "reason");
      Preconditions.requireArgument(reason.length() <= 200 && reason.indexOf('\n') < 0 && reason.indexOf('\r') < 0,
          "reason must be one short line");
    }

    @Override
    public boolean allowed() {
      return false;
    }
  }

  /** Allows, valid for {@code maxAge}. */
  static AuthDecision allow(Duration maxAge) {
    return new Allow(maxAge);
  }

  /** Refuses with 401: no credentials, or invalid, forged or expired ones. */
  static AuthDecision unauthenticated(String reason) {
    return new Deny(401, reason);
  }

  /** Refuses with 403: valid credentials that do not grant this resource. */
  static AuthDecision forbidden(String reason) {
    return new Deny(403, reason);
  }
}
