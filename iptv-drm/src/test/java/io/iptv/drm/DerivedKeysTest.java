package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.TrackType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** HKDF-derived keys: deterministic, and equal to an independent JDK-only RFC 5869 computation. */
class DerivedKeysTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = HEX.parseHex("6d61737465722d7365637265742d31326d61737465722d736563");

  /** RFC 5869 Appendix A.1 (Test Case 1) through the Bouncy Castle path, and through the JDK reference. */
  @Test
  void hkdfMatchesRfc5869TestCase1() throws Exception {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    String okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
    assertEquals(okm, HEX.formatHex(jdkHkdf(ikm, salt, info, 42)));
    // Our production path has no salt: check it against the JDK reference with an empty salt.
    assertArrayEquals(jdkHkdf(ikm, null, info, 42), DerivedKeys.hkdf(ikm, info, 42));
  }

  @Test
  void keyAndKidMatchAnIndependentComputation() throws Exception {
    DerivedKeys keys = KeyProvider.derived(SECRET);
    for (long period : new long[] {0, 1, 7, 1L << 40}) {
      ContentKey key = keys.key(new KeyRequest("news", TrackType.VIDEO, period));
      byte[] info = concat("iptv-drm/aes-128/v1".getBytes(StandardCharsets.US_ASCII), new byte[] {0},
          "news".getBytes(StandardCharsets.UTF_8), new byte[] {0}, ByteBuffer.allocate(8).putLong(period).array());
      byte[] okm = jdkHkdf(SECRET, null, info, 32);
      assertArrayEquals(Arrays.copyOf(okm, 16), key.keyBytes(), "key of period " + period);
      byte[] kid = key.keyId().toByteArray();
      assertArrayEquals(Arrays.copyOfRange(okm, 16, 24), Arrays.copyOf(kid, 8));
      assertEquals(period, ByteBuffer.wrap(kid, 8, 8).getLong());
      assertTrue(key.ivPolicy().isMediaSequence());
    }
  }

  @Test
  void deterministicAcrossInstancesAndDistinctPerChannelAndPeriod() {
    ContentKey a = KeyProvider.derived(SECRET).key(new KeyRequest("news", TrackType.VIDEO, 3));
    ContentKey b = KeyProvider.derived(SECRET.clone()).key(new KeyRequest("news", TrackType.AUDIO, 3));
    assertEquals(a, b); // another "origin node"; the track type is not part of the derivation
    assertNotEquals(a, KeyProvider.derived(SECRET).key(new KeyRequest("sport", TrackType.VIDEO, 3)));
    assertNotEquals(a, KeyProvider.derived(SECRET).key(new KeyRequest("news", TrackType.VIDEO, 4)));
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    assertNotEquals(a, KeyProvider.derived(other).key(new KeyRequest("news", TrackType.VIDEO, 3)));
  }

  @Test
  void findRecomputesIssuedKeysAndRejectsOthers() {
    DerivedKeys keys = KeyProvider.derived(SECRET);
    ContentKey issued = keys.key(new KeyRequest("news", TrackType.VIDEO, 5));
    assertEquals(issued, keys.find("news", issued.keyId()));
    assertNull(keys.find("sport", issued.keyId()), "a KID is bound to its channel");
    byte[] forged = issued.keyId().toByteArray();
    forged[15] ^= 1; // another period with the same tag
    assertNull(keys.find("news", KeyId.of(forged)));
    forged = issued.keyId().toByteArray();
    forged[8] = (byte) 0x80; // negative period
    assertNull(keys.find("news", KeyId.of(forged)));
  }

  @Test
  void secretIsValidatedAndNeverShown() {
    assertThrows(IllegalArgumentException.class, () -> KeyProvider.derived(new byte[15]));
    DerivedKeys keys = KeyProvider.derived(SECRET);
    assertFalse(keys.toString().toLowerCase().contains(HEX.formatHex(SECRET).substring(0, 8)));
  }

  /** RFC 5869 §2.2 and §2.3 with the JDK's HmacSHA256 only: the independent reference. */
  static byte[] jdkHkdf(byte[] ikm, byte[] salt, byte[] info, int length) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    ByteArrayOutputStream okm = new ByteArrayOutputStream();
    byte[] t = new byte[0];
    for (int i = 1; okm.size() < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      okm.writeBytes(t);
    }
    return Arrays.copyOf(okm.toByteArray(), length);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
