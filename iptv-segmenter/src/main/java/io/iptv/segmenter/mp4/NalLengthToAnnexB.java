package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * Rewrites a length-prefixed H.264/HEVC sample (ISO/IEC 14496-15 §5.3.2 / §8.3.2, {@code NALUnitLength}
 * of 1–4 bytes from {@code avcC}/{@code hvcC} lengthSizeMinusOne) into Annex B byte-stream form with
 * 4-byte start codes {@code 00 00 00 01}. Parameter sets are not inserted (the TS muxer adds missing ones
 * at keyframes). Immutable.
 */
final class NalLengthToAnnexB implements PayloadConverter {
  private final int lengthSize;

  /** Bytes of each NALUnitLength field (1, 2 or 4). */
  int lengthSize() {
    return lengthSize;
  }

  NalLengthToAnnexB(int lengthSize) {
    this.lengthSize = lengthSize;
  }

  @Override
  public ByteSlice convert(byte[] sample, int length) throws MediaException {
    // First pass: validate the NAL unit lengths and size the output.
    long outLength = 0;
    int pos = 0;
    while (pos < length) {
      long nal = nalLength(sample, pos, length);
      pos += lengthSize + (int) nal;
      outLength += 4 + nal;
    }
    if (outLength > Integer.MAX_VALUE - 8) {
      throw MediaException.malformed("sample too large after Annex B conversion");
    }
    byte[] out = new byte[(int) outLength];
    int o = 0;
    pos = 0;
    while (pos < length) {
      int nal = (int) nalLength(sample, pos, length);
      pos += lengthSize;
      out[o + 3] = 1; // start code 00 00 00 01
      System.arraycopy(sample, pos, out, o + 4, nal);
      o += 4 + nal;
      pos += nal;
    }
    return ByteSlice.wrap(out);
  }

  /** A 4-byte NALUnitLength has the size of a 4-byte start code. */
  @Override
  public boolean convertsInPlace() {
    return lengthSize == 4;
  }

  /**
   * Overwrites each 4-byte NALUnitLength with the start code {@code 00 00 00 01} (same size, so nothing
   * moves); each length is read before it is overwritten and validated against the bytes left.
   */
  @Override
  public ByteSlice convertInPlace(byte[] sample, int length) throws MediaException {
    if (lengthSize != 4) {
      throw new UnsupportedOperationException("in-place conversion needs 4-byte NAL unit lengths");
    }
    int pos = 0;
    while (pos < length) {
      long nal = nalLength(sample, pos, length);
      sample[pos] = 0; // start code 00 00 00 01
      sample[pos + 1] = 0;
      sample[pos + 2] = 0;
      sample[pos + 3] = 1;
      pos += 4 + (int) nal;
    }
    return ByteSlice.wrap(sample, 0, length);
  }

  private long nalLength(byte[] sample, int pos, int length) throws MediaException {
    if (length - pos < lengthSize) {
      throw MediaException.malformed("NAL unit length field cut off at byte " + pos + " of a " + length
          + "-byte sample");
    }
    long nal = 0;
    for (int i = 0; i < lengthSize; i++) {
      nal = (nal << 8) | (sample[pos + i] & 0xFF);
    }
    if (nal > length - pos - lengthSize) {
      throw MediaException.malformed("NAL unit of " + nal + " bytes at byte " + pos + " overruns its "
          + length + "-byte sample (wrong NAL length size or damaged sample)");
    }
    return nal;
  }
}
