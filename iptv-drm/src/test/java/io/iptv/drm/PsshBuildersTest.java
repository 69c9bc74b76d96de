package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pssh builders against vectors computed independently by Shaka Packager's pssh generator tests
 * (packager/media/base/pssh_generator_unittest.cc: KIDs "keyid1~~~~~~~~~~" and "keyid2~~~~~~~~~~", key
 * "contentkey1~~~~~"), written out here field by field.
 */
class PsshBuildersTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final KeyId KID1 = KeyId.of("keyid1~~~~~~~~~~".getBytes(StandardCharsets.US_ASCII));
  private static final KeyId KID2 = KeyId.of("keyid2~~~~~~~~~~".getBytes(StandardCharsets.US_ASCII));
  private static final ContentKey KEY1 = ContentKey.of(KID1,
      "contentkey1~~~~~".getBytes(StandardCharsets.US_ASCII), IvPolicy.mediaSequence());
  private static final String KID1_HEX = "6b6579696431" + "7e".repeat(10);
  private static final String KID2_HEX = "6b6579696432" + "7e".repeat(10);

  @Test
  void commonPsshIsVersion1WithKidsAndNoData() {
    String expected = "00000044" + "70737368" + "01000000" // size, 'pssh', version 1 + flags
        + "1077efecc0b24d02ace33c1e52e2fb4b" // SystemID
        + "00000002" + KID1_HEX + KID2_HEX // KID_count, KIDs
        + "00000000"; // DataSize
    assertEquals(expected, HEX.formatHex(PsshBox.common(List.of(KID1, KID2)).toByteArray()));
  }

  @Test
  void widevinePsshCarriesKeyIdFieldsAndCbcsScheme() {
    String header = "70737368" + "00000000" + "edef8ba979d64acea3c827dcd51d21ed";
    String keyIds = "1210" + KID1_HEX + "1210" + KID2_HEX; // field 2, wire type 2, length 16
    assertEquals("00000044" + header + "00000024" + keyIds,
        HEX.formatHex(WidevinePssh.box(List.of(KID1, KID2), null, SampleEncryptionScheme.CENC).toByteArray()));
    // field 9 varint ('cbcs' = 0x63626373): tag 0x48, value f3 c6 89 9b 06
    assertEquals("0000004a" + header + "0000002a" + keyIds + "48f3c6899b06",
        HEX.formatHex(WidevinePssh.box(List.of(KID1, KID2), null, SampleEncryptionScheme.CBCS).toByteArray()));
  }

  @Test
  void widevineContentIdIsField4() {
    byte[] data = WidevinePssh.psshData(List.of(KID1), "news".getBytes(StandardCharsets.UTF_8), null);
    assertEquals("1210" + KID1_HEX + "2204" + "6e657773", HEX.formatHex(data));
  }

  @Test
  void playReadyCencHeaderMatchesShakaPackager() {
    String xml = "<WRMHEADER xmlns=\"http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader\" version=\"4.0.0.0\">"
        + "<DATA><PROTECTINFO><KEYLEN>16</KEYLEN><ALGID>AESCTR</ALGID></PROTECTINFO>"
        + "<KID>aXllazFkfn5+fn5+fn5+fg==</KID><CHECKSUM>uFY/OirQj/U=</CHECKSUM></DATA></WRMHEADER>";
    String expected = "00000226" + "70737368" + "00000000" + "9a04f079984042 86ab92e65be0885f95".replace(" ", "")
        + "00000206" // DataSize
        + "06020000" + "0100" + "0100" + "fc01" // PRO length 518 LE, 1 record, type 1, 508 bytes LE
        + HEX.formatHex(xml.getBytes(StandardCharsets.UTF_16LE));
    assertEquals(expected,
        HEX.formatHex(PlayReadyHeader.box(KID1, SampleEncryptionScheme.CENC, KEY1, null).toByteArray()));
  }

  @Test
  void playReadyCbcsHeaderIsVersion43() {
    String xml = "<WRMHEADER xmlns=\"http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader\" version=\"4.3.0.0\">"
        + "<DATA><PROTECTINFO><KIDS><KID ALGID=\"AESCBC\" VALUE=\"aXllazFkfn5+fn5+fn5+fg==\"></KID></KIDS>"
        + "</PROTECTINFO></DATA></WRMHEADER>";
    String expected = "000001de" + "70737368" + "00000000" + "9a04f079984042 86ab92e65be0885f95".replace(" ", "")
        + "000001be" + "be010000" + "0100" + "0100" + "b401" + HEX.formatHex(xml.getBytes(StandardCharsets.UTF_16LE));
    assertEquals(expected,
        HEX.formatHex(PlayReadyHeader.box(KID1, SampleEncryptionScheme.CBCS, null, null).toByteArray()));
  }

  @Test
  void playReadyLicenseUrlIsEscapedXml() {
    String xml = PlayReadyHeader.wrmHeader(KID1, SampleEncryptionScheme.CENC, null, "https://pr.example/a?b=1&c=2");
    assertEquals(true, xml.endsWith("</PROTECTINFO><KID>aXllazFkfn5+fn5+fn5+fg==</KID>"
        + "<LA_URL>https://pr.example/a?b=1&amp;c=2</LA_URL></DATA></WRMHEADER>"), xml);
  }

  @Test
  void guidByteOrderSwapsTheFirstThreeFields() {
    KeyId kid = KeyId.fromHex("00112233445566778899aabbccddeeff");
    assertEquals("33221100554477668899aabbccddeeff", HEX.formatHex(PlayReadyHeader.guidBytes(kid)));
  }

  @Test
  void parsesWhatItWritesAndPublishedBoxes() throws MediaException {
    for (PsshBox box : List.of(PsshBox.common(List.of(KID1, KID2)),
        WidevinePssh.box(List.of(KID1), null, SampleEncryptionScheme.CBCS),
        PlayReadyHeader.box(KID1, SampleEncryptionScheme.CENC, KEY1, "https://x"))) {
      PsshBox parsed = PsshBox.parse(box.toByteSlice());
      assertEquals(box, parsed);
      assertArrayEquals(box.toByteArray(), parsed.toByteArray());
    }
    // Published Widevine boxes (Axinom's CPIX sample and multi-DRM test vectors), decoded field by field:
    // size 0x34, 'pssh', v0, Widevine SystemID, DataSize 0x14, then WidevinePsshData
    // 08 01 (algorithm = AESCTR, a legacy field we do not write) and 12 10 <KID> (key_id).
    assertPublishedWidevine("AAAANHBzc2gAAAAA7e+LqXnWSs6jyCfc1R0h7QAAABQIARIQ+MgMJWkPRzaBMkMOXGmUzg==",
        "f8c80c25690f47368132430e5c6994ce");
    assertPublishedWidevine("AAAANHBzc2gAAAAA7e+LqXnWSs6jyCfc1R0h7QAAABQIARIQnrQFDeRLSAKTLifXUIPiZg==",
        "9eb4050de44b4802932e27d75083e266");
  }

  private static void assertPublishedWidevine(String base64, String kidHex) throws MediaException {
    byte[] bytes = Base64.getDecoder().decode(base64);
    PsshBox parsed = PsshBox.parse(ByteSlice.wrap(bytes));
    assertEquals(DrmSystem.WIDEVINE, DrmSystem.bySystemId(parsed.systemId()));
    assertEquals(0, parsed.version());
    assertEquals(List.of(), parsed.keyIds());
    assertEquals("0801" + "1210" + kidHex, HEX.formatHex(parsed.data()));
    assertArrayEquals(bytes, parsed.toByteArray());
    // Ours is the same box without the legacy algorithm field.
    assertEquals("1210" + kidHex, HEX.formatHex(WidevinePssh.psshData(List.of(KeyId.fromHex(kidHex)), null,
        SampleEncryptionScheme.CENC)));
  }

  @Test
  void damagedBoxesOnlyThrowMediaException() {
    byte[] good = PsshBox.common(List.of(KID1, KID2)).toByteArray();
    for (int length = 0; length < good.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(good, length);
      assertThrows(MediaException.class, () -> PsshBox.parse(ByteSlice.wrap(cut)), "length " + length);
    }
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] damaged = good.clone();
      for (int j = 0; j < 3; j++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      try {
        PsshBox.parse(ByteSlice.wrap(damaged));
      } catch (MediaException expected) {
        // fine
      } catch (RuntimeException e) {
        fail("unchecked exception on " + HEX.formatHex(damaged), e);
      }
    }
  }

  @Test
  void drmSystemsParseByName() {
    assertEquals(DrmSystem.PLAYREADY, DrmSystem.parse(" PlayReady "));
    assertEquals("urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed", DrmSystem.WIDEVINE.schemeIdUri());
    assertThrows(IllegalArgumentException.class, () -> DrmSystem.parse("primetime"));
  }
}
