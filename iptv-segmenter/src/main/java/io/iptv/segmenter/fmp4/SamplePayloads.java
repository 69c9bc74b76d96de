package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts sample payloads from elementary-stream form ({@link Codec}) to MP4 form, appending them to a
 * {@link BoxWriter}:
 * <ul>
 *   <li>H.264/HEVC: Annex B to 4-byte length-prefixed NAL units (ISO/IEC 14496-15 §4.3.2). Access unit
 *       delimiters are dropped (§5.3.2: they add nothing in MP4). Parameter sets (SPS, PPS, VPS) are dropped
 *       only when byte-identical to one in the sample entry ({@code avc1}/{@code hvc1} carry them there, as
 *       Apple requires for {@code hvc1}); a different in-band parameter set is kept, so a decoder still sees
 *       it (a packager gives a period with other parameter sets a new init segment as well, see
 *       {@code RenditionWriter#switchInit}; the in-band copy serves clients still on the old one). Trailing
 *       zero bytes of a NAL unit (part of the next 4-byte start code) are removed.</li>
 *   <li>AAC: the ADTS header (7 bytes, or 9 with CRC; ISO/IEC 13818-7 §6.2) is stripped, leaving the raw
 *       data block; a payload without an ADTS syncword is copied unchanged.</li>
 *   <li>AC-3, E-AC-3: sync frames are copied unchanged (ETSI TS 102 366 §F.2).</li>
 * </ul>
 * Not thread-safe (one per writer).
 */
final class SamplePayloads {
  private final Codec codec;
  private final List<ByteSlice> parameterSets = new ArrayList<>();

  SamplePayloads(TrackFormat format) {
    this.codec = format.codec();
    this.parameterSets.addAll(format.codecConfig());
  }

  /** Appends the MP4 form of {@code payload} to {@code out}; returns the number of bytes written. */
  int append(ByteSlice payload, BoxWriter out) throws MediaException {
    int before = out.position();
    switch (codec) {
      case H264, H265 -> appendNalUnits(payload, out);
      case AAC -> appendRawAac(payload, out);
      default -> out.bytes(payload);
    }
    return out.position() - before;
  }

  private void appendRawAac(ByteSlice p, BoxWriter out) {
    int n = p.length();
    if (n >= 7 && p.byteAt(0) == 0xFF && (p.byteAt(1) & 0xF6) == 0xF0) { // syncword (12), layer (2) = 0
      int header = (p.byteAt(1) & 1) != 0 ? 7 : 9; // protection_absent (1): no crc_check (16)
      if (n >= header) {
        out.bytes(p.slice(header, n - header));
        return;
      }
    }
    out.bytes(p);
  }

  private void appendNalUnits(ByteSlice p, BoxWriter out) {
    // Searched in place, eight bytes at a time; each NAL unit is copied once, into the output.
    int n = p.length();
    int start = p.indexOfStartCode(0);
    if (start < 0) { // not Annex B: treat the payload as one NAL unit
      writeNal(p, 0, n, out);
      return;
    }
    int nalStart = start + 3;
    while (nalStart < n) {
      int next = p.indexOfStartCode(nalStart);
      int end = next < 0 ? n : next;
      int trimmed = end;
      while (trimmed > nalStart && p.byteAt(trimmed - 1) == 0) {
        trimmed--;
      }
      if (trimmed > nalStart) {
        writeNal(p, nalStart, trimmed, out);
      }
      if (next < 0) {
        break;
      }
      nalStart = next + 3;
    }
  }

  private void writeNal(ByteSlice p, int from, int to, BoxWriter out) {
    int header = p.byteAt(from);
    int type = codec == Codec.H264 ? header & 0x1F : (header >> 1) & 0x3F;
    boolean aud = codec == Codec.H264 ? type == 9 : type == 35; // access_unit_delimiter_rbsp
    boolean parameterSet = codec == Codec.H264 ? type == 7 || type == 8 : type >= 32 && type <= 34;
    if (aud || (parameterSet && parameterSets.contains(p.slice(from, to - from)))) {
      return;
    }
    out.u32(to - from).bytes(p, from, to - from);
  }
}
