package io.iptv.core.auth;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code "edgeauth-2"} {@link AuthorizerProvider}: an {@link EdgeAuthTokenAuthorizer} from the settings
 * {@code key} (hex, required) and {@code maxClockSkewSeconds} (optional). Used only through
 * {@link Authorizers#load}. Thread-safe.
 *
 * <pre>{@code
 * Authorizer edge = Authorizers.load("edgeauth-2", Map.of("key", akamaiTokenKeyHex));
 * }</pre>
 */
public final class EdgeAuthTokenAuthorizerProvider implements AuthorizerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public EdgeAuthTokenAuthorizerProvider() {}

  @Override
  public String name() {
    return "edgeauth-2";
  }

  @Override
  public Authorizer create(Map<String, String> config) {
    EdgeAuthTokenAuthorizer.Builder b = EdgeAuthTokenAuthorizer.builder();
    for (Map.Entry<String, String> e : config.entrySet()) {
      switch (e.getKey()) {
        case "key" -> b.hexKey(e.getValue());
        case "maxClockSkewSeconds" -> b.maxClockSkew(Duration.ofSeconds(seconds(e.getValue())));
        default -> throw new IllegalArgumentException("unknown setting of edgeauth-2: " + e.getKey());
      }
    }
    if (!config.containsKey("key")) {
      throw new IllegalArgumentException("setting key is required");
    }
    return b.build();
  }

  static long seconds(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting maxClockSkewSeconds is not a number: " + value);
    }
  }
}
