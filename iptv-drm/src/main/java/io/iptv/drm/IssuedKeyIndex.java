package io.iptv.drm;

import io.iptv.core.MediaException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link KeyProvider} decorator that remembers the keys it has issued, by KID, so that a licence server can
 * find them from the KID alone ({@link KeyLocator}). Bounded: the least recently issued or looked-up entries are
 * evicted beyond {@link Builder#maximumSize} (an evicted KID is then unknown to the licence server; size it to
 * cover every key still listed in a playlist, e.g. channels × renditions × crypto periods in the window).
 *
 * <p>Thread-safe (one lock; both operations are O(1)). Keys live in memory only and are never logged.
 *
 * <pre>{@code
 * IssuedKeyIndex keys = IssuedKeyIndex.builder(KeyProvider.derived(secret)).maximumSize(10_000).build();
 * // the packager asks keys.key(request); the licence server asks keys.locate(kid)
 * ClearKeyLicenseHandler license = ClearKeyLicenseHandler.builder(keys).accessPolicy(policy).build();
 * }</pre>
 */
public final class IssuedKeyIndex implements KeyProvider, KeyLocator {
  /** Default bound on remembered keys. */
  public static final int DEFAULT_MAXIMUM_SIZE = 4096;

  private final KeyProvider delegate;
  private final int maximumSize;
  private final Map<KeyId, LocatedKey> issued;

  private IssuedKeyIndex(Builder b) {
    this.delegate = b.delegate;
    this.maximumSize = b.maximumSize > 0 ? b.maximumSize : DEFAULT_MAXIMUM_SIZE;
    this.issued = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<KeyId, LocatedKey> eldest) {
        return size() > maximumSize;
      }
    };
  }

  /** Starts configuring an index over {@code delegate}. */
  public static Builder builder(KeyProvider delegate) {
    return new Builder(delegate);
  }

  @Override
  public ContentKey key(KeyRequest request) throws MediaException {
    ContentKey key = delegate.key(request);
    if (key == null) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, "the key provider returned no key");
    }
    synchronized (issued) {
      issued.put(key.keyId(), new LocatedKey(request.channel(), key));
    }
    return key;
  }

  @Override
  public List<LocatedKey> locate(KeyId keyId) {
    LocatedKey found;
    synchronized (issued) {
      found = issued.get(keyId);
    }
    return found == null ? List.of() : List.of(found);
  }

  /** How many keys are remembered. */
  public int size() {
    synchronized (issued) {
      return issued.size();
    }
  }

  @Override
  public String toString() {
    return "IssuedKeyIndex[" + delegate + ", max " + maximumSize + "]";
  }

  /** Configures an {@link IssuedKeyIndex}; each setting once. Not thread-safe. */
  public static final class Builder {
    private final KeyProvider delegate;
    private int maximumSize;

    private Builder(KeyProvider delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** How many keys to remember at most (default {@value IssuedKeyIndex#DEFAULT_MAXIMUM_SIZE}). */
    public Builder maximumSize(int value) {
      if (maximumSize != 0) {
        throw new IllegalStateException("maximumSize was already set to " + maximumSize);
      }
      if (value < 1) {
        throw new IllegalArgumentException("maximumSize must be positive: " + value);
      }
      maximumSize = value;
      return this;
    }

    /** Builds the index. */
    public IssuedKeyIndex build() {
      return new IssuedKeyIndex(this);
    }
  }
}
