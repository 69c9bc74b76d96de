package io.iptv.segmenter.slate;

import io.iptv.core.MediaException;
import io.iptv.core.codec.Ac3SyncFrames;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.ByteSlice;

/**
 * One silent E-AC-3 syncframe shaped like a real frame of a track (ATSC A/52 Annex E): its {@code bsi()} copied
 * bit for bit (frame size, sample rate, blocks per frame, channel layout, metadata), then an {@code audfrm()}
 * and audio blocks that code silence. The frame-level SNR offsets are 0 ({@code snroffststr = 0},
 * {@code frmcsnroffst = frmfsnroffst = 0}), so every bit allocation pointer is 0 and no mantissa is sent;
 * dither is signalled off per block ({@code dithflage = 1}, {@code dithflag = 0}: with {@code dithflage = 0}
 * a decoder would dither, i.e. play noise); no coupling, spectral extension, adaptive hybrid transform,
 * transient pre-noise processing; exponents strategy D45 in block 0, reused after. Then auxiliary fill and
 * {@code crc2}. What fills an E-AC-3 hole in a live channel, as {@link SilentAc3Frame} does for AC-3.
 *
 * <p>Only an independent substream ({@code strmtyp} 0) as a whole sample: a sample that also carries dependent
 * substreams (7.1) gets no silence (null), since a silent frame would change the channel layout.
 * Stateless.
 *
 * <pre>{@code
 * ByteSlice silence = SilentEac3Frame.like(realSample);    // null if not supported
 * double duration90k = SilentEac3Frame.duration90k(realSample);
 * }</pre>
 */
public final class SilentEac3Frame {
  private static final int EXPSTR_D45 = 3;
  private static final int CHANNEL_GROUPS = (73 - 1 + 9) / 12; // chbwcod 0: endmant 73 (A/52 §7.1.3)
  private static final int LFE_GROUPS = 2;

  private SilentEac3Frame() {}

  /** A silent frame like {@code template} (one whole E-AC-3 independent frame), or null if unsupported. */
  public static ByteSlice like(ByteSlice template) {
    if (template.length() < 6 || template.byteAt(0) != 0x0B || template.byteAt(1) != 0x77) {
      return null;
    }
    int strmtyp = template.byteAt(2) >> 6;
    int frameBytes = (((template.byteAt(2) & 0x07) << 8 | template.byteAt(3)) + 1) * 2; // frmsiz (11)
    int bsid = template.byteAt(5) >> 3;
    if (strmtyp != 0 || bsid <= 10 || bsid > 16 || template.length() != frameBytes) {
      return null;
    }
    try {
      return ByteSlice.wrap(build(template.toByteArray(), frameBytes));
    } catch (MediaException e) {
      return null; // a bsi() longer than the frame: damaged
    }
  }

  /** The duration of {@code frame}'s samples (256 per block) in 90 kHz ticks; 0 if it is no E-AC-3 frame. */
  public static double duration90k(ByteSlice frame) {
    if (frame.length() < 5) {
      return 0;
    }
    int fscod = frame.byteAt(4) >> 6;
    int next = (frame.byteAt(4) >> 4) & 3; // fscod2 or numblkscod (2)
    int rate = Ac3SyncFrames.eac3SampleRate(fscod, next);
    int blocks = Ac3SyncFrames.eac3BlocksPerFrame(fscod, next);
    return rate == 0 ? 0 : 256.0 * blocks * 90_000 / rate;
  }

  private static byte[] build(byte[] t, int frameBytes) throws MediaException {
    BitCursor in = new BitCursor(t);
    BitWriter out = new BitWriter(frameBytes);
    out.copy(in, 16); // syncword (16)
    int strmtyp = out.copy(in, 2); // strmtyp (2)
    out.copy(in, 3); // substreamid (3)
    out.copy(in, 11); // frmsiz (11)
    int fscod = out.copy(in, 2); // fscod (2)
    int fscod2OrNumblkscod = out.copy(in, 2); // fscod2 or numblkscod (2)
    int numblkscod = fscod == 3 ? 3 : fscod2OrNumblkscod;
    int blocks = Ac3SyncFrames.eac3BlocksPerFrame(fscod, fscod2OrNumblkscod);
    int acmod = out.copy(in, 3); // acmod (3)
    boolean lfe = out.copy(in, 1) == 1; // lfeon (1)
    out.copy(in, 5); // bsid (5)
    copyBsiRest(in, out, strmtyp, numblkscod, blocks, fscod, acmod, lfe);
    int channels = Ac3SyncFrames.fullBandwidthChannels(acmod);
    writeAudioFrame(out, numblkscod, blocks, acmod, channels, lfe);
    for (int block = 0; block < blocks; block++) {
      silentBlock(out, block == 0, acmod, channels, lfe);
    }
    if (out.bitPosition() > frameBytes * 8 - 18) { // auxdatae (1), encinfo/crcrsv (1), crc2 (16)
      throw MediaException.malformed("E-AC-3 frame too small for silence");
    }
    byte[] frame = out.bytes();
    int crc2 = SilentAc3Frame.crc16(frame, 2, frameBytes - 2, 0);
    frame[frameBytes - 2] = (byte) (crc2 >> 8);
    frame[frameBytes - 1] = (byte) crc2;
    return frame;
  }

