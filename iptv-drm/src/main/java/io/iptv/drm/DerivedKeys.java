package io.iptv.drm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Built-in derived keys ({@link KeyProvider#derived}): every key is computed from a master secret with
 * HKDF-SHA256 (RFC 5869), so every origin node computes the same keys without shared storage, and key
 * delivery needs no key table.
 *
 * <p>Derivation, for content id {@code c} (the channel) and crypto period {@code p}:
 * <pre>
 *   OKM = HKDF-SHA256(IKM = master secret, salt = none (RFC 5869 §2.2: HashLen zeros),
 *                     info = "iptv-drm/aes-128/v1" || 0x00 || UTF-8(c) || 0x00 || uint64be(p), L = 32)
 *   key = OKM[0..16)
 *   KID = OKM[16..24) || uint64be(p)
 * </pre>
 * The KID carries the period in clear (KIDs are public) and 8 bytes that only the secret's holder can compute, so
 * {@link #find} recomputes the key from the KID alone and rejects KIDs it did not issue. The track type is not
 * part of the derivation: one key per channel and period (use a custom {@link KeyProvider} for per-track keys).
 * IVs follow the media sequence number.
 *
 * <p>Immutable and thread-safe; the secret is copied and never shown.
 *
 * <pre>{@code
 * DerivedKeys keys = KeyProvider.derived(HexFormat.of().parseHex("6d61737465722d7365637265742d3132"));
 * ContentKey k = keys.key(new KeyRequest("news", TrackType.VIDEO, 0));
 * keys.find("news", k.keyId()); // the same key
 * }</pre>
 */
public final class DerivedKeys implements KeyProvider, KeyResolver {
  /** The info label, versioned so that the scheme can change without colliding with old keys. */
  static final String INFO_LABEL = "iptv-drm/aes-128/v1";
  private static final int MIN_SECRET_BYTES = 16;

  private final byte[] masterSecret;

  private DerivedKeys(byte[] masterSecret) {
    this.masterSecret = masterSecret;
  }

  static DerivedKeys of(byte[] masterSecret) {
    Objects.requireNonNull(masterSecret, "masterSecret");
    if (masterSecret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("a master secret needs at least 16 bytes, not " + masterSecret.length);
    }
    return new DerivedKeys(masterSecret.clone());
  }

  @Override
  public ContentKey key(KeyRequest request) {
    return derive(request.channel(), request.cryptoPeriod());
  }

  @Override
  public ContentKey find(String channel, KeyId keyId) {
    byte[] kid = keyId.toByteArray();
    long period = ByteBuffer.wrap(kid, 8, 8).getLong();
    if (period < 0) {
      return null;
    }
    ContentKey candidate = derive(channel, period);
    return MessageDigest.isEqual(candidate.keyId().toByteArray(), kid) ? candidate : null;
  }

  private ContentKey derive(String contentId, long period) {
    byte[] okm = hkdf(masterSecret, info(contentId, period), 32);
    byte[] kid = new byte[KeyId.LENGTH];
    System.arraycopy(okm, 16, kid, 0, 8);
    ByteBuffer.wrap(kid, 8, 8).putLong(period);
    ContentKey key = ContentKey.of(KeyId.of(kid), Arrays.copyOf(okm, 16), IvPolicy.mediaSequence());
    Arrays.fill(okm, (byte) 0);
    return key;
  }

  /** The HKDF info for a content id and period (see the class comment). */
  static byte[] info(String contentId, long period) {
    byte[] label = INFO_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] content = contentId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(label.length + 1 + content.length + 1 + 8)
        .put(label).put((byte) 0).put(content).put((byte) 0).putLong(period).array();
  }

  /** RFC 5869 HKDF-SHA256 with no salt, through Bouncy Castle. */
  static byte[] hkdf(byte[] ikm, byte[] info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, null, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  @Override
  public String toString() {
    return "DerivedKeys[HKDF-SHA256, secret=<redacted>]";
  }
}
