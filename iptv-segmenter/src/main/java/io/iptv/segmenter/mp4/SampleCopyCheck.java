package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import java.util.List;

/**
 * Finds where an MP4 sample's MP4 form — what the fMP4 writer writes for it after the demuxer converted it to
 * elementary-stream form ({@code io.iptv.segmenter.fmp4.SamplePayloads}) — lies in the file, so that a packager
 * may copy those bytes instead of reading, converting and converting back:
 * <ul>
 *   <li>H.264/HEVC with 4-byte NAL unit lengths (ISO/IEC 14496-15 §5.3.2, lengthSizeMinusOne = 3): the sample's
 *       NAL units with their length fields, without access unit delimiters and without parameter sets equal to
 *       one of the sample entry's (the writer drops both; §5.3.2 and Apple's {@code hvc1} rule); an in-band
 *       parameter set that differs is kept, as the writer keeps it. Every NAL unit must be non-empty, inside the
 *       sample, and not end in a zero byte (the writer trims those, which changes its length field). Only the
 *       length fields, headers, last bytes and parameter sets are read, not the slices.</li>
 *   <li>AAC: the raw frame, if it fits an ADTS frame (the demuxer frames it, the writer strips the header).</li>
 *   <li>AC-3, E-AC-3 and other pass-through codecs: the sample.</li>
 * </ul>
 * One known difference is accepted: a NAL unit that contains a start code (00 00 01, which emulation prevention
 * rules out, ITU-T H.264 §7.4.1) is copied whole, where the Annex B round trip would split it.
 *
 * <p>Not thread-safe (scratch arrays); one per demuxer.
 */
final class SampleCopyCheck {
  /** Largest in-band parameter set compared with the sample entry's. */
  private static final int MAX_PARAMETER_SET_BYTES = 64 * 1024;

  private final Mp4File file;
  private final byte[] head = new byte[5];
  private long[] pieces = new long[16];
  private int pieceCount;
  private String whyNot;

  SampleCopyCheck(Mp4File file) {
    this.file = file;
  }

  /**
   * Looks at {@code sample} of {@code track}: true if it can be copied, its MP4 form then being {@link #pieceCount()}
   * file regions in {@link #pieces()}; false with the reason in {@link #whyNot()}.
   */
  boolean check(Mp4Track track, SampleRef sample) throws MediaException {
    pieceCount = 0;
    whyNot = null;
    PayloadConverter converter = track.setup().converter();
    if (converter instanceof NalLengthToAnnexB nal) {
      if (nal.lengthSize() != 4) {
        return fail(nal.lengthSize() + "-byte NAL unit lengths");
      }
      return nalUnits(track, sample);
    }
    if (converter instanceof AdtsFramer && sample.size() + AdtsFramer.HEADER_BYTES > AdtsFramer.MAX_FRAME_LENGTH) {
      return fail("an AAC frame of " + sample.size() + " bytes");
    }
    add(sample.offset(), sample.size());
    return true;
  }

  /** Offset and length of each piece, in pairs. Valid until the next {@link #check}. */
  long[] pieces() {
    return pieces;
  }

  int pieceCount() {
    return pieceCount;
  }

  String whyNot() {
    return whyNot;
  }

  private boolean fail(String why) {
    whyNot = why;
    return false;
  }

  private boolean nalUnits(Mp4Track track, SampleRef sample) throws MediaException {
    boolean h264 = track.format().codec() == io.iptv.core.media.Codec.H264;
    long at = sample.offset();
    long end = at + sample.size();
    while (at < end) {
      if (end - at < 5) {
        return fail("a NAL unit cut off");
      }
      file.readFully(at, head, 0, 5);
      long length = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      if (length == 0 || length > end - at - 4) {
        return fail("a NAL unit length of " + length);
      }
      int header = head[4] & 0xFF;
      int type = h264 ? header & 0x1F : (header >> 1) & 0x3F; // ITU-T H.264 §7.3.1, H.265 §7.3.1.2
      if (h264 && type == 0) {
        return fail("NAL unit type 0");
      }
      boolean aud = h264 ? type == 9 : type == 35;
      boolean parameterSet = h264 ? type == 7 || type == 8 : type >= 32 && type <= 34;
      long next = at + 4 + length;
      file.readFully(next - 1, head, 0, 1);
      if (head[0] == 0) {
        return fail("a NAL unit ending in a zero byte");
      }
      if (!aud && !(parameterSet && inSampleEntry(track.format().codecConfig(), at + 4, (int) length))) {
        add(at, 4 + length);
      }
      at = next;
    }
    return true;
  }

  /** Whether the NAL unit at {@code offset} equals one of the sample entry's parameter sets. */
  private boolean inSampleEntry(List<ByteSlice> sets, long offset, int length) throws MediaException {
    if (length > MAX_PARAMETER_SET_BYTES) {
      return false;
    }
    byte[] nal = new byte[length];
    file.readFully(offset, nal, 0, length);
    return sets.contains(ByteSlice.wrap(nal));
  }

  /** Appends a piece, merged with the previous one when adjacent. */
  private void add(long offset, long length) {
    if (pieceCount > 0 && pieces[2 * pieceCount - 2] + pieces[2 * pieceCount - 1] == offset) {
      pieces[2 * pieceCount - 1] += length;
      return;
    }
    if (2 * pieceCount == pieces.length) {
      pieces = java.util.Arrays.copyOf(pieces, 2 * pieces.length);
    }
    pieces[2 * pieceCount] = offset;
    pieces[2 * pieceCount + 1] = length;
    pieceCount++;
  }
}
