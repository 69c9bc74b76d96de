package io.iptv.drm;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The DRM systems whose signalling the library writes: their DASH-IF SystemID (the {@code pssh} SystemID,
 * ISO/IEC 23001-7 §8.1.2) and their HLS {@code KEYFORMAT} (RFC 8216 §4.3.2.4; Apple "Using content protection
 * systems with HLS"). How each line and box is built is {@link DrmSignalling}'s job.
 *
 * <table>
 *   <caption>Signalling per system</caption>
 *   <tr><th>system</th><th>SystemID</th><th>HLS KEYFORMAT</th><th>HLS URI</th></tr>
 *   <tr><td>{@link #CLEARKEY}</td><td>1077efec-… (W3C common)</td><td>{@code identity} (and
 *       {@code org.w3.clearkey} for CENC)</td><td>the key URI (or {@code data:} KID)</td></tr>
 *   <tr><td>{@link #WIDEVINE}</td><td>edef8ba9-…</td><td>{@code urn:uuid:edef8ba9-…}</td>
 *       <td>{@code data:text/plain;base64,<pssh>}</td></tr>
 *   <tr><td>{@link #PLAYREADY}</td><td>9a04f079-…</td><td>{@code com.microsoft.playready}</td>
 *       <td>{@code data:text/plain;charset=UTF-16;base64,<PlayReady Object>}</td></tr>
 *   <tr><td>{@link #FAIRPLAY}</td><td>94ce86fb-…</td><td>{@code com.apple.streamingkeydelivery}</td>
 *       <td>{@code skd://<KID hex>}</td></tr>
 * </table>
 *
 * <pre>{@code
 * DrmSystem system = DrmSystem.parse("widevine");
 * system.hlsKeyFormat(); // "urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"
 * }</pre>
 */
public enum DrmSystem {
  /** W3C ClearKey; its pssh is the common-system v1 box ("W3C Common PSSH box format"). */
  CLEARKEY("1077efec-c0b2-4d02-ace3-3c1e52e2fb4b", "identity"),
  /** Google Widevine. */
  WIDEVINE("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed", "urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"),
  /** Microsoft PlayReady. */
  PLAYREADY("9a04f079-9840-4286-ab92-e65be0885f95", "com.microsoft.playready"),
  /** Apple FairPlay Streaming (no pssh in HLS; the key URI names the asset). */
  FAIRPLAY("94ce86fb-07ff-4f43-adb8-93d2fa968ca2", "com.apple.streamingkeydelivery");

  private final UUID systemId;
  private final String hlsKeyFormat;

  DrmSystem(String systemId, String hlsKeyFormat) {
    this.systemId = UUID.fromString(systemId);
    this.hlsKeyFormat = hlsKeyFormat;
  }

  /** The SystemID of this system's {@code pssh} boxes and DASH {@code ContentProtection@schemeIdUri}. */
  public UUID systemId() {
    return systemId;
  }

  /** {@code urn:uuid:<SystemID>}, the DASH {@code ContentProtection@schemeIdUri}. */
  public String schemeIdUri() {
    return "urn:uuid:" + systemId;
  }

  /** The HLS {@code KEYFORMAT} value. */
  public String hlsKeyFormat() {
    return hlsKeyFormat;
  }

  /** The system of a SystemID, or {@code null} if the library does not know it. */
  public static DrmSystem bySystemId(UUID systemId) {
    for (DrmSystem s : values()) {
      if (s.systemId.equals(systemId)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Parses a name as given on a command line ({@code clearkey}, {@code widevine}, {@code playready},
   * {@code fairplay}; any case).
   *
   * @throws IllegalArgumentException for any other name (the message lists the known ones)
   */
  public static DrmSystem parse(String name) {
    Objects.requireNonNull(name, "name");
    String wanted = name.strip().toUpperCase(Locale.ROOT);
    for (DrmSystem s : values()) {
      if (s.name().equals(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown DRM system '" + name + "' (known: clearkey, widevine, playready, "
        + "fairplay)");
  }
}
