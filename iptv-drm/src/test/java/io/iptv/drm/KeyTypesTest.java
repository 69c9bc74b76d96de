package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.TrackType;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** KeyId, ContentKey, IvPolicy, FixedKeys and KeyRotation. */
class KeyTypesTest {
  private static final String KID = "00112233445566778899aabbccddeeff";
  private static final String KEY = "3c1f0e2d4b5a69788796a5b4c3d2e1f0";

  @Test
  void toStringRedactsKeyBytes() {
    ContentKey key = ContentKey.parse(KID + ":" + KEY);
    String shown = key.toString() + KeyProvider.fixed(key);
    assertFalse(shown.contains(KEY), shown);
    assertFalse(shown.contains(KEY.substring(0, 6)), shown);
    assertTrue(shown.contains(KID), "the KID is public and shown: " + shown);
  }

  @Test
  void parseErrorsNeverEchoTheKey() {
    String badKey = "3c1f0e2d4b5a69788796a5b4c3d2e1fz";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContentKey.parse(KID + ":" + badKey));
    assertFalse(e.getMessage().contains(badKey.substring(0, 8)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ContentKey.parse(KID));
    assertThrows(IllegalArgumentException.class, () -> KeyId.fromHex("0011"));
  }

  @Test
  void keyIdHexRoundTripAndValueEquality() {
    KeyId kid = KeyId.fromHex("0x" + KID.toUpperCase());
    assertEquals(KID, kid.toHex());
    assertEquals(kid, KeyId.of(HexFormat.of().parseHex(KID)));
    assertEquals(kid, KeyId.fromHex("00112233-4455-6677-8899-aabbccddeeff"));
    byte[] copy = kid.toByteArray();
    copy[0] = 9;
    assertEquals(KID, kid.toHex(), "defensive copy");
  }

  @Test
  void mediaSequenceIvIsBigEndian128Bit() {
    assertEquals("00000000000000000000000000000000", HexFormat.of().formatHex(IvPolicy.mediaSequence().ivFor(0)));
    assertEquals("00000000000000000000000000000102",
        HexFormat.of().formatHex(IvPolicy.mediaSequence().ivFor(0x102)));
    assertEquals("000000000000000001020304050607ff",
        HexFormat.of().formatHex(IvPolicy.mediaSequence().ivFor(0x01020304050607ffL)));
    assertNull(IvPolicy.mediaSequence().attribute());
    byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    IvPolicy explicit = IvPolicy.explicit(iv);
    assertArrayEquals(iv, explicit.ivFor(99));
    assertEquals("0x000102030405060708090a0b0c0d0e0f", explicit.attribute());
  }

  @Test
  void fixedKeysRotateByPeriodAndResolveByKid() {
    ContentKey a = ContentKey.parse(KID + ":" + KEY);
    ContentKey b = ContentKey.parse("ffeeddccbbaa99887766554433221100:" + KEY);
    FixedKeys keys = KeyProvider.fixed(a, b);
    assertSame(a, keys.key(new KeyRequest("x", TrackType.VIDEO, 0)));
    assertSame(b, keys.key(new KeyRequest("x", TrackType.VIDEO, 1)));
    assertSame(a, keys.key(new KeyRequest("x", TrackType.AUDIO, 2)));
    assertSame(b, keys.find("any", b.keyId()));
    assertNull(keys.find("any", KeyId.fromHex("0123456789abcdef0123456789abcdef")));
    assertThrows(IllegalArgumentException.class, () -> KeyProvider.fixed(a, a));
    assertThrows(IllegalArgumentException.class, KeyProvider::fixed);
  }

  @Test
  void rotationAndClearLeadDependOnlyOnTheSequenceNumber() {
    KeyRotation r = KeyRotation.everySegments(2).withClearLead(1);
    assertEquals(-1, r.cryptoPeriod(0));
    assertEquals(0, r.cryptoPeriod(1));
    assertEquals(1, r.cryptoPeriod(2));
    assertEquals(1, r.cryptoPeriod(3));
    assertEquals(2, r.cryptoPeriod(4));
    assertEquals(0, KeyRotation.none().cryptoPeriod(1_000_000));
    assertThrows(IllegalArgumentException.class, () -> KeyRotation.everySegments(0));
    assertThrows(IllegalArgumentException.class, () -> new KeyRotation(1, -1));
  }
}
