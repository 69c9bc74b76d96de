package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link SegmentSampleEncryptor} of {@link CencSampleEncryption}: encrypts the samples of one segment of
 * one rendition under one key with {@code cenc} or {@code cbcs} (ISO/IEC 23001-7).
 *
 * <p>IVs are deterministic, so packaging the same input twice gives the same bytes:
 * <ul>
 *   <li>{@code cenc}: 8-byte per-sample IVs (§9.1, counter block = IV || 64-bit block counter from 0).
 *       The first is the first 8 bytes of {@code AES-ECB(key, "cenc" || hash32(rendition) || uint64(sequence))},
 *       sample {@code i} of the segment uses it plus {@code i} (mod 2^64): unique per key, rendition, segment and
 *       sample unless 2^64 IVs collide.</li>
 *   <li>{@code cbcs}: one constant 16-byte IV per key (§10.4.1), {@code AES-ECB(key, "cbcs-constant-iv")}.</li>
 * </ul>
 *
 * <p>Video (H.264/HEVC, length-prefixed) is subsample-encrypted ({@link NalSubsamples}); everything else is
 * full-sample: {@code cenc} AES-CTR over the whole sample, {@code cbcs} AES-CBC over every whole block (no
 * pattern), the trailing partial block clear.
 *
 * <p>Not thread-safe: one packager thread, one segment.
 */
final class CencSegmentEncryptor implements SegmentSampleEncryptor {
  private final SampleEncryptionScheme scheme;
  private final ContentKey key;
  private final SecretKeySpec secretKey;
  private final List<SegmentProtection> protections;
  private final List<ByteSlice> psshBoxes;
  private final boolean psshInInitSegment;
  private final byte[] constantIv;
  private final long firstIv;
  private final NalSubsamples subsamples = new NalSubsamples();
  /** Slice header measurement, fed with the track's parameter sets on the first H.264/HEVC sample. */
  private SliceHeaders sliceHeaders;
  /** The current clear sample (grows to the largest). */
  private byte[] scratch = new byte[1 << 16];
  private long sampleIndex;

  CencSegmentEncryptor(SampleEncryptionScheme scheme, ContentKey key, String rendition, long sequence,
      List<SegmentProtection> protections, List<ByteSlice> psshBoxes, boolean psshInInitSegment)
      throws MediaException {
    this.scheme = scheme;
    this.key = key;
    this.secretKey = key.secretKey();
    this.protections = List.copyOf(protections);
    this.psshBoxes = List.copyOf(psshBoxes);
    this.psshInInitSegment = psshInInitSegment;
    if (scheme == SampleEncryptionScheme.CBCS) {
      this.constantIv = ecb(key, "cbcs-constant-iv".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      this.firstIv = 0;
    } else {
      this.constantIv = null;
      byte[] block = ByteBuffer.allocate(16).put("cenc".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .putInt(rendition.hashCode()).putLong(sequence).array();
      this.firstIv = ByteBuffer.wrap(ecb(key, block)).getLong();
    }
  }

  /** AES-ECB of one block under {@code key} (IV derivation). */
  static byte[] ecb(ContentKey key, byte[] block) throws MediaException {
    try {
      return CencCiphers.get().ecb(key.secretKey(), block);
    } catch (GeneralSecurityException e) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, "AES failed for key " + key.keyId()
          + ": " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public SampleEncryptionScheme scheme() {
    return scheme;
  }

  @Override
  public byte[] keyId() {
    return key.keyId().toByteArray();
  }

  /** The content key (for tests in this package). */
  ContentKey contentKey() {
    return key;
  }

  @Override
  public byte[] constantIv() {
    return constantIv == null ? null : constantIv.clone();
  }

  @Override
  public int perSampleIvSize() {
    return scheme == SampleEncryptionScheme.CENC ? 8 : 0;
  }

  @Override
  public List<SegmentProtection> protections() {
    return protections;
  }

  @Override
  public List<ByteSlice> psshBoxes() {
    return psshBoxes;
  }

  @Override
  public boolean psshInInitSegment() {
    return psshInInitSegment;
  }

  @Override
  public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) throws MediaException {
    int n = sample.length();
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, scratch.length * 2)];
    }
    sample.copyTo(scratch, 0); // the clear sample, in a reused array
    return encrypt(format, scratch, 0, n, nalLengthSize, new byte[n], 0);
  }

  @Override
  public EncryptedSample encrypt(TrackFormat format, byte[] in, int inOffset, int n, int nalLengthSize, byte[] out,
      int outOffset) throws MediaException {
    Objects.checkFromIndexSize(inOffset, n, in.length);
    Objects.checkFromIndexSize(outOffset, n, out.length);
    boolean nalAware = (format.codec() == Codec.H264 || format.codec() == Codec.H265)
        && (nalLengthSize == 1 || nalLengthSize == 2 || nalLengthSize == 4);
    if (nalAware && sliceHeaders == null) {
      sliceHeaders = format.codec() == Codec.H264 ? new H264SliceHeaders() : new H265SliceHeaders();
      sliceHeaders.addParameterSets(format.codecConfig());
    }
    int[] pairs = nalAware
        ? subsamples.compute(format.codec(), in, inOffset, n, nalLengthSize, scheme == SampleEncryptionScheme.CENC,
            sliceHeaders)
        : new int[0];
    CencCiphers aes = CencCiphers.get();
    ByteSlice encrypted = ByteSlice.wrap(out, outOffset, n);
    try {
      if (scheme == SampleEncryptionScheme.CENC) {
        copyClear(in, inOffset, out, outOffset, n, pairs); // AES-CTR writes the protected ranges

        long ivValue = firstIv + sampleIndex++;
        byte[] iv8 = ByteBuffer.allocate(8).putLong(ivValue).array();
        byte[] counter = new byte[16];
        System.arraycopy(iv8, 0, counter, 0, 8);
        aes.ctr(secretKey, counter, in, inOffset, out, outOffset, n, pairs);
        return new EncryptedSample(encrypted, iv8, pairs);
      }
      if (scheme == SampleEncryptionScheme.CBCS) {
        System.arraycopy(in, inOffset, out, outOffset, n); // encrypted in place, block by block of the pattern
        aes.cbcPattern(secretKey, constantIv, out, outOffset, n, pairs, cryptByteBlock(format),
            skipByteBlock(format));
        return new EncryptedSample(encrypted, null, pairs);
      }
    } catch (GeneralSecurityException e) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, scheme.fourcc() + " encryption failed for key "
          + key.keyId() + ": " + e.getClass().getSimpleName(), e);
    }
    throw MediaException.unsupported("scheme " + scheme + " is not ISO Common Encryption");
  }

  /**
   * Copies the clear bytes of {@code in[inOffset, inOffset + n)} to {@code out}: each subsample's clear range and
   * anything after the last subsample ({@code pairs}: clear, protected byte counts; none: all protected).
   */
  private static void copyClear(byte[] in, int inOffset, byte[] out, int outOffset, int n, int[] pairs) {
    if (pairs.length == 0) {
      return;
    }
    int pos = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      System.arraycopy(in, inOffset + pos, out, outOffset + pos, pairs[i]);
      pos += pairs[i] + pairs[i + 1];
    }
    if (pos < n) {
      System.arraycopy(in, inOffset + pos, out, outOffset + pos, n - pos);
    }
  }
}
