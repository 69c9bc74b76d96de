package io.iptv.core.pipeline;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackFormat;
import java.util.List;

/**
 * Encrypts the samples of one segment of one rendition under one content key, and describes how the result
 * is signalled. Made by {@link SampleEncryption#forSegment}. Key bytes never leave the implementation; only
 * the key id and IVs do.
 *
 * <p>Not thread-safe: used by one packager thread for one segment. An implementation keeps no reference to the
 * sample bytes it is given once a call returns (a batch packager reuses their arrays for later samples).
 *
 * <pre>{@code
 * SegmentSampleEncryptor e = encryption.forSegment(context);
 * EncryptedSample out = e.encrypt(format, sample.data(), 4);   // fMP4 sample with 4-byte NAL lengths
 * }</pre>
 */
public interface SegmentSampleEncryptor {
  /** The scheme. */
  SampleEncryptionScheme scheme();

  /** The 16-byte key id (KID) of the content key (a copy). */
  byte[] keyId();

  /**
   * The 16-byte constant IV of {@link SampleEncryptionScheme#CBCS} and {@link SampleEncryptionScheme#SAMPLE_AES}
   * (a copy), or {@code null} for {@link SampleEncryptionScheme#CENC}, which uses per-sample IVs.
   */
  byte[] constantIv();

  /** The per-sample IV size in bytes: 8 or 16 for {@code cenc}, 0 with a constant IV. */
  int perSampleIvSize();

  /**
   * The pattern's encrypted 16-byte blocks (ISO/IEC 23001-7 §9.6, {@code tenc} default_crypt_byte_block) for
   * samples of {@code format}: 1 for {@code cbcs} video (1:9), 0 where no pattern applies ({@code cenc},
   * {@code cbcs} audio, which encrypts every whole block).
   */
  default int cryptByteBlock(TrackFormat format) {
    return scheme() == SampleEncryptionScheme.CBCS && format.type() == io.iptv.core.media.TrackType.VIDEO ? 1 : 0;
  }

  /** The pattern's skipped 16-byte blocks ({@code tenc} default_skip_byte_block): 9 for {@code cbcs} video, else 0. */
  default int skipByteBlock(TrackFormat format) {
    return scheme() == SampleEncryptionScheme.CBCS && format.type() == io.iptv.core.media.TrackType.VIDEO ? 9 : 0;
  }

  /**
   * What the HLS media playlist signals for this segment: one {@code EXT-X-KEY} per key format (identity,
   * Widevine, PlayReady, FairPlay), all with the scheme's METHOD. Channel-relative URIs as in
   * {@link SegmentProtection}.
   */
  List<SegmentProtection> protections();

  /**
   * Complete {@code pssh} boxes (ISO/IEC 23001-7 §8.1) for the DRM systems signalled, to be carried in the
   * init segment's {@code moov} (and in a fragment's {@code moof} when the key rotates); empty for none.
   */
  List<ByteSlice> psshBoxes();

  /**
   * Where {@link #psshBoxes()} go. {@code true} (the default): in the init segment's {@code moov} and the DASH
   * MPD ({@code cenc:pssh}), and in a fragment's {@code moof} only when its key differs from the track default.
   * {@code false}, for key rotation: nowhere but in every fragment's {@code moof} (ISO/IEC 23001-7 §8.1; as
   * Shaka Packager's key rotation), the MPD naming the DRM systems without {@code cenc:pssh}. Players ask for a
   * licence per {@code pssh} they see; one in the init segment or the MPD names a key that is stale for a
   * player starting in a later crypto period, and Shaka Player ignores the in-band {@code pssh} of later keys
   * when the MPD has one. Asked of the encryptor that defines the track default
   * ({@link SampleEncryption#defaultEncryptor}).
   */
  default boolean psshInInitSegment() {
    return true;
  }

  /**
   * Encrypts one sample.
   *
   * @param format the sample's track (codec decides the layout: NAL-aware for H.264/HEVC, full-sample or
   *     clear-leader for audio)
   * @param sample the sample as it will be stored: Annex B / ADTS for TS ({@code nalLengthSize == 0}), or with
   *     {@code nalLengthSize}-byte NAL lengths for fMP4 video; not modified, and valid only during the call (the
   *     writer may reuse its bytes): neither keep it nor return it or a slice of it
   * @param nalLengthSize 1, 2 or 4 for length-prefixed NAL units, 0 for Annex B or non-NAL codecs
   * @return the encrypted bytes (SAMPLE-AES may change the length by re-inserting emulation prevention) and,
   *     for CENC schemes, the sample's auxiliary information for {@code senc}
   */
  EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) throws MediaException;

  /**
   * Encrypts one sample whose length the scheme keeps (ISO Common Encryption: {@code cenc}, {@code cbcs}) from
   * {@code in[inOffset, inOffset + length)} into {@code out[outOffset, outOffset + length)}, clear ranges copied,
   * without allocating the sample's bytes: the fMP4 writer stages a whole fragment in two reused arrays this way
   * instead of one new array per sample. The returned sample's {@link EncryptedSample#bytes()} is a view of
   * {@code out}. The input is neither modified nor kept; {@code in} and {@code out} must not overlap.
   *
   * <p>The default calls {@link #encrypt(TrackFormat, ByteSlice, int)} and copies the result, and refuses
   * (UNSUPPORTED) a scheme that changed the length.
   *
   * @throws MediaException as {@link #encrypt(TrackFormat, ByteSlice, int)}, or UNSUPPORTED when the length
   *     would change
   */
  default EncryptedSample encrypt(TrackFormat format, byte[] in, int inOffset, int length, int nalLengthSize,
      byte[] out, int outOffset) throws MediaException {
    java.util.Objects.checkFromIndexSize(inOffset, length, in.length);
    java.util.Objects.checkFromIndexSize(outOffset, length, out.length);
    EncryptedSample e = encrypt(format, ByteSlice.wrap(in, inOffset, length), nalLengthSize);
    if (e.bytes().length() != length) {
      throw MediaException.unsupported(scheme() + " changed the sample size (" + length + " bytes became "
          + e.bytes().length() + "); only size-keeping schemes encrypt into a caller's array");
    }
    e.bytes().copyTo(out, outOffset);
    return new EncryptedSample(ByteSlice.wrap(out, outOffset, length), e.iv(), e.subsamples());
  }
}
