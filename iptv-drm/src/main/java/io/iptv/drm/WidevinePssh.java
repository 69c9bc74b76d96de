package io.iptv.drm;

import io.iptv.core.pipeline.SampleEncryptionScheme;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Widevine {@code pssh} box: version 0, Data = a serialised {@code WidevinePsshData} protobuf with
 * {@code repeated bytes key_id = 2}, {@code optional bytes content_id = 4} and
 * {@code optional uint32 protection_scheme = 9} (the scheme's four-character code as a big-endian uint32; left
 * out for {@code cenc}, the default, as Shaka Packager does). Protobuf encoding: each field is a tag varint
 * {@code (field_number << 3) | wire_type} followed by a length varint and the bytes (wire type 2) or by a
 * varint value (wire type 0).
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * PsshBox box = WidevinePssh.box(List.of(kid), "news".getBytes(UTF_8), SampleEncryptionScheme.CBCS);
 * }</pre>
 */
public final class WidevinePssh {
  private static final int KEY_ID_FIELD = 2;
  private static final int CONTENT_ID_FIELD = 4;
  private static final int PROTECTION_SCHEME_FIELD = 9;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_LENGTH_DELIMITED = 2;

  private WidevinePssh() {}

  /**
   * The version 0 Widevine {@code pssh} box.
   *
   * @param keyIds the KIDs (at least one)
   * @param contentId the content id, or {@code null} for none
   * @param scheme the protection scheme ({@code cenc}: field left out), or {@code null} for none
   */
  public static PsshBox box(List<KeyId> keyIds, byte[] contentId, SampleEncryptionScheme scheme) {
    return PsshBox.v0(DrmSystem.WIDEVINE.systemId(), psshData(keyIds, contentId, scheme));
  }

  /** The serialised {@code WidevinePsshData} (see the class comment). */
  public static byte[] psshData(List<KeyId> keyIds, byte[] contentId, SampleEncryptionScheme scheme) {
    Objects.requireNonNull(keyIds, "keyIds");
    if (keyIds.isEmpty()) {
      throw new IllegalArgumentException("a Widevine pssh names at least one KID");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (KeyId kid : keyIds) {
      bytesField(out, KEY_ID_FIELD, kid.toByteArray());
    }
    if (contentId != null) {
      bytesField(out, CONTENT_ID_FIELD, contentId);
    }
    if (scheme != null && scheme.fourcc() != null && !scheme.fourcc().equals("cenc")) {
      varint(out, (PROTECTION_SCHEME_FIELD << 3) | WIRE_VARINT);
      varint(out, fourcc(scheme.fourcc()));
    }
    return out.toByteArray();
  }

  /** A four-character code as a big-endian uint32 ({@code cbcs} → 0x63626373). */
  static long fourcc(String code) {
    byte[] b = code.getBytes(StandardCharsets.US_ASCII);
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] value) {
    varint(out, (field << 3) | WIRE_LENGTH_DELIMITED);
    varint(out, value.length);
    out.writeBytes(value);
  }

  /** Protobuf base-128 varint, least significant group first. */
  private static void varint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
