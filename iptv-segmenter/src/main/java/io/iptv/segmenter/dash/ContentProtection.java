package io.iptv.segmenter.dash;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.util.List;
import java.util.Objects;

/**
 * How a Representation's CMAF track is protected, as a DASH MPD signals it (ISO/IEC 23009-1 §5.8.4.1, ISO/IEC
 * 23001-7 §11): the {@code urn:mpeg:dash:mp4protection:2011} descriptor with the scheme and
 * {@code cenc:default_KID}, and one {@code urn:uuid:<SystemID>} descriptor with {@code <cenc:pssh>} per
 * {@code pssh} box. Key bytes never appear here. Immutable.
 *
 * <pre>{@code
 * new ContentProtection("cenc", "00112233-4455-6677-8899-aabbccddeeff", List.of());
 * }</pre>
 *
 * @param scheme the scheme_type, {@code cenc} or {@code cbcs}
 * @param defaultKid the default KID as a UUID string (8-4-4-4-12 hex digits)
 * @param psshBoxes complete {@code pssh} boxes (their SystemID names the DRM system)
 * @param psshInManifest whether the boxes are written as {@code <cenc:pssh>}; false with key rotation, where
 *     each system's descriptor is written empty and the player takes the {@code pssh} of each fragment's
 *     {@code moof} (DASH-IF IOP: a {@code cenc:pssh} in the MPD makes Shaka Player ignore in-band ones)
 */
public record ContentProtection(String scheme, String defaultKid, List<ByteSlice> psshBoxes,
    boolean psshInManifest) {
  /** Validates and copies. */
  public ContentProtection {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(defaultKid, "defaultKid");
    Preconditions.requireArgument(scheme.matches("[a-z0-9]{4}"), "scheme %s is not a fourcc", scheme);
    Preconditions.requireArgument(defaultKid.matches(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"), "KID %s is not a UUID",
        defaultKid);
    psshBoxes = List.copyOf(psshBoxes);
  }

  /** A descriptor set with the boxes in {@code <cenc:pssh>}. */
  public ContentProtection(String scheme, String defaultKid, List<ByteSlice> psshBoxes) {
    this(scheme, defaultKid, psshBoxes, true);
  }

  /** The KID from 32 hex digits, formatted as a UUID. */
  public static String uuid(String hex32) {
    Preconditions.requireArgument(hex32.matches("[0-9a-fA-F]{32}"), "%s is not 32 hex digits", hex32);
    return hex32.substring(0, 8) + "-" + hex32.substring(8, 12) + "-" + hex32.substring(12, 16) + "-"
        + hex32.substring(16, 20) + "-" + hex32.substring(20);
  }

  /**
   * The SystemID of a {@code pssh} box (ISO/IEC 23001-7 §8.1.1: size, type, version/flags, then 16 bytes) as a
   * lower-case UUID, or null when the box is too short or not a {@code pssh}.
   */
  public static String systemId(ByteSlice pssh) {
    if (pssh.length() < 28 || pssh.byteAt(4) != 'p' || pssh.byteAt(5) != 's' || pssh.byteAt(6) != 's'
        || pssh.byteAt(7) != 'h') {
      return null;
    }
    StringBuilder hex = new StringBuilder(32);
    for (int i = 12; i < 28; i++) {
      hex.append(String.format("%02x", pssh.byteAt(i)));
    }
    return uuid(hex.toString());
  }
}
