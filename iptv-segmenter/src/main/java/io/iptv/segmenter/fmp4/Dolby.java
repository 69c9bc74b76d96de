package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.codec.Ac3SyncFrames;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.ByteSlice;

/**
 * Builds the Dolby decoder-specific boxes from one sync frame: {@code dac3} (AC3SpecificBox, ETSI TS 102 366
 * §F.4) and {@code dec3} (EC3SpecificBox, §F.6). Stateless.
 *
 * <pre>{@code
 * byte[] ec3Specific = Dolby.ec3SpecificBoxPayload(eac3SyncFrame); // e.g. SAMPLE-AES audio setup data
 * }</pre>
 */
public final class Dolby {

  private Dolby() {}

  /** Writes {@code dac3} for the AC-3 sync frame {@code frame}. */
  static void writeDac3(BoxWriter w, ByteSlice frame) throws MediaException {
    BitCursor b = cursor(frame, 8);
    b.skipBits(16); // syncword (16)
    b.skipBits(16); // crc1 (16)
    int fscod = b.readBits(2); // fscod (2)
    int frmsizecod = b.readBits(6); // frmsizecod (6)
    int bsid = b.readBits(5); // bsid (5)
    int bsmod = b.readBits(3); // bsmod (3)
    int acmod = b.readBits(3); // acmod (3)
    if ((acmod & 1) != 0 && acmod != 1) {
      b.skipBits(2); // cmixlev (2)
    }
    if ((acmod & 4) != 0) {
      b.skipBits(2); // surmixlev (2)
    }
    if (acmod == 2) {
      b.skipBits(2); // dsurmod (2)
    }
    int lfeon = b.readBits(1); // lfeon (1)
    int v = fscod << 22 | bsid << 17 | bsmod << 14 | acmod << 11 | lfeon << 10 | (frmsizecod >> 1) << 5;
    w.start("dac3").u24(v).end(); // fscod(2) bsid(5) bsmod(3) acmod(3) lfeon(1) bit_rate_code(5) reserved(5)
  }

  /** Writes {@code dec3} for the E-AC-3 sync frame {@code frame} (one independent substream, no dependents). */
  static void writeDec3(BoxWriter w, ByteSlice frame) throws MediaException {
    BitCursor b = cursor(frame, 8);
    b.skipBits(16); // syncword (16)
    b.skipBits(2); // strmtyp (2)
    b.skipBits(3); // substreamid (3)
    int frmsiz = b.readBits(11); // frmsiz (11)
    int fscod = b.readBits(2); // fscod (2)
    int blocks = 6;
    int sampleRate;
    if (fscod == 3) {
      int fscod2 = b.readBits(2); // fscod2 (2)
      sampleRate = Ac3SyncFrames.sampleRate(Math.min(fscod2, 2)) / 2;
    } else {
      blocks = Ac3SyncFrames.eac3Blocks(b.readBits(2)); // numblkscod (2)
      sampleRate = Ac3SyncFrames.sampleRate(fscod);
    }
    int acmod = b.readBits(3); // acmod (3)
    int lfeon = b.readBits(1); // lfeon (1)
    int bsid = b.readBits(5); // bsid (5)
    long frameBytes = (frmsiz + 1L) * 2;
    int dataRateKbps = (int) (frameBytes * 8 * sampleRate / (blocks * 256L) / 1000);
    w.start("dec3");
    w.u16(Math.min(dataRateKbps, 0x1FFF) << 3); // data_rate (13), num_ind_sub (3) = 0: one substream
    // fscod(2) bsid(5) reserved(1) asvc(1) bsmod(3) acmod(3) lfeon(1) reserved(3) num_dep_sub(4) reserved(1)
    w.u8((fscod == 3 ? 3 : fscod) << 6 | bsid << 1);
    w.u8(acmod << 1 | lfeon);
    w.u8(0);
    w.end();
  }

  /**
   * The payload of the {@code dec3} box (without its 8-byte box header) for the E-AC-3 sync frame {@code frame}:
   * the EC3SpecificBox fields, as Apple's SAMPLE-AES audio setup information carries them.
   */
  public static byte[] ec3SpecificBoxPayload(ByteSlice frame) throws MediaException {
    BoxWriter w = new BoxWriter(32);
    writeDec3(w, frame);
    byte[] box = w.toByteArray();
    return java.util.Arrays.copyOfRange(box, 8, box.length);
  }

  /** Samples per E-AC-3 frame (256 per audio block) from its header; 1536 when unreadable. */
  static long eac3SamplesPerFrame(ByteSlice frame) {
    if (frame.length() < 5) {
      return 1536;
    }
    int fscod = frame.byteAt(4) >>> 6;
    int numblkscod = (frame.byteAt(4) >>> 4) & 3;
    return 256L * Ac3SyncFrames.eac3BlocksPerFrame(fscod, numblkscod);
  }

  private static BitCursor cursor(ByteSlice frame, int needed) throws MediaException {
    if (frame == null || frame.length() < needed || frame.byteAt(0) != 0x0B || frame.byteAt(1) != 0x77) {
      throw MediaException.malformed("no Dolby sync frame to build the decoder configuration from");
    }
    byte[] head = new byte[Math.min(frame.length(), 32)];
    frame.slice(0, head.length).copyTo(head, 0);
    return new BitCursor(head);
  }
}
