package io.iptv.segmenter.slate;

import io.iptv.core.MediaException;
import io.iptv.core.codec.Ac3SyncFrames;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.ByteSlice;

/**
 * One silent AC-3 syncframe (1536 samples) shaped like a real frame of a track: the same syncinfo and bit
 * stream information (sample rate, frame size, channel layout, dialogue normalisation, all of {@code bsi()}
 * copied bit for bit), so a decoder and a muxer see one unchanged stream. What fills an AC-3 hole in a live
 * channel, as {@link SilentAacFrame} does for AAC.
 *
 * <p>The audio blocks (ATSC A/52 §5.4.3) code silence: block 0 sends exponents (strategy D45, bandwidth code
 * 0), bit allocation parameters with {@code csnroffst = fsnroffst = 0}, which make every bit allocation
 * pointer 0 (§7.2.2.7: no mantissa is transmitted, the coefficient is 0; {@code dithflag = 0}, so no dither
 * noise either), no coupling, no delta bit allocation; blocks 1–5 reuse all of it. The rest of the frame is
 * auxiliary fill, {@code auxdatae = 0}, and both CRCs are computed (§5.4.1: {@code crc1} over the first 5/8
 * of the frame, {@code crc2} over the rest). Plain AC-3 only ({@code bsid} ≤ 10); E-AC-3 has another syntax.
 *
 * <p>Stateless; the frames are immutable bytes.
 *
 * <pre>{@code
 * ByteSlice silence = SilentAc3Frame.like(realFrame);     // null if realFrame is no complete AC-3 syncframe
 * long duration90k = SilentAc3Frame.duration90k(realFrame);
 * }</pre>
 */
public final class SilentAc3Frame {
  /** Exponent strategy D45 (A/52 Table 5.12): one exponent per four bins. */
  private static final int EXPSTR_D45 = 3;
  /** End mantissa of bandwidth code 0: 37 + 3 × (0 + 12) (A/52 §7.1.3). */
  private static final int END_MANTISSA = 73;
  /** Exponent groups of a D45 channel of END_MANTISSA bins: (endmant − 1 + 9) / 12. */
  private static final int CHANNEL_GROUPS = (END_MANTISSA - 1 + 9) / 12;
  /** Exponent groups of the LFE channel (7 bins, always D15). */
  private static final int LFE_GROUPS = 2;
  /** AC-3 CRC generator x^16 + x^15 + x^2 + 1 (A/52 §5.4.1). */
  private static final int CRC_POLY = 0x8005;

  private SilentAc3Frame() {}

  /**
   * A silent frame with the syncinfo and bsi of {@code template} (one whole AC-3 syncframe, as the TS reader and
   * MP4 samples give them), or null if it is not one (no syncword, E-AC-3, reserved codes, truncated).
   */
  public static ByteSlice like(ByteSlice template) {
    if (template.length() < 8 || template.byteAt(0) != 0x0B || template.byteAt(1) != 0x77) {
      return null;
    }
    int fscod = template.byteAt(4) >> 6;
    int frameBytes = Ac3SyncFrames.frameBytes(fscod, template.byteAt(4) & 0x3F);
    int bsid = template.byteAt(5) >> 3;
    if (frameBytes == 0 || bsid > 10 || template.length() < frameBytes) {
      return null;
    }
    try {
      return ByteSlice.wrap(build(template, frameBytes));
    } catch (MediaException e) {
      return null; // a bsi() longer than the frame: damaged
    }
  }

  /** The duration of {@code frame}'s 1536 samples in 90 kHz ticks (not rounded); 0 if it is no AC-3 frame. */
  public static double duration90k(ByteSlice frame) {
    if (frame.length() < 6) {
      return 0;
    }
    int rate = Ac3SyncFrames.sampleRate(frame.byteAt(4) >> 6) >> Math.max(0, (frame.byteAt(5) >> 3) - 8);
    return rate == 0 ? 0 : Ac3SyncFrames.AC3_SAMPLES_PER_FRAME * 90_000.0 / rate;
  }