  /** bsi() from dialnorm on (A/52 §E.1.2.2), copied. */
  private static void copyBsiRest(BitCursor in, BitWriter out, int strmtyp, int numblkscod, int blocks, int fscod,
      int acmod, boolean lfe) throws MediaException {
    for (int pass = 0; pass < (acmod == 0 ? 2 : 1); pass++) { // dual mono: dialnorm2, compr2e
      out.copy(in, 5); // dialnorm (5)
      if (out.copy(in, 1) == 1) { // compre (1)
        out.copy(in, 8); // compr (8)
      }
    }
    if (strmtyp == 1 && out.copy(in, 1) == 1) { // chanmape (1)
      out.copy(in, 16); // chanmap (16)
    }
    if (out.copy(in, 1) == 1) { // mixmdate (1)
      if (acmod > 2) {
        out.copy(in, 2); // dmixmod (2)
      }
      if ((acmod & 1) != 0 && acmod > 2) {
        out.copy(in, 6); // ltrtcmixlev (3), lorocmixlev (3)
      }
      if ((acmod & 4) != 0) {
        out.copy(in, 6); // ltrtsurmixlev (3), lorosurmixlev (3)
      }
      if (lfe && out.copy(in, 1) == 1) { // lfemixlevcode (1)
        out.copy(in, 5); // lfemixlevcod (5)
      }
      if (strmtyp == 0) {
        if (out.copy(in, 1) == 1) { // pgmscle (1)
          out.copy(in, 6); // pgmscl (6)
        }
        if (acmod == 0 && out.copy(in, 1) == 1) { // pgmscl2e (1)
          out.copy(in, 6); // pgmscl2 (6)
        }
        if (out.copy(in, 1) == 1) { // extpgmscle (1)
          out.copy(in, 6); // extpgmscl (6)
        }
        int mixdef = out.copy(in, 2); // mixdef (2)
        if (mixdef == 1) {
          out.copy(in, 5); // premixcmpsel (1), drcsrc (1), premixcmpscl (3)
        } else if (mixdef == 2) {
          out.copy(in, 12); // mixdata (12)
        } else if (mixdef == 3) {
          int length = out.copy(in, 5); // mixdeflen (5)
          for (int i = 0; i < length + 2; i++) {
            out.copy(in, 8); // mixdata (8 × (mixdeflen + 2))
          }
        }
        if (acmod < 2) {
          if (out.copy(in, 1) == 1) { // paninfoe (1)
            out.copy(in, 14); // panmean (8), paninfo (6)
          }
          if (acmod == 0 && out.copy(in, 1) == 1) { // paninfo2e (1)
            out.copy(in, 14); // panmean2 (8), paninfo2 (6)
          }
        }
        if (out.copy(in, 1) == 1) { // frmmixcfginfoe (1)
          if (numblkscod == 0) {
            out.copy(in, 5); // blkmixcfginfo[0] (5)
          } else {
            for (int b = 0; b < blocks; b++) {
              if (out.copy(in, 1) == 1) { // blkmixcfginfoe (1)
                out.copy(in, 5); // blkmixcfginfo[blk] (5)
              }
            }
          }
        }
      }
    }
    if (out.copy(in, 1) == 1) { // infomdate (1)
      out.copy(in, 5); // bsmod (3), copyrightb (1), origbs (1)
      if (acmod == 2) {
        out.copy(in, 4); // dsurmod (2), dheadphonmod (2)
      }
      if (acmod >= 6) {
        out.copy(in, 2); // dsurexmod (2)
      }
      for (int pass = 0; pass < (acmod == 0 ? 2 : 1); pass++) {
        if (out.copy(in, 1) == 1) { // audprodie (1) / audprodi2e (1)
          out.copy(in, 8); // mixlevel (5), roomtyp (2), adconvtyp (1)
        }
      }
      if (fscod < 3) {
        out.copy(in, 1); // sourcefscod (1)
      }
    }
    if (strmtyp == 0 && numblkscod != 3) {
      out.copy(in, 1); // convsync (1)
    }
    if (strmtyp == 2) {
      int blkid = numblkscod == 3 ? 1 : out.copy(in, 1); // blkid (1)
      if (blkid == 1) {
        out.copy(in, 6); // frmsizecod (6)
      }
    }
    if (out.copy(in, 1) == 1) { // addbsie (1)
      int length = out.copy(in, 6); // addbsil (6)
      for (int i = 0; i <= length; i++) {
        out.copy(in, 8); // addbsi
      }
    }
  }

