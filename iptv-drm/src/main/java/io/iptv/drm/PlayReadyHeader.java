package io.iptv.drm;

import io.iptv.core.pipeline.SampleEncryptionScheme;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * Builds a PlayReady Object (PRO) and its {@code pssh} box (Microsoft "PlayReady Header Specification"):
 *
 * <pre>
 * PlayReady Object:  Length (32, little-endian, the whole object) | Record Count (16 LE)
 *                    | records: Record Type (16 LE; 1 = Rights Management Header) | Record Length (16 LE) | Value
 * Value:             the WRMHEADER XML in UTF-16LE, without byte order mark
 * </pre>
 *
 * For {@code cenc} the header is version 4.0.0.0 ({@code <KID>} + {@code <ALGID>AESCTR</ALGID>}, with the
 * optional {@code <CHECKSUM>} when the key is given); for {@code cbcs} it is version 4.3.0.0
 * ({@code <KID ALGID="AESCBC" VALUE="…"/>}, the first version that knows AES-CBC). A KID is written as the
 * base64 of its GUID byte order: the first three fields (4, 2, 2 bytes) little-endian, as PlayReady reads a
 * GUID. The optional {@code <LA_URL>} names the licence server.
 *
 * <p>Stateless; thread-safe. The content key, if given, is used only for the checksum and never stored.
 *
 * <pre>{@code
 * byte[] pro = PlayReadyHeader.playReadyObject(kid, SampleEncryptionScheme.CENC, null, "https://pr.example/rightsmanager.asmx");
 * PsshBox box = PlayReadyHeader.box(kid, SampleEncryptionScheme.CENC, null, null);
 * }</pre>
 */
public final class PlayReadyHeader {
  private static final String XMLNS = "http://schemas.microsoft.com/DRM/2007/03/PlayReadyHeader";
  private static final int RECORD_RIGHTS_MANAGEMENT_HEADER = 1;

  private PlayReadyHeader() {}

  /**
   * The version 0 PlayReady {@code pssh} box whose Data is the PlayReady Object.
   *
   * @param kid the key id
   * @param scheme {@code CENC} (header 4.0.0.0, AESCTR) or {@code CBCS} (4.3.0.0, AESCBC)
   * @param key the content key, for the 4.0 {@code CHECKSUM}; {@code null} leaves it out
   * @param licenseUrl the licence acquisition URL, or {@code null}
   */
  public static PsshBox box(KeyId kid, SampleEncryptionScheme scheme, ContentKey key, String licenseUrl) {
    return PsshBox.v0(DrmSystem.PLAYREADY.systemId(), playReadyObject(kid, scheme, key, licenseUrl));
  }

  /** The PlayReady Object (see the class comment); the parameters are those of {@link #box}. */
  public static byte[] playReadyObject(KeyId kid, SampleEncryptionScheme scheme, ContentKey key,
      String licenseUrl) {
    byte[] header = wrmHeader(kid, scheme, key, licenseUrl).getBytes(StandardCharsets.UTF_16LE);
    if (header.length > 0xFFFF - 10) {
      throw new IllegalArgumentException("WRMHEADER too long: " + header.length + " bytes");
    }
    int length = 4 + 2 + 2 + 2 + header.length;
    return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(length) // Length (32)
        .putShort((short) 1) // Record Count (16)
        .putShort((short) RECORD_RIGHTS_MANAGEMENT_HEADER) // Record Type (16)
        .putShort((short) header.length) // Record Length (16)
        .put(header)
        .array();
  }

  /** The WRMHEADER XML (see the class comment). */
  public static String wrmHeader(KeyId kid, SampleEncryptionScheme scheme, ContentKey key, String licenseUrl) {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(scheme, "scheme");
    if (key != null && !key.keyId().equals(kid)) {
      throw new IllegalArgumentException("the key " + key.keyId() + " is not the key of " + kid);
    }
    String kidBase64 = Base64.getEncoder().encodeToString(guidBytes(kid));
    StringBuilder xml = new StringBuilder(512);
    switch (scheme) {
      case CENC:
        xml.append("<WRMHEADER xmlns=\"").append(XMLNS).append("\" version=\"4.0.0.0\"><DATA><PROTECTINFO>")
            .append("<KEYLEN>16</KEYLEN><ALGID>AESCTR</ALGID></PROTECTINFO><KID>").append(kidBase64).append("</KID>");
        if (key != null) {
          xml.append("<CHECKSUM>").append(Base64.getEncoder().encodeToString(checksum(kid, key))).append("</CHECKSUM>");
        }
        break;
      case CBCS:
        xml.append("<WRMHEADER xmlns=\"").append(XMLNS).append("\" version=\"4.3.0.0\"><DATA><PROTECTINFO><KIDS>")
            .append("<KID ALGID=\"AESCBC\" VALUE=\"").append(kidBase64).append("\"></KID></KIDS></PROTECTINFO>");
        break;
      default:
        throw new IllegalArgumentException("PlayReady signals cenc or cbcs, not " + scheme);
    }
    if (licenseUrl != null) {
      xml.append("<LA_URL>").append(escapeXml(licenseUrl)).append("</LA_URL>");
    }
    return xml.append("</DATA></WRMHEADER>").toString();
  }

  /** The KID in GUID byte order: Data1 (4), Data2 (2), Data3 (2) byte-swapped, Data4 (8) as is. */
  static byte[] guidBytes(KeyId kid) {
    byte[] b = kid.toByteArray();
    return new byte[] {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
        b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
  }

  /** PlayReady 4.0 checksum for AESCTR: the first 8 bytes of AES-ECB(key, KID in GUID byte order). */
  static byte[] checksum(KeyId kid, ContentKey key) {
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, key.secretKey());
      return Arrays.copyOf(aes.doFinal(guidBytes(kid)), 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB is not available", e); // every Java SE platform has it
    }
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
