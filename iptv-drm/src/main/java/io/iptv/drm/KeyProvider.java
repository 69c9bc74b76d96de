package io.iptv.drm;

import io.iptv.core.MediaException;

/**
 * SPI: supplies the content key for a {@link KeyRequest}, typically from the host's key management system. The
 * packager asks once per segment and rendition (implementations may cache); the same request must always give
 * the same key, or segments and key delivery disagree.
 *
 * <p>Implementations must be thread-safe and must never log key bytes. Failure to obtain a key is a
 * {@link MediaException} of kind {@link MediaException.Kind#KEY_UNAVAILABLE}; packaging then stops rather than
 * publishing clear or wrongly encrypted segments.
 *
 * <pre>{@code
 * KeyProvider fromVault = request -> vault.contentKey(request.channel(), request.cryptoPeriod());
 * KeyProvider fixed = KeyProvider.fixed(ContentKey.parse("00112233445566778899aabbccddeeff:000102030405060708090a0b0c0d0e0f"));
 * KeyProvider derived = KeyProvider.derived(masterSecret);
 * }</pre>
 */
@FunctionalInterface
public interface KeyProvider {
  /** The key for {@code request}. */
  ContentKey key(KeyRequest request) throws MediaException;

  /**
   * Fixed keys: period {@code p} uses {@code keys[p % keys.length]} whatever the channel and track type (one key:
   * no rotation; several: rotation cycles through them).
   */
  static FixedKeys fixed(ContentKey... keys) {
    return FixedKeys.of(keys);
  }

  /** Keys derived with HKDF-SHA256 from {@code masterSecret} (at least 16 bytes), see {@link DerivedKeys}. */
  static DerivedKeys derived(byte[] masterSecret) {
    return DerivedKeys.of(masterSecret);
  }
}
