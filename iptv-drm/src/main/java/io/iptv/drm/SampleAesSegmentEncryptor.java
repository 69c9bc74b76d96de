package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.util.List;

/**
 * Encrypts the samples of one MPEG-TS segment with Apple SAMPLE-AES under one content key and constant IV (see
 * {@link SampleAesCipher} for the byte layout per codec). Made by {@link SampleAesEncryption#forSegment}.
 *
 * <p>Samples are Annex B (H.264), ADTS (AAC) or sync frames (AC-3, E-AC-3), as the TS muxer writes them
 * ({@code nalLengthSize == 0}). ID3 and SCTE-35 tracks pass through unchanged (§2.4: other stream types are
 * not encrypted); any other codec (HEVC, MPEG audio) cannot be carried with SAMPLE-AES and is refused.
 *
 * <p>Not thread-safe: one packager thread, one segment.
 *
 * <pre>{@code
 * SegmentSampleEncryptor e = sampleAes.forSegment(context);
 * ByteSlice encrypted = e.encrypt(videoFormat, accessUnit, 0).bytes();
 * }</pre>
 */
final class SampleAesSegmentEncryptor implements SegmentSampleEncryptor {
  private final KeyId keyId;
  private final byte[] iv;
  private final List<SegmentProtection> protections;
  private final SampleAesCipher cipher;

  SampleAesSegmentEncryptor(ContentKey key, byte[] iv, List<SegmentProtection> protections) {
    this.keyId = key.keyId();
    this.iv = iv.clone();
    this.protections = List.copyOf(protections);
    this.cipher = new SampleAesCipher(key, iv);
  }

  @Override
  public SampleEncryptionScheme scheme() {
    return SampleEncryptionScheme.SAMPLE_AES;
  }

  @Override
  public byte[] keyId() {
    return keyId.toByteArray();
  }

  @Override
  public byte[] constantIv() {
    return iv.clone();
  }

  @Override
  public int perSampleIvSize() {
    return 0;
  }

  @Override
  public List<SegmentProtection> protections() {
    return protections;
  }

  @Override
  public List<ByteSlice> psshBoxes() {
    return List.of();
  }

  @Override
  public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) throws MediaException {
    if (nalLengthSize != 0) {
      throw MediaException.of(MediaException.Kind.UNSUPPORTED,
          "SAMPLE-AES encrypts MPEG-TS samples (Annex B), not length-prefixed NAL units; use cbcs for fMP4");
    }
    ByteSlice out = switch (format.codec()) {
      case H264 -> cipher.encryptH264(sample);
      case AAC -> cipher.encryptAdts(sample);
      case AC3, EAC3 -> cipher.encryptAc3(sample);
      case ID3, SCTE35 -> sample;
      default -> throw MediaException.of(MediaException.Kind.UNSUPPORTED, "track " + format.trackId()
          + ": SAMPLE-AES covers H.264, AAC, AC-3 and E-AC-3, not " + format.codec());
    };
    return new EncryptedSample(out, null, null);
  }
}
