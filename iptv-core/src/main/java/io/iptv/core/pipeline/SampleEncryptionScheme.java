package io.iptv.core.pipeline;

/**
 * A sample-level encryption scheme: only parts of each sample are encrypted, so containers and codec headers
 * stay readable. Whole-segment AES-128 is not one of these (see {@link SegmentTransform}).
 *
 * <ul>
 *   <li>{@link #SAMPLE_AES}: Apple's HLS sample encryption of MPEG-TS elementary streams (HLS Sample
 *       Encryption spec): AES-128-CBC, H.264 slice NAL units with a 32-byte clear leader and a 1:9 pattern,
 *       AAC/AC-3 frames with a 16-byte clear leader; HLS {@code METHOD=SAMPLE-AES}.</li>
 *   <li>{@link #CENC}: ISO/IEC 23001-7 §10.1 {@code cenc}, AES-CTR with per-sample IVs; HLS
 *       {@code METHOD=SAMPLE-AES-CTR}, DASH {@code mp4protection}.</li>
 *   <li>{@link #CBCS}: ISO/IEC 23001-7 §10.4 {@code cbcs}, AES-CBC 1:9 pattern with a constant IV; HLS
 *       {@code METHOD=SAMPLE-AES}, DASH {@code mp4protection}.</li>
 * </ul>
 *
 * <pre>{@code
 * if (scheme.fourcc().equals("cbcs")) { ... }
 * }</pre>
 */
public enum SampleEncryptionScheme {
  /** Apple SAMPLE-AES in MPEG-TS. */
  SAMPLE_AES("SAMPLE-AES", null),
  /** ISO CENC AES-CTR, full-sample/subsample. */
  CENC("SAMPLE-AES-CTR", "cenc"),
  /** ISO CENC AES-CBC pattern 1:9, constant IV. */
  CBCS("SAMPLE-AES", "cbcs");

  private final String hlsMethod;
  private final String fourcc;

  SampleEncryptionScheme(String hlsMethod, String fourcc) {
    this.hlsMethod = hlsMethod;
    this.fourcc = fourcc;
  }

  /** The HLS {@code EXT-X-KEY} METHOD (RFC 8216 §4.3.2.4). */
  public String hlsMethod() {
    return hlsMethod;
  }

  /** The ISO {@code schm} scheme_type, or {@code null} for {@link #SAMPLE_AES} (not an ISO scheme). */
  public String fourcc() {
    return fourcc;
  }
}
