package io.iptv.drm;

/**
 * SPI for key delivery: finds the key a client asks for by channel and {@link KeyId}. Thread-safe. An unknown
 * KID answers {@code null} (the delivery handler answers 404 and reveals nothing).
 *
 * <pre>{@code
 * KeyResolver resolver = (channel, kid) -> vault.lookup(channel, kid.toHex());
 * }</pre>
 */
@FunctionalInterface
public interface KeyResolver {
  /** The key of {@code keyId} in {@code channel}, or {@code null} if there is none. */
  ContentKey find(String channel, KeyId keyId);
}
