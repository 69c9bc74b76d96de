package io.iptv.drm;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 128-bit AES content key with its {@link KeyId} and {@link IvPolicy}. The key bytes never leave this class
 * except through {@link #keyBytes()} (a copy, for key delivery) and {@link #secretKey()} (for a JCA cipher);
 * {@link #toString()} redacts them, and the library never logs them. Immutable; equal by value (compared in
 * constant time).
 *
 * <pre>{@code
 * ContentKey key = ContentKey.of(KeyId.fromHex("00112233445566778899aabbccddeeff"),
 *     HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"), IvPolicy.mediaSequence());
 * key.toString(); // "ContentKey[kid=0011…eeff, key=<redacted>, iv=IvPolicy[mediaSequence]]"
 * }</pre>
 */
public final class ContentKey {
  /** Length of an AES-128 key in bytes. */
  public static final int LENGTH = 16;

  private final KeyId keyId;
  private final byte[] key;
  private final IvPolicy ivPolicy;

  private ContentKey(KeyId keyId, byte[] key, IvPolicy ivPolicy) {
    this.keyId = keyId;
    this.key = key;
    this.ivPolicy = ivPolicy;
  }

  /** A key from 16 bytes (copied). */
  public static ContentKey of(KeyId keyId, byte[] key, IvPolicy ivPolicy) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ivPolicy, "ivPolicy");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("an AES-128 key has 16 bytes, not " + key.length);
    }
    return new ContentKey(keyId, key.clone(), ivPolicy);
  }

  /**
   * Parses {@code KID_HEX:KEY_HEX} (the form of {@code iptv package --key}); the IV is the media sequence
   * number. The message of a parse failure never contains the key.
   */
  public static ContentKey parse(String kidColonKey) {
    Objects.requireNonNull(kidColonKey, "kidColonKey");
    int colon = kidColonKey.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected KID_HEX:KEY_HEX");
    }
    KeyId kid = KeyId.fromHex(kidColonKey.substring(0, colon));
    String keyHex = kidColonKey.substring(colon + 1);
    if (!keyHex.matches("[0-9A-Fa-f]{32}")) {
      throw new IllegalArgumentException("the key of " + kid + " is not 32 hex digits");
    }
    return new ContentKey(kid, HexFormat.of().parseHex(keyHex), IvPolicy.mediaSequence());
  }

  /** The KID. */
  public KeyId keyId() {
    return keyId;
  }

  /** The IV policy. */
  public IvPolicy ivPolicy() {
    return ivPolicy;
  }

  /** A copy of the 16 key bytes. Handle with care: never log them. */
  public byte[] keyBytes() {
    return key.clone();
  }

  /** The key as a JCA {@code AES} key. */
  public SecretKeySpec secretKey() {
    return new SecretKeySpec(key, "AES");
  }

  /** The same key with another IV policy. */
  public ContentKey withIvPolicy(IvPolicy value) {
    return new ContentKey(keyId, key, Objects.requireNonNull(value, "ivPolicy"));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentKey k && keyId.equals(k.keyId) && MessageDigest.isEqual(key, k.key)
        && ivPolicy.equals(k.ivPolicy);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode(); // never derived from the key bytes
  }

  /** The KID and IV policy; the key bytes are redacted. */
  @Override
  public String toString() {
    return "ContentKey[kid=" + keyId + ", key=<redacted>, iv=" + ivPolicy + "]";
  }
}
