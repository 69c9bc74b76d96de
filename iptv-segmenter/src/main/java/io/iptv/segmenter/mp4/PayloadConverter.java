package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * Turns one MP4 sample into the elementary-stream form {@link io.iptv.core.media.Codec} defines (Annex B
 * for H.264/HEVC, ADTS for AAC, as-is for AC-3/E-AC-3). Implementations are stateless.
 */
@FunctionalInterface
interface PayloadConverter {
  /** Passes sync frames through (AC-3, E-AC-3); converts in place. */
  PayloadConverter PASSTHROUGH = new PayloadConverter() {
    @Override
    public ByteSlice convert(byte[] sample, int length) {
      return ByteSlice.copyOf(sample, 0, length);
    }

    @Override
    public boolean convertsInPlace() {
      return true;
    }

    @Override
    public ByteSlice convertInPlace(byte[] sample, int length) {
      return ByteSlice.wrap(sample, 0, length);
    }
  };

  /** Converts {@code sample[0..length)} into a new immutable slice. */
  ByteSlice convert(byte[] sample, int length) throws MediaException;

  /**
   * Whether {@link #convertInPlace} works: the converted form has the same size as the sample, so the
   * demuxer can read each sample into a fresh array and hand it over after an in-place rewrite (one copy
   * of the bytes instead of two).
   */
  default boolean convertsInPlace() {
    return false;
  }

  /**
   * Converts a freshly read sample that fills the whole of {@code sample}, rewriting the array in place and
   * taking ownership of it (the caller must not touch it afterwards). Only if {@link #convertsInPlace()}.
   *
   * @throws MediaException if the sample is malformed (the array's content is then undefined)
   */
  default ByteSlice convertInPlace(byte[] sample) throws MediaException {
    return convertInPlace(sample, sample.length);
  }

  /**
   * As {@link #convertInPlace(byte[])} for a sample in {@code sample[0, length)} (the rest of the array is not
   * touched and not part of the result). Only if {@link #convertsInPlace()}.
   *
   * @throws MediaException if the sample is malformed (the array's content is then undefined)
   */
  default ByteSlice convertInPlace(byte[] sample, int length) throws MediaException {
    throw new UnsupportedOperationException("not an in-place converter");
  }
}
