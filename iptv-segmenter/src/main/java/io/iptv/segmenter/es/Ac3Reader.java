package io.iptv.segmenter.es;

import io.iptv.core.codec.Ac3SyncFrames;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;

/**
 * Reads AC-3 and E-AC-3 (ATSC A/52 §5.4 and Annex E; stream_type 0x81/0x87 or private data with an AC-3
 * descriptor) into one sample per syncframe; an E-AC-3 dependent substream frame (strmtyp 1) joins the
 * sample of the independent frame before it, as FFmpeg's AC-3 parser combines them. An AC-3 frame lasts
 * 1536 samples, an E-AC-3 frame 256 × blocks (numblkscod).
 *
 * <p>Format: codec AC3 or EAC3 as the bitstream says (bsid ≤ 10 or 11..16), sample rate, channels
 * (acmod table + lfeon, of the independent substream), codec string {@code ac-3} / {@code ec-3}. Not
 * thread-safe.
 */
final class Ac3Reader extends SyncFrameReader {
  private final boolean expectEac3;
  private int formatKey = -1;
  private int lastKey;
  private TrackFormat cached;

  Ac3Reader(EsInfo info) {
    super(info);
    this.expectEac3 = info.codec() == Codec.EAC3;
  }

  @Override
  int headerBytes() {
    return 8;
  }

  @Override
  boolean holdsFrames() {
    return expectEac3;
  }

  @Override
  boolean parseHeader(byte[] d, int o, FrameHeader header) {
    if ((d[o] & 0xFF) != 0x0B || (d[o + 1] & 0xFF) != 0x77) { // syncword (16)
      return false;
    }
    int bsid = (d[o + 5] & 0xFF) >> 3; // bsid (5), at the same place in both syntaxes
    if (bsid <= 10) {
      return parseAc3(d, o, bsid, header);
    }
    if (bsid <= 16) {
      return parseEac3(d, o, header);
    }
    return false;
  }

  private boolean parseAc3(byte[] d, int o, int bsid, FrameHeader header) {
    // syncinfo(): crc1 (16), fscod (2), frmsizecod (6)
    int fscod = (d[o + 4] & 0xFF) >> 6;
    int frmsizecod = d[o + 4] & 0x3F;
    int frameBytes = Ac3SyncFrames.frameBytes(fscod, frmsizecod);
    if (frameBytes == 0) {
      return false; // reserved fscod or frmsizecod
    }
    // bsi(): bsid (5), bsmod (3), acmod (3), [cmixlev (2)], [surmixlev (2)], [dsurmod (2)], lfeon (1)
    int acmod = (d[o + 6] & 0xFF) >> 5;
    int bit = 3;
    if ((acmod & 1) != 0 && acmod != 1) {
      bit += 2;
    }
    if ((acmod & 4) != 0) {
      bit += 2;
    }
    if (acmod == 2) {
      bit += 2;
    }
    int lfeon = ((((d[o + 6] & 0xFF) << 8) | (d[o + 7] & 0xFF)) >> (15 - bit)) & 1;
    header.frameBytes = frameBytes;
    header.samples = Ac3SyncFrames.AC3_SAMPLES_PER_FRAME;
    header.sampleRate = Ac3SyncFrames.sampleRate(fscod) >> Math.max(0, bsid - 8); // bsid 9/10: half/quarter rate
    header.joinsPrevious = false;
    lastKey = (fscod << 8) | (acmod << 4) | (lfeon << 3) | Math.min(7, Math.max(0, bsid - 8));
    return true;
  }

  private boolean parseEac3(byte[] d, int o, FrameHeader header) {
    // bsi(): strmtyp (2), substreamid (3), frmsiz (11), fscod (2), fscod2/numblkscod (2), acmod (3), lfeon (1)
    int strmtyp = (d[o + 2] & 0xFF) >> 6;
    int frmsiz = ((d[o + 2] & 0x07) << 8) | (d[o + 3] & 0xFF);
    int fscod = (d[o + 4] & 0xFF) >> 6;
    int fscod2OrBlocks = ((d[o + 4] & 0xFF) >> 4) & 0x03;
    int acmod = ((d[o + 4] & 0xFF) >> 1) & 0x07;
    int lfeon = d[o + 4] & 0x01;
    if (strmtyp == 3) {
      return false; // reserved
    }
    int sampleRate = Ac3SyncFrames.eac3SampleRate(fscod, fscod2OrBlocks);
    if (sampleRate == 0) {
      return false; // reserved fscod2
    }
    header.frameBytes = (frmsiz + 1) * 2;
    header.samples = 256 * Ac3SyncFrames.eac3BlocksPerFrame(fscod, fscod2OrBlocks);
    header.sampleRate = sampleRate;
    header.joinsPrevious = strmtyp == 1; // dependent substream
    if (!header.joinsPrevious) {
      lastKey = 0x10000 | (fscod << 10) | (fscod2OrBlocks << 8) | (acmod << 4) | (lfeon << 3);
    }
    return true;
  }

  @Override
  TrackFormat formatOfLastHeader() {
    if (lastKey != formatKey) {
      formatKey = lastKey;
      boolean eac3 = (lastKey & 0x10000) != 0;
      int acmod = (lastKey >> 4) & 0x07;
      int lfeon = (lastKey >> 3) & 1;
      int sampleRate;
      if (eac3) {
        int fscod = (lastKey >> 10) & 3;
        sampleRate = Ac3SyncFrames.eac3SampleRate(fscod, (lastKey >> 8) & 3);
      } else {
        sampleRate = Ac3SyncFrames.sampleRate((lastKey >> 8) & 3) >> (lastKey & 7);
      }
      cached = TrackFormat.builder(info.pid(), eac3 ? Codec.EAC3 : Codec.AC3)
          .codecString(eac3 ? "ec-3" : "ac-3")
          .sampleRate(sampleRate)
          .channels(Ac3SyncFrames.fullBandwidthChannels(acmod) + lfeon)
          .language(info.language())
          .build();
    }
    return cached;
  }
}