  private static byte[] build(ByteSlice template, int frameBytes) throws MediaException {
    byte[] t = template.slice(0, frameBytes).toByteArray();
    BitCursor in = new BitCursor(t);
    BitWriter out = new BitWriter(frameBytes);
    out.copy(in, 16); // syncinfo(): syncword (16)
    out.copy(in, 16); // crc1 (16), recomputed below
    out.copy(in, 8); // fscod (2), frmsizecod (6)
    out.copy(in, 5); // bsid (5)
    out.copy(in, 3); // bsmod (3)
    int acmod = out.copy(in, 3); // acmod (3)
    if ((acmod & 1) != 0 && acmod != 1) {
      out.copy(in, 2); // cmixlev (2)
    }
    if ((acmod & 4) != 0) {
      out.copy(in, 2); // surmixlev (2)
    }
    if (acmod == 2) {
      out.copy(in, 2); // dsurmod (2)
    }
    boolean lfe = out.copy(in, 1) == 1; // lfeon (1)
    for (int pass = 0; pass < (acmod == 0 ? 2 : 1); pass++) { // dual mono: a second set for channel 2
      out.copy(in, 5); // dialnorm (5)
      if (out.copy(in, 1) == 1) { // compre (1)
        out.copy(in, 8); // compr (8)
      }
      if (out.copy(in, 1) == 1) { // langcode (1)
        out.copy(in, 8); // langcod (8)
      }
      if (out.copy(in, 1) == 1) { // audprodie (1)
        out.copy(in, 7); // mixlevel (5), roomtyp (2)
      }
    }
    out.copy(in, 2); // copyrightb (1), origbs (1)
    for (int i = 0; i < 2; i++) { // timecod1e/timecod2e (bsid 8) or xbsi1e/xbsi2e (bsid 6): each 1 + 14 bits
      if (out.copy(in, 1) == 1) {
        out.copy(in, 14);
      }
    }
    if (out.copy(in, 1) == 1) { // addbsie (1)
      int length = out.copy(in, 6); // addbsil (6)
      for (int i = 0; i <= length; i++) {
        out.copy(in, 8); // addbsi
      }
    }
    int channels = Ac3SyncFrames.fullBandwidthChannels(acmod);
    for (int block = 0; block < 6; block++) {
      silentBlock(out, block == 0, acmod, channels, lfe);
    }
    if (out.bitPosition() > frameBytes * 8 - 18) { // auxdatae (1), crcrsv (1), crc2 (16) must still fit
      throw MediaException.malformed("AC-3 frame too small for silence");
    }
    // auxbits fill, auxdatae = 0, crcrsv = 0: already zero
    byte[] frame = out.bytes();
    int crc1End = ((frameBytes >> 2) + (frameBytes >> 4)) << 1; // the first 5/8 of the frame's words
    int crc1 = crc1For(frame, crc1End);
    frame[2] = (byte) (crc1 >> 8);
    frame[3] = (byte) crc1;
    int crc2 = crc16(frame, 2, frameBytes - 2, 0);
    frame[frameBytes - 2] = (byte) (crc2 >> 8);
    frame[frameBytes - 1] = (byte) crc2;
    return frame;
  }

  /** One audblk() of silence (A/52 §5.4.3); block 0 sends the strategies that blocks 1–5 reuse. */
  private static void silentBlock(BitWriter b, boolean first, int acmod, int channels, boolean lfe) {
    b.put(0, channels); // blksw[ch] (1 each): long blocks
    b.put(0, channels); // dithflag[ch] (1 each): no dither, zero coefficients
    b.put(0, 1); // dynrnge (1)
    if (acmod == 0) {
      b.put(0, 1); // dynrng2e (1)
    }
    b.put(first ? 1 : 0, 1); // cplstre (1): new coupling strategy in block 0
    if (first) {
      b.put(0, 1); // cplinu (1): no coupling
    }
    if (acmod == 2) {
      b.put(first ? 1 : 0, 1); // rematstr (1)
      if (first) {
        b.put(0, 4); // rematflg[rbnd] (1 each, 4 bands without coupling)
      }
    }
    for (int ch = 0; ch < channels; ch++) {
      b.put(first ? EXPSTR_D45 : 0, 2); // chexpstr[ch] (2): D45 in block 0, reuse after
    }
    if (lfe) {
      b.put(first ? 1 : 0, 1); // lfeexpstr (1)
    }
    if (first) {
      for (int ch = 0; ch < channels; ch++) {
        b.put(0, 6); // chbwcod[ch] (6): endmant 73
      }
      for (int ch = 0; ch < channels; ch++) {
        silentExponents(b, CHANNEL_GROUPS);
        b.put(0, 2); // gainrng[ch] (2)
      }
      if (lfe) {
        silentExponents(b, LFE_GROUPS);
      }
    }
    b.put(first ? 1 : 0, 1); // baie (1)
    if (first) {
      b.put(2, 2); // sdcycod (2)
      b.put(1, 2); // fdcycod (2)
      b.put(1, 2); // sgaincod (2)
      b.put(2, 2); // dbpbcod (2)
      b.put(7, 3); // floorcod (3)
    }
    b.put(first ? 1 : 0, 1); // snroffste (1)
    if (first) {
      b.put(0, 6); // csnroffst (6) = 0 ...
      for (int ch = 0; ch < channels + (lfe ? 1 : 0); ch++) {
        b.put(0, 4); // fsnroffst (4) = 0: every bap 0, no mantissa sent
        b.put(4, 3); // fgaincod (3)
      }
    }
    b.put(0, 1); // deltbaie (1)
    b.put(0, 1); // skiple (1)
  }

