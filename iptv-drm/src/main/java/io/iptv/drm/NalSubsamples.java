package io.iptv.drm;

import io.iptv.core.media.Codec;
import java.util.Arrays;

/**
 * Chooses which bytes of a length-prefixed H.264/HEVC sample (ISO/IEC 14496-15 §4.3.2) stay clear under ISO
 * Common Encryption (ISO/IEC 23001-7 §10.2 for {@code cenc}, §10.4 for {@code cbcs}): the subsample map of
 * (BytesOfClearData, BytesOfProtectedData) pairs written to {@code senc}.
 *
 * <ul>
 *   <li>Every NAL length field and every NAL header stay clear.</li>
 *   <li>Non-VCL NAL units (parameter sets, SEI, AUD, end of sequence, …) stay entirely clear.</li>
 *   <li>Slice NAL units keep their NAL header and slice header clear, measured by {@link SliceHeaders} from the
 *       parameter sets (sample entry and in-band): {@link H264SliceHeaders} (ITU-T H.264 §7.3.3) and
 *       {@link H265SliceHeaders} (ITU-T H.265 §7.3.6.1, slice_segment_header() through byte_alignment(), with
 *       reference picture sets, weighted prediction tables and tile/wavefront entry points). Where the header
 *       cannot be measured (unknown parameter sets, H.264 FMO, HEVC layers above the base layer or the SCC,
 *       multilayer and 3D extensions, damage) a <em>conservative</em> clear leader of
 *       {@value #SLICE_CLEAR_LEADER} bytes after the length field is used instead (the same 32 bytes Apple's
 *       SAMPLE-AES leaves clear), or the part of the header already known to be longer, if it is.</li>
 *   <li>{@code cenc}: the protected part of a slice is a multiple of 16 bytes (§10.1, as Shaka Packager does);
 *       the excess joins the clear part before it. {@code cbcs}: the protected part runs to the end of the
 *       NAL unit; the pattern leaves its trailing partial block clear (§10.4.2).</li>
 *   <li>A NAL unit too small for a protected part is entirely clear; clear runs merge into the next
 *       subsample, and a clear run over 65 535 bytes (16-bit BytesOfClearData) is split.</li>
 *   <li>A length field that runs past the sample (damaged input) ends the parse: the rest is clear.</li>
 * </ul>
 *
 * <p>Not thread-safe: reuses one growable array (one instance per encryptor).
 *
 * <pre>{@code
 * NalSubsamples layout = new NalSubsamples();
 * int[] pairs = layout.compute(Codec.H264, sample, 0, sample.length, 4, true);
 * }</pre>
 */
final class NalSubsamples {
  /** Clear bytes at the start of each slice NAL unit (after its length field). */
  static final int SLICE_CLEAR_LEADER = 32;
  private static final int MAX_CLEAR = 0xFFFF;

  private int[] pairs = new int[64];
  private int count;

  /**
   * The subsample map of {@code b[offset, offset + length)}.
   *
   * @param codec H264 or H265
   * @param nalLengthSize 1, 2 or 4
   * @param wholeBlocks true for {@code cenc} (protected parts a multiple of 16 bytes), false for {@code cbcs}
   * @return (clear, protected) pairs, a new array
   */
  int[] compute(Codec codec, byte[] b, int offset, int length, int nalLengthSize, boolean wholeBlocks) {
    return compute(codec, b, offset, length, nalLengthSize, wholeBlocks, null);
  }

  /**
   * As {@link #compute(Codec, byte[], int, int, int, boolean)}, measuring slice headers with
   * {@code sliceHeaders} of the codec (null: the conservative leader for every slice); in-band parameter sets
   * are added to it.
   */
  int[] compute(Codec codec, byte[] b, int offset, int length, int nalLengthSize, boolean wholeBlocks,
      SliceHeaders sliceHeaders) {
    count = 0;
    long pendingClear = 0;
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      if (end - pos < nalLengthSize) {
        pendingClear += end - pos;
        break;
      }
      long nalSize = 0;
      for (int i = 0; i < nalLengthSize; i++) {
        nalSize = (nalSize << 8) | (b[pos + i] & 0xFF); // NALUnitLength
      }
      long total = nalLengthSize + nalSize;
      if (nalSize == 0 || total > end - pos) { // damaged: the rest stays clear
        pendingClear += end - pos;
        break;
      }
      int header = b[pos + nalLengthSize] & 0xFF;
      boolean vcl = isVcl(codec, header);
      int leader = SLICE_CLEAR_LEADER;
      if (sliceHeaders != null) {
        if (vcl) {
          int measured = sliceHeaders.headerBytes(b, pos + nalLengthSize, (int) nalSize);
          leader = measured > 0 ? measured : Math.max(SLICE_CLEAR_LEADER, -measured); // unknown: lower bound
        } else {
          sliceHeaders.addParameterSet(b, pos + nalLengthSize, (int) nalSize); // in-band parameter sets
        }
      }
      long clear = nalLengthSize + leader;
      long rest = total - clear;
      long protectedBytes = 0;
      if (vcl && rest >= 16) {
        protectedBytes = wholeBlocks ? rest & ~15L : rest;
        clear = total - protectedBytes;
      }
      if (protectedBytes == 0) {
        pendingClear += total;
      } else {
        pendingClear += clear;
        emit(pendingClear, protectedBytes);
        pendingClear = 0;
      }
      pos += (int) total;
    }
    if (pendingClear > 0) {
      emit(pendingClear, 0);
    }
    return Arrays.copyOf(pairs, count * 2);
  }

  /** Whether a NAL unit with first header byte {@code header} is a coded slice (VCL). */
  static boolean isVcl(Codec codec, int header) {
    if (codec == Codec.H265) {
      return ((header >> 1) & 0x3F) < 32; // nal_unit_type (6): 0..31 are VCL (ITU-T H.265 Table 7-1)
    }
    int type = header & 0x1F; // nal_unit_type (5)
    return type >= 1 && type <= 5; // coded slice (1..4 partitions, 5 IDR), ITU-T H.264 Table 7-1
  }

  private void emit(long clear, long protectedBytes) {
    while (clear > MAX_CLEAR) {
      add(MAX_CLEAR, 0);
      clear -= MAX_CLEAR;
    }
    add((int) clear, (int) protectedBytes);
  }

  private void add(int clear, int protectedBytes) {
    if (2 * count + 2 > pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[2 * count] = clear;
    pairs[2 * count + 1] = protectedBytes;
    count++;
  }
}
