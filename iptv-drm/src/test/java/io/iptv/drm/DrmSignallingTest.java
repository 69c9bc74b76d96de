package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentProtection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrmSignallingTest {
  private static final KeyId KID = KeyId.fromHex("00112233445566778899aabbccddeeff");
  private static final String KEY_URI = "keys/00112233445566778899aabbccddeeff.key";
  private static final DrmSignalling ALL = DrmSignalling.builder()
      .systems(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY, DrmSystem.FAIRPLAY))
      .playReadyLicenseUrl("https://pr.example/rightsmanager.asmx")
      .build();

  private static byte[] dataUri(String uri, String prefix) {
    assertTrue(uri.startsWith(prefix), uri);
    return Base64.getDecoder().decode(uri.substring(prefix.length()));
  }

  @Test
  void cencLinesForEverySystem() throws MediaException {
    List<SegmentProtection> lines = ALL.protections(SampleEncryptionScheme.CBCS, KID, KEY_URI,
        HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100"));
    assertEquals(List.of("identity", "org.w3.clearkey", "urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed",
        "com.microsoft.playready", "com.apple.streamingkeydelivery"),
        lines.stream().map(SegmentProtection::keyFormat).toList());
    for (SegmentProtection line : lines) {
      assertEquals("SAMPLE-AES", line.method());
      assertEquals("1", line.keyFormatVersions());
      assertEquals("0x0f0e0d0c0b0a09080706050403020100", line.ivHex());
    }
    assertEquals(KEY_URI, lines.get(0).uri());
    assertTrue(lines.get(0).channelRelative());
    // hls.js reads the KID from the first 16 bytes of the org.w3.clearkey data URI.
    assertEquals(KID.toHex(), HexFormat.of().formatHex(dataUri(lines.get(1).uri(), "data:text/plain;base64,")));
    PsshBox widevine = PsshBox.parse(ByteSlice.wrap(dataUri(lines.get(2).uri(), "data:text/plain;base64,")));
    assertEquals(DrmSystem.WIDEVINE.systemId(), widevine.systemId());
    assertEquals("1210" + KID.toHex() + "48f3c6899b06", HexFormat.of().formatHex(widevine.data()));
    byte[] pro = dataUri(lines.get(3).uri(), "data:text/plain;charset=UTF-16;base64,");
    ByteBuffer le = ByteBuffer.wrap(pro).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(pro.length, le.getInt());
    assertEquals(1, le.getShort());
    assertEquals(1, le.getShort());
    assertEquals(pro.length - 10, le.getShort());
    String xml = new String(pro, 10, pro.length - 10, StandardCharsets.UTF_16LE);
    // 33221100-5544-7766-8899-aabbccddeeff in bytes, base64
    assertTrue(xml.contains("<KID ALGID=\"AESCBC\" VALUE=\"MyIRAFVEd2aImaq7zN3u/w==\">"), xml);
    assertTrue(xml.contains("<LA_URL>https://pr.example/rightsmanager.asmx</LA_URL>"), xml);
    assertEquals("skd://00112233445566778899aabbccddeeff", lines.get(4).uri());
  }

  @Test
  void psshBoxesInSystemOrderWithoutFairPlay() throws MediaException {
    List<ByteSlice> boxes = ALL.psshBoxes(SampleEncryptionScheme.CBCS, KID);
    assertEquals(3, boxes.size());
    assertEquals(PsshBox.common(List.of(KID)), PsshBox.parse(boxes.get(0)));
    assertEquals(DrmSystem.WIDEVINE, DrmSystem.bySystemId(PsshBox.parse(boxes.get(1)).systemId()));
    assertEquals(DrmSystem.PLAYREADY, DrmSystem.bySystemId(PsshBox.parse(boxes.get(2)).systemId()));
  }

  @Test
  void sampleAesInTsIsIdentityAndFairPlayOnly() {
    DrmSignalling ts = DrmSignalling.builder().systems(List.of(DrmSystem.CLEARKEY, DrmSystem.FAIRPLAY)).build();
    List<SegmentProtection> lines = ts.protections(SampleEncryptionScheme.SAMPLE_AES, KID, KEY_URI, null);
    assertEquals(2, lines.size());
    assertNull(lines.get(0).ivHex());
    assertEquals(List.of(), ts.psshBoxes(SampleEncryptionScheme.SAMPLE_AES, KID));
    assertThrows(IllegalArgumentException.class,
        () -> ALL.protections(SampleEncryptionScheme.SAMPLE_AES, KID, KEY_URI, null));
    assertThrows(IllegalArgumentException.class, () -> ALL.psshBoxes(SampleEncryptionScheme.CENC, KID));
    assertEquals("SAMPLE-AES-CTR", DrmSignalling.builder().systems(List.of(DrmSystem.WIDEVINE)).build()
        .protections(SampleEncryptionScheme.CENC, KID, null, null).get(0).method());
  }

  @Test
  void builderIsStrict() {
    assertThrows(IllegalArgumentException.class,
        () -> DrmSignalling.builder().systems(List.of(DrmSystem.WIDEVINE, DrmSystem.WIDEVINE)));
    assertThrows(IllegalStateException.class, () -> DrmSignalling.builder().build());
    assertThrows(IllegalStateException.class,
        () -> DrmSignalling.builder().systems(List.of(DrmSystem.WIDEVINE)).systems(List.of(DrmSystem.CLEARKEY)));
  }
}
