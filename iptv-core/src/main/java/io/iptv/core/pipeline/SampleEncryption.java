package io.iptv.core.pipeline;

import io.iptv.core.MediaException;

/**
 * The sample-level counterpart of {@link SegmentTransform}: packagers ask it, once per segment and rendition,
 * how to encrypt that segment's samples. It lets iptv-drm's schemes (SAMPLE-AES, CENC {@code cenc} and
 * {@code cbcs}) plug into the segmenter's TS and fMP4 writers without the segmenter depending on iptv-drm:
 * the writer hands each sample to the returned {@link SegmentSampleEncryptor} and signals the result
 * (PMT stream types, {@code sinf}/{@code senc}, {@code EXT-X-KEY}).
 *
 * <p>Contract: called on the packager's thread, in segment order per rendition; {@code null} means the
 * segment is published in the clear (clear lead). Implementations shared by several packagers must be
 * thread-safe. Throws {@link MediaException} (for example {@code KEY_UNAVAILABLE}), which fails packaging.
 *
 * <pre>{@code
 * SampleEncryption none = context -> null;   // every segment clear
 * }</pre>
 */
@FunctionalInterface
public interface SampleEncryption {
  /**
   * The encryptor for one segment.
   *
   * @param context which segment of which rendition
   * @return the encryptor, or {@code null} for a clear segment
   */
  SegmentSampleEncryptor forSegment(SegmentContext context) throws MediaException;

  /**
   * The encryptor whose scheme, key id, IV layout and {@code pssh} boxes an fMP4 initialization segment declares
   * ({@code sinf}/{@code tenc} default_KID, ISO/IEC 23001-7 §8.2): for a rendition whose first segment is
   * {@code first}. Unlike {@link #forSegment} it never answers a clear-lead {@code null} while later segments
   * are encrypted: it returns the encryptor of the first encrypted crypto period then (the init segment is
   * written once, before the clear lead). {@code null} means the rendition is never encrypted.
   *
   * <p>The default asks {@link #forSegment} for {@code first}, which is right for implementations without a
   * clear lead.
   *
   * @param first the rendition's first segment
   * @return the encryptor that defines the track's default protection, or {@code null}
   */
  default SegmentSampleEncryptor defaultEncryptor(SegmentContext first) throws MediaException {
    return forSegment(first);
  }
}
