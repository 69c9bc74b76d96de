package io.iptv.drm;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the 16-byte AES-CBC initialisation vector of a segment comes from: the segment's media sequence number
 * (RFC 8216 §5.2: the sequence number as a 128-bit big-endian integer; the playlist then carries no {@code IV}
 * attribute) or an explicit constant written as {@code IV=0x…}. Immutable.
 *
 * <pre>{@code
 * IvPolicy bySequence = IvPolicy.mediaSequence();
 * IvPolicy constant = IvPolicy.explicit(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));
 * }</pre>
 */
public final class IvPolicy {
  private static final IvPolicy MEDIA_SEQUENCE = new IvPolicy(null);
  private final byte[] iv;

  private IvPolicy(byte[] iv) {
    this.iv = iv;
  }

  /** The IV is the media sequence number (RFC 8216 §5.2). */
  public static IvPolicy mediaSequence() {
    return MEDIA_SEQUENCE;
  }

  /** A constant 16-byte IV (copied), signalled in the playlist. */
  public static IvPolicy explicit(byte[] iv) {
    Objects.requireNonNull(iv, "iv");
    if (iv.length != 16) {
      throw new IllegalArgumentException("an AES IV has 16 bytes, not " + iv.length);
    }
    return new IvPolicy(iv.clone());
  }

  /** Whether the IV is derived from the media sequence number. */
  public boolean isMediaSequence() {
    return iv == null;
  }

  /** The IV for the segment with media sequence number {@code sequence}: 16 new bytes. */
  public byte[] ivFor(long sequence) {
    if (iv != null) {
      return iv.clone();
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[15 - i] = (byte) (sequence >>> (8 * i)); // 128-bit big-endian; the upper 8 bytes stay 0
    }
    return out;
  }

  /** The playlist's {@code IV} attribute ({@code 0x} + 32 hex digits), or {@code null} for media-sequence IVs. */
  public String attribute() {
    return iv == null ? null : "0x" + HexFormat.of().formatHex(iv);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IvPolicy p && java.util.Arrays.equals(iv, p.iv);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(iv);
  }

  /** The IV is public (it is in the playlist), so it is shown. */
  @Override
  public String toString() {
    return iv == null ? "IvPolicy[mediaSequence]" : "IvPolicy[" + attribute() + "]";
  }
}
