package io.iptv.examples.demo;

/**
 * How a demo channel is protected. Each channel of the demo is listed once per variant; new schemes (AES-128
 * whole-segment encryption, SAMPLE-AES, cbcs with ClearKey) are added here as iptv-drm provides them, and
 * {@link DemoServer} packages each variant from the same clip.
 */
public enum DemoVariant {
  /** No encryption, MPEG-TS segments. */
  CLEAR("clear", "no encryption"),
  /**
   * No encryption, CMAF (fMP4) segments listed by both an HLS playlist ({@code EXT-X-MAP}) and a DASH MPD
   * ({@code manifest.mpd}, dynamic for the live channel).
   */
  CMAF("cmaf", "CMAF segments, HLS and DASH from the same files"),
  /**
   * HLS whole-segment AES-128 (RFC 8216 §4.3.2.4) with key rotation; keys are served only to a token that
   * covers the channel.
   */
  AES_128("aes128", "AES-128, rotating keys behind the token"),
  /**
   * ISO Common Encryption {@code cbcs} (CMAF segments, keys rotated like {@link #AES_128}'s; each fragment
   * carries its own {@code pssh}, see {@code CencSampleEncryption}) with W3C ClearKey: keys only through the
   * licence endpoint {@code /license/clearkey}, which releases each key to a token that covers the channel. The
   * HLS playlist signals {@code KEYFORMAT="org.w3.clearkey"} (hls.js); Shaka Player plays the DASH MPD of the
   * same segments (it takes only identity key lines in HLS, which would give the key away without a licence).
   */
  CBCS_CLEARKEY("cbcs", "cbcs, ClearKey licence behind the token (HLS for hls.js, DASH for Shaka)");

  private final String id;
  private final String description;

  DemoVariant(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Whether the channel also has a DASH manifest ({@code /{channel}/manifest.mpd}). */
  public boolean dash() {
    return this == CMAF || this == CBCS_CLEARKEY;
  }

  /** Whether players need the ClearKey licence endpoint ({@code /license/clearkey}) for the channel's keys. */
  public boolean clearKeyLicense() {
    return this == CBCS_CLEARKEY;
  }

  /** The short name used in channel names and JSON ({@code "clear"}). */
  public String id() {
    return id;
  }

  /** A human-readable description. */
  public String description() {
    return description;
  }
}
