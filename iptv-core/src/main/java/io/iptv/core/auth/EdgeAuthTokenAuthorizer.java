package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies tokens in the Akamai EdgeAuth 2.0 format, so that a CDN edge and this origin accept the same tokens:
 * {@code [ip=IP~][st=START~]exp=END~acl=ACL[~id=ID][~data=DATA]~hmac=HEX}, where {@code hmac} is the lower-case
 * hex HMAC-SHA256 (key given in hex, as Akamai's property configuration has it) of everything before
 * {@code ~hmac=}. URL tokens (no {@code acl}) are checked with {@code ~url=PATH} appended to the signed string.
 * An optional {@code hdnts=} prefix is ignored.
 *
 * <p>The token is read as {@link AccessRequest#token()}: configure the edge's token name as {@code token}
 * (query) or {@code iptv_token} (cookie), so that {@link TokenPropagation} also carries it into playlists.
 *
 * <p>Decisions: no token 401; malformed or bad MAC (constant-time) 401; {@code exp} past or {@code st} in the
 * future (beyond the skew) 401; ACL (patterns separated by {@code !}, {@code *} matching any characters) not
 * matching the resource path ({@code /channel/name}) 403; {@code ip} not the client's 403; else allow until
 * {@code exp}.
 *
 * <p>Immutable and thread-safe; never logs.
 *
 * <pre>{@code
 * EdgeAuthTokenAuthorizer edge = EdgeAuthTokenAuthorizer.builder().hexKey(akamaiTokenKeyHex).build();
 * }</pre>
 */
public final class EdgeAuthTokenAuthorizer implements Authorizer {
  private static final int MAX_FIELDS = 8;

  private final byte[] key;
  private final Duration maxClockSkew;
  private final InstantSource clock;

  private EdgeAuthTokenAuthorizer(Builder b) {
    this.key = b.key;
    this.maxClockSkew = b.maxClockSkew != null ? b.maxClockSkew : Duration.ZERO;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
  }

  /** Starts configuring. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    String token = request.token();
    if (token == null) {
      return AuthDecision.unauthenticated("token required");
    }
    if (token.startsWith("hdnts=")) {
      token = token.substring(6);
    }
    int hmacAt = token.lastIndexOf("~hmac=");
    Map<String, String> fields = hmacAt < 0 ? null : fields(token);
    if (fields == null || !fields.containsKey("exp") || !fields.containsKey("hmac")) {
      return AuthDecision.unauthenticated("invalid token");
    }
    String signed = token.substring(0, hmacAt);
    String acl = fields.get("acl");
    if (acl == null) {
      signed += "~url=" + request.key().path(); // URL token: the path is signed, not carried
    }
    byte[] expected = hmac(signed);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(fields.get("hmac"));
    } catch (IllegalArgumentException e) {
      return AuthDecision.unauthenticated("invalid token");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      return AuthDecision.unauthenticated("invalid token");
    }
    long now = clock.instant().getEpochSecond();
    long skew = maxClockSkew.toSeconds();
    long exp = number(fields.get("exp"));
    String st = fields.get("st");
    if (exp < 0 || (st != null && number(st) < 0)) {
      return AuthDecision.unauthenticated("invalid token");
    }
    if (exp + skew < now) {
      return AuthDecision.unauthenticated("token expired");
    }
    if (st != null && number(st) - skew > now) {
      return AuthDecision.unauthenticated("token not yet valid");
    }
    if (acl != null && !aclMatches(acl, request.key().path())) {
      return AuthDecision.forbidden("token does not grant this path");
    }
    String ip = fields.get("ip");
    if (ip != null && (request.clientAddress() == null || !request.clientAddress().getHostAddress().equals(ip))) {
      return AuthDecision.forbidden("token is bound to another client");
    }
    return AuthDecision.allow(Duration.ofSeconds(Math.max(0, exp - now)));
  }

  /** Whether one of the {@code !}-separated patterns matches {@code path}; {@code *} matches any characters. */
  static boolean aclMatches(String acl, String path) {
    for (String pattern : acl.split("!", -1)) {
      if (!pattern.isEmpty() && glob(pattern, 0, path, 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean glob(String pattern, int p, String path, int s) {
    // Iterative wildcard matching with one backtrack point: linear-ish, no recursion blow-up.
    int star = -1;
    int mark = 0;
    while (s < path.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = s;
      } else if (p < pattern.length() && pattern.charAt(p) == path.charAt(s)) {
        p++;
        s++;
      } else if (star >= 0) {
        p = star + 1;
        s = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static Map<String, String> fields(String token) {
    String[] parts = token.split("~", -1);
    if (parts.length > MAX_FIELDS) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq <= 0 || fields.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
        return null; // no name, or a repeated field
      }
    }
    return fields;
  }

  private static long number(String value) {
    if (value == null || value.isEmpty() || value.length() > 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(value);
  }

  private byte[] hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "EdgeAuthTokenAuthorizer";
  }

  /** Configures an {@link EdgeAuthTokenAuthorizer}; validated at once. Not thread-safe. */
  public static final class Builder {
    private byte[] key;
    private Duration maxClockSkew;
    private InstantSource clock;

    private Builder() {}

    /** The token key as hex (Akamai's "token key"; an even number of hex digits, at least 16 bytes). */
    public Builder hexKey(String hex) {
      Preconditions.requireState(key == null, "key was already set");
      byte[] bytes;
      try {
        bytes = HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key is not hex");
      }
      Preconditions.requireArgument(bytes.length >= 16, "key must have at least 16 bytes");
      key = bytes;
      return this;
    }

    /** Tolerance for clocks that disagree, 0 to 5 minutes (default 0). */
    public Builder maxClockSkew(Duration value) {
      Preconditions.requireState(maxClockSkew == null, "maxClockSkew was already set to %s", maxClockSkew);
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofMinutes(5)) <= 0,
          "maxClockSkew must be in 0..5 min: %s", value);
      maxClockSkew = value;
      return this;
    }

    /** The clock (default the system clock). */
    public Builder clock(InstantSource value) {
      Preconditions.requireState(clock == null, "clock was already set");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds; the key is required. */
    public EdgeAuthTokenAuthorizer build() {
      Preconditions.requireState(key != null, "hexKey is required");
      return new EdgeAuthTokenAuthorizer(this);
    }
  }
}
