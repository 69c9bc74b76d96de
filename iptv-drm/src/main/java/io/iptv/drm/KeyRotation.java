package io.iptv.drm;

/**
 * Which segments are encrypted and with which crypto period: the first {@code clearLeadSegments} media
 * sequence numbers stay clear (faster start, as Shaka Packager's {@code --clear_lead}), and the crypto period
 * of sequence {@code s} is {@code s / rotateEverySegments} (0 = never rotate: period 0). Both depend only on the
 * media sequence number, so every packager and origin node agrees without coordination. Immutable.
 *
 * <pre>{@code
 * KeyRotation r = KeyRotation.everySegments(2).withClearLead(1);
 * r.cryptoPeriod(0); // -1: clear
 * r.cryptoPeriod(5); // 2
 * }</pre>
 *
 * @param rotateEverySegments segments per crypto period, or 0 for one key for ever
 * @param clearLeadSegments how many leading media sequence numbers stay clear
 */
public record KeyRotation(int rotateEverySegments, int clearLeadSegments) {
  /** Validates. */
  public KeyRotation {
    if (rotateEverySegments < 0) {
      throw new IllegalArgumentException("rotateEverySegments " + rotateEverySegments + " < 0");
    }
    if (clearLeadSegments < 0) {
      throw new IllegalArgumentException("clearLeadSegments " + clearLeadSegments + " < 0");
    }
  }

  /** One key, no clear lead. */
  public static KeyRotation none() {
    return new KeyRotation(0, 0);
  }

  /** A new crypto period every {@code segments} segments. */
  public static KeyRotation everySegments(int segments) {
    if (segments < 1) {
      throw new IllegalArgumentException("rotation every " + segments + " segments");
    }
    return new KeyRotation(segments, 0);
  }

  /** A copy with {@code segments} clear lead segments. */
  public KeyRotation withClearLead(int segments) {
    return new KeyRotation(rotateEverySegments, segments);
  }

  /** The crypto period of media sequence number {@code sequence}, or -1 if that segment stays clear. */
  public long cryptoPeriod(long sequence) {
    if (sequence < clearLeadSegments) {
      return -1;
    }
    return rotateEverySegments == 0 ? 0 : sequence / rotateEverySegments;
  }
}