  /** audfrm() (A/52 §E.1.2.3) for silence: D45 exponents in block 0, frame-level SNR offsets of 0. */
  private static void writeAudioFrame(BitWriter b, int numblkscod, int blocks, int acmod, int channels,
      boolean lfe) {
    if (numblkscod == 3) {
      b.put(1, 1); // expstre (1): exponent strategies per block
      b.put(0, 1); // ahte (1): no adaptive hybrid transform
    }
    b.put(0, 2); // snroffststr (2) = 0: one SNR offset for the frame, below
    b.put(0, 1); // transproce (1)
    b.put(0, 1); // blkswe (1)
    b.put(1, 1); // dithflage (1): dithflag sent per block (else dither defaults on)
    b.put(0, 1); // bamode (1): default bit allocation parameters
    b.put(0, 1); // frmfgaincode (1): default fast gain
    b.put(0, 1); // dbaflde (1)
    b.put(0, 1); // skipflde (1)
    b.put(0, 1); // spxattene (1)
    if (acmod > 1) {
      b.put(0, 1); // cplinu[0] (1)
      for (int blk = 1; blk < blocks; blk++) {
        b.put(0, 1); // cplstre[blk] (1): coupling stays off
      }
    }
    for (int blk = 0; blk < blocks; blk++) {
      for (int ch = 0; ch < channels; ch++) {
        b.put(blk == 0 ? EXPSTR_D45 : 0, 2); // chexpstr[blk][ch] (2)
      }
    }
    if (lfe) {
      for (int blk = 0; blk < blocks; blk++) {
        b.put(blk == 0 ? 1 : 0, 1); // lfeexpstr[blk] (1)
      }
    }
    // strmtyp 0 (checked by like()): converter exponent strategies
    if (numblkscod != 3) {
      b.put(0, 1); // convexpstre (1)
    } else {
      for (int ch = 0; ch < channels; ch++) {
        b.put(0, 5); // convexpstr[ch] (5), implied present with six blocks
      }
    }
    b.put(0, 6); // frmcsnroffst (6) = 0 ...
    b.put(0, 4); // frmfsnroffst (4) = 0: every bap 0
    if (numblkscod != 0) {
      b.put(0, 1); // blkstrtinfoe (1)
    }
  }

  /** audblk() of silence (A/52 §E.1.2.4) under the audfrm() above. */
  private static void silentBlock(BitWriter b, boolean first, int acmod, int channels, boolean lfe) {
    b.put(0, channels); // dithflag[ch] (1 each): no dither, zero coefficients
    b.put(0, 1); // dynrnge (1)
    if (acmod == 0) {
      b.put(0, 1); // dynrng2e (1)
    }
    if (!first) {
      b.put(0, 1); // spxstre (1): implied 1 in block 0
    } else {
      b.put(0, 1); // spxinu (1)
    }
    if (acmod == 2) {
      if (!first) {
        b.put(0, 1); // rematstr (1): implied 1 in block 0
      } else {
        b.put(0, 4); // rematflg[rbnd] (1 each, 4 bands)
      }
    }
    if (first) {
      for (int ch = 0; ch < channels; ch++) {
        b.put(0, 6); // chbwcod[ch] (6)
      }
      for (int ch = 0; ch < channels; ch++) {
        SilentAc3Frame.silentExponents(b, CHANNEL_GROUPS);
        b.put(0, 2); // gainrng[ch] (2)
      }
      if (lfe) {
        SilentAc3Frame.silentExponents(b, LFE_GROUPS);
      }
    }
    b.put(0, 1); // convsnroffste (1), strmtyp 0
  }
}
