package io.iptv.drm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 16-byte key identifier (KID, ISO/IEC 23001-7 §8.2 {@code default_KID}; also the name of an AES-128 key
 * file, {@code keys/<kid-hex>.key}). Not secret. Immutable; equal by value.
 *
 * <pre>{@code
 * KeyId kid = KeyId.fromHex("00112233445566778899aabbccddeeff");
 * kid.toHex(); // "00112233445566778899aabbccddeeff"
 * }</pre>
 */
public final class KeyId {
  /** Length of a KID in bytes. */
  public static final int LENGTH = 16;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private KeyId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A KID from 16 bytes (copied). */
  public static KeyId of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a key id has 16 bytes, not " + bytes.length);
    }
    return new KeyId(bytes.clone());
  }

  /** A KID from 32 hex digits (either case; an optional {@code 0x} prefix and dashes of a UUID are ignored). */
  public static KeyId fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    digits = digits.replace("-", "");
    if (!digits.matches("[0-9A-Fa-f]{32}")) {
      throw new IllegalArgumentException("a key id is 32 hex digits: " + hex);
    }
    return new KeyId(HEX.parseHex(digits));
  }

  /** The 16 bytes (a copy). */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** 32 lower-case hex digits. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyId k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The hex form: a KID is not secret. */
  @Override
  public String toString() {
    return toHex();
  }
}
