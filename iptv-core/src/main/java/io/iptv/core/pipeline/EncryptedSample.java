package io.iptv.core.pipeline;

import io.iptv.core.io.ByteSlice;
import java.util.Objects;

/**
 * One encrypted sample and its CENC sample auxiliary information (ISO/IEC 23001-7 §7.2: the per-sample IV and
 * the subsample map written to {@code senc}). Immutable by convention: the arrays are not copied, callers must
 * not modify them.
 *
 * <pre>{@code
 * EncryptedSample s = encryptor.encrypt(format, sample, 4);
 * for (int i = 0; i < s.subsampleCount(); i++) { int clear = s.clearBytes(i); int prot = s.protectedBytes(i); }
 * }</pre>
 *
 * @param bytes the encrypted sample
 * @param iv the per-sample IV (8 or 16 bytes), or {@code null} with a constant IV
 * @param subsamples pairs of (BytesOfClearData, BytesOfProtectedData), in sample order; empty when the whole
 *     sample is protected (full-sample encryption, e.g. audio) or for SAMPLE-AES in TS
 */
public record EncryptedSample(ByteSlice bytes, byte[] iv, int[] subsamples) {
  private static final int[] NONE = new int[0];

  /** Validates. */
  public EncryptedSample {
    Objects.requireNonNull(bytes, "bytes");
    subsamples = subsamples == null ? NONE : subsamples;
    if (subsamples.length % 2 != 0) {
      throw new IllegalArgumentException("subsamples must be (clear, protected) pairs");
    }
  }

  /** The number of subsamples (0: the whole sample is protected). */
  public int subsampleCount() {
    return subsamples.length / 2;
  }

  /** BytesOfClearData of subsample {@code i}. */
  public int clearBytes(int i) {
    return subsamples[2 * i];
  }

  /** BytesOfProtectedData of subsample {@code i}. */
  public int protectedBytes(int i) {
    return subsamples[2 * i + 1];
  }
}
