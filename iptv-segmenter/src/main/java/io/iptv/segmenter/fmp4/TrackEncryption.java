package io.iptv.segmenter.fmp4;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A track's protection as the fMP4 writers signal it (ISO/IEC 23001-7 §8.2 {@code tenc}, §6
 * {@code seig}): scheme, key id, IV layout, encryption pattern and the {@code pssh} boxes. The init segment
 * declares one as the track default; a fragment whose key differs (rotation) or that is clear (clear lead)
 * declares its own in a {@code seig} sample group. Key bytes never appear here. Immutable (arrays copied).
 *
 * <pre>{@code
 * TrackEncryption defaults = TrackEncryption.of(encryptor, videoFormat);
 * ByteSlice init = InitSegmentWriter.write(List.of(track), defaults);
 * }</pre>
 *
 * @param scheme {@code cenc} or {@code cbcs}
 * @param keyId the 16-byte KID
 * @param perSampleIvSize 8 or 16 ({@code cenc}), 0 with a constant IV
 * @param constantIv the 16-byte constant IV ({@code cbcs}), or null
 * @param cryptByteBlock pattern: encrypted blocks (0: no pattern)
 * @param skipByteBlock pattern: skipped blocks
 * @param psshBoxes complete {@code pssh} boxes
 * @param psshInInit whether the init segment (and the DASH MPD) carries {@code psshBoxes}; false with key
 *     rotation, where every fragment carries its own (see {@link SegmentSampleEncryptor#psshInInitSegment()})
 */
public record TrackEncryption(SampleEncryptionScheme scheme, byte[] keyId, int perSampleIvSize, byte[] constantIv,
    int cryptByteBlock, int skipByteBlock, List<ByteSlice> psshBoxes, boolean psshInInit) {

  /** Validates and copies. */
  public TrackEncryption {
    Objects.requireNonNull(scheme, "scheme");
    Preconditions.requireArgument(scheme.fourcc() != null, "%s is not an ISO Common Encryption scheme", scheme);
    Preconditions.requireArgument(keyId != null && keyId.length == 16, "a KID has 16 bytes");
    Preconditions.requireArgument(perSampleIvSize == 0 || perSampleIvSize == 8 || perSampleIvSize == 16,
        "Per_Sample_IV_Size %d is not 0, 8 or 16", perSampleIvSize);
    Preconditions.requireArgument(perSampleIvSize != 0 || (constantIv != null && constantIv.length == 16),
        "without per-sample IVs a 16-byte constant IV is needed");
    Preconditions.requireArgument(cryptByteBlock >= 0 && cryptByteBlock < 16 && skipByteBlock >= 0
        && skipByteBlock < 16, "pattern %d:%d out of range", cryptByteBlock, skipByteBlock);
    keyId = keyId.clone();
    constantIv = constantIv == null ? null : constantIv.clone();
    psshBoxes = List.copyOf(psshBoxes);
  }

  /** A protection whose {@code pssh} boxes the init segment carries. */
  public TrackEncryption(SampleEncryptionScheme scheme, byte[] keyId, int perSampleIvSize, byte[] constantIv,
      int cryptByteBlock, int skipByteBlock, List<ByteSlice> psshBoxes) {
    this(scheme, keyId, perSampleIvSize, constantIv, cryptByteBlock, skipByteBlock, psshBoxes, true);
  }

  /** The protection of the samples {@code encryptor} writes for a track of {@code format}. */
  public static TrackEncryption of(SegmentSampleEncryptor encryptor, TrackFormat format) {
    return new TrackEncryption(encryptor.scheme(), encryptor.keyId(), encryptor.perSampleIvSize(),
        encryptor.constantIv(), encryptor.cryptByteBlock(format), encryptor.skipByteBlock(format),
        encryptor.psshBoxes(), encryptor.psshInInitSegment());
  }

  /** The KID as 32 lower-case hex digits. */
  public String keyIdHex() {
    return HexFormat.of().formatHex(keyId);
  }

  /** Whether {@code other} uses the same key and IV layout (so a fragment needs no {@code seig} group). */
  public boolean sameKey(TrackEncryption other) {
    return other != null && Arrays.equals(keyId, other.keyId) && perSampleIvSize == other.perSampleIvSize
        && Arrays.equals(constantIv, other.constantIv);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrackEncryption t && scheme == t.scheme && Arrays.equals(keyId, t.keyId)
        && perSampleIvSize == t.perSampleIvSize && Arrays.equals(constantIv, t.constantIv)
        && cryptByteBlock == t.cryptByteBlock && skipByteBlock == t.skipByteBlock && psshBoxes.equals(t.psshBoxes)
        && psshInInit == t.psshInInit;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keyId) * 31 + scheme.hashCode();
  }

  @Override
  public String toString() {
    return "TrackEncryption[" + scheme.fourcc() + ", kid=" + keyIdHex() + ", iv=" + perSampleIvSize + ", pattern="
        + cryptByteBlock + ":" + skipByteBlock + ", pssh=" + psshBoxes.size() + (psshInInit ? "" : " per fragment")
        + "]";
  }
}
