package io.iptv.drm;

import java.util.Objects;

/**
 * A content key together with the channel it protects: what a {@link KeyLocator} finds for a bare KID, so that
 * the licence server can ask the host's authorisation about that channel's key. Immutable; {@link #toString()}
 * redacts the key like {@link ContentKey} does.
 *
 * <pre>{@code
 * LocatedKey found = new LocatedKey("news", contentKey);
 * }</pre>
 *
 * @param channel the channel (as in {@code /{channel}/keys/<kid>.key})
 * @param key the content key
 */
public record LocatedKey(String channel, ContentKey key) {
  /** Validates. */
  public LocatedKey {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(key, "key");
  }
}