  /**
   * Exponents of the quietest level: the absolute first one 15, then deltas climbing to the maximum 24 and
   * staying there; grouped three deltas per 7 bits as 25·m1 + 5·m2 + m3 with m = delta + 2 (A/52 §7.1.3).
   */
  static void silentExponents(BitWriter b, int groups) {
    b.put(15, 4); // exps[ch][0] (4)
    for (int g = 0; g < groups; g++) {
      int code = switch (g) {
        case 0 -> 25 * 4 + 5 * 4 + 4; // +2 +2 +2: 21
        case 1 -> 25 * 4 + 5 * 3 + 2; // +2 +1 0: 24
        default -> 25 * 2 + 5 * 2 + 2; // 0 0 0
      };
      b.put(code, 7); // exps[ch][grp] (7)
    }
  }

  /**
   * The crc1 value that makes the CRC of bytes {@code [2, end)} (crc1 itself first) zero. The CRC is linear, so
   * that CRC is the CRC with crc1 = 0 plus a linear map of crc1's 16 bits; solved by Gaussian elimination over
   * GF(2) on the map's columns (the CRC of each single crc1 bit followed by zeros).
   */
  private static int crc1For(byte[] frame, int end) {
    frame[2] = 0;
    frame[3] = 0;
    int target = crc16(frame, 2, end, 0);
    int[] columns = new int[16];
    byte[] unit = new byte[end - 2];
    for (int bit = 0; bit < 16; bit++) {
      unit[0] = (byte) ((1 << bit) >> 8);
      unit[1] = (byte) (1 << bit);
      columns[bit] = crc16(unit, 0, unit.length, 0);
    }
    // Solve sum over set bits of columns[bit] == target: rows are the 16 CRC bits.
    int[] rows = new int[16]; // row r: bit i set if columns[i] has bit r; bit 16 = target's bit r
    for (int r = 0; r < 16; r++) {
      int row = ((target >> r) & 1) << 16;
      for (int i = 0; i < 16; i++) {
        row |= ((columns[i] >> r) & 1) << i;
      }
      rows[r] = row;
    }
    int rank = 0;
    int[] pivotOf = new int[16];
    for (int col = 0; col < 16; col++) {
      int pivot = -1;
      for (int r = rank; r < 16; r++) {
        if ((rows[r] >> col & 1) != 0) {
          pivot = r;
          break;
        }
      }
      if (pivot < 0) {
        continue; // cannot happen: x is invertible modulo the generator, the map is a bijection
      }
      int tmp = rows[pivot];
      rows[pivot] = rows[rank];
      rows[rank] = tmp;
      for (int r = 0; r < 16; r++) {
        if (r != rank && (rows[r] >> col & 1) != 0) {
          rows[r] ^= rows[rank];
        }
      }
      pivotOf[rank++] = col;
    }
    int crc1 = 0;
    for (int r = 0; r < rank; r++) {
      crc1 |= ((rows[r] >> 16) & 1) << pivotOf[r];
    }
    return crc1;
  }

  /** The AC-3 CRC-16 (generator 0x8005, most significant bit first, no reflection) of {@code [from, to)}. */
  static int crc16(byte[] data, int from, int to, int initial) {
    int crc = initial;
    for (int i = from; i < to; i++) {
      crc ^= (data[i] & 0xFF) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ CRC_POLY : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }
}
