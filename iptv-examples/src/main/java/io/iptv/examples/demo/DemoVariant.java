package io.iptv.examples.demo;

/**
 * How a demo channel is protected. Each channel of the demo is listed once per variant; new schemes (AES-128
 * whole-segment encryption, SAMPLE-AES, cbcs with ClearKey) are added here as iptv-drm provides them, and
 * {@link DemoServer} packages each variant from the same clip.
 */
public enum DemoVariant {
  /** No encryption. */
  CLEAR("clear", "no encryption"),
  /**
   * HLS whole-segment AES-128 (RFC 8216 §4.3.2.4) with key rotation; keys are served only to a token that
   * covers the channel.
   */
  AES_128("aes128", "AES-128, rotating keys behind the token");

  private final String id;
  private final String description;

  DemoVariant(String id, String description) {
    this.id = id;
    this.description = description;
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
