package io.iptv.drm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * SPI: finds a key by its KID alone, with the channel(s) it belongs to. A W3C ClearKey licence request
 * ({@link ClearKeyLicenseHandler}) names only KIDs, whereas a {@link KeyResolver} needs the channel too.
 *
 * <p>Implementations must be thread-safe, fast and must not throw; they never log keys. Built in:
 * {@link #inChannels} (ask a resolver for each known channel: right for {@link FixedKeys}, and for
 * {@link DerivedKeys} with a fixed set of channels) and {@link IssuedKeyIndex} (remembers what a
 * {@link KeyProvider} issued: right for derived keys of a live packager in the same process).
 *
 * <pre>{@code
 * KeyLocator locator = KeyLocator.inChannels(KeyProvider.derived(secret), List.of("news", "sport"));
 * }</pre>
 */
@FunctionalInterface
public interface KeyLocator {
  /**
   * Where the key of {@code keyId} is known: one entry per channel that has it (a key shared by several
   * channels, like a fixed key, may appear once per channel); empty if unknown.
   */
  List<LocatedKey> locate(KeyId keyId);

  /**
   * Asks {@code resolver} about each of {@code channels} in turn (at most a few dozen channels: every lookup
   * asks each).
   */
  static KeyLocator inChannels(KeyResolver resolver, Collection<String> channels) {
    Objects.requireNonNull(resolver, "resolver");
    List<String> names = List.copyOf(channels);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no channel to look keys up in");
    }
    return new KeyLocator() {
      @Override
      public List<LocatedKey> locate(KeyId keyId) {
        List<LocatedKey> found = new ArrayList<>(1);
        for (String channel : names) {
          ContentKey key = resolver.find(channel, keyId);
          if (key != null) {
            found.add(new LocatedKey(channel, key));
          }
        }
        return found;
      }

      @Override
      public String toString() {
        return "KeyLocator[" + resolver + " in " + names + "]";
      }
    };
  }
}
