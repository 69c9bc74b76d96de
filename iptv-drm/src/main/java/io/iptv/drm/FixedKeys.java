package io.iptv.drm;

import java.util.List;
import java.util.Objects;

/**
 * Built-in fixed keys ({@link KeyProvider#fixed}): crypto period {@code p} uses {@code keys.get(p % size)} for
 * every channel and track type; key delivery finds any of them by KID. For tests, demos and VOD packaging
 * with keys from the command line. Immutable and thread-safe.
 *
 * <pre>{@code
 * FixedKeys keys = KeyProvider.fixed(ContentKey.parse(kid1 + ":" + key1), ContentKey.parse(kid2 + ":" + key2));
 * keys.key(new KeyRequest("news", TrackType.VIDEO, 3)); // the second key
 * }</pre>
 */
public final class FixedKeys implements KeyProvider, KeyResolver {
  private final List<ContentKey> keys;

  private FixedKeys(List<ContentKey> keys) {
    this.keys = keys;
  }

  static FixedKeys of(ContentKey... keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.length == 0) {
      throw new IllegalArgumentException("at least one key is needed");
    }
    List<ContentKey> list = List.of(keys);
    if (list.stream().map(ContentKey::keyId).distinct().count() != list.size()) {
      throw new IllegalArgumentException("duplicate key id among the fixed keys");
    }
    return new FixedKeys(list);
  }

  /** The keys, in rotation order. */
  public List<ContentKey> keys() {
    return keys;
  }

  @Override
  public ContentKey key(KeyRequest request) {
    return keys.get((int) (request.cryptoPeriod() % keys.size()));
  }

  @Override
  public ContentKey find(String channel, KeyId keyId) {
    for (ContentKey k : keys) {
      if (k.keyId().equals(keyId)) {
        return k;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "FixedKeys[" + keys.size() + " keys]";
  }
}
