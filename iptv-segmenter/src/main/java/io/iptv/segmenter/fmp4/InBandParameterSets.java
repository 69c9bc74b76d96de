package io.iptv.segmenter.fmp4;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the parameter sets an H.264 or HEVC access unit carries in band (Annex B, ITU-T H.264 §B.1 / H.265
 * §B.2): SPS and PPS (H.264 nal_unit_type 7, 8), VPS, SPS and PPS (HEVC nal_unit_type 32..34), without start
 * codes, in stream order — the form of {@link io.iptv.core.media.TrackFormat#codecConfig()}. A new encoder
 * session (a slate, a restarted encoder) brings its own; an fMP4 rendition compares them with its init
 * segment's to know when it needs a new one. Stateless; thread-safe.
 *
 * <pre>{@code
 * List<ByteSlice> sets = InBandParameterSets.of(Codec.H264, idrAccessUnit);   // [SPS, PPS] or empty
 * }</pre>
 */
public final class InBandParameterSets {
  private InBandParameterSets() {}

  /**
   * The parameter sets in {@code accessUnit} (trailing zero bytes trimmed); empty for other codecs, payloads
   * that are not Annex B, or access units without any.
   */
  public static List<ByteSlice> of(Codec codec, ByteSlice accessUnit) {
    if (codec != Codec.H264 && codec != Codec.H265) {
      return List.of();
    }
    List<ByteSlice> out = new ArrayList<>();
    int n = accessUnit.length();
    int start = nextStartCode(accessUnit, 0, n);
    while (start >= 0) {
      int nalStart = start + 3;
      int next = nextStartCode(accessUnit, nalStart, n);
      int end = next < 0 ? n : next;
      while (end > nalStart && accessUnit.byteAt(end - 1) == 0) {
        end--; // the leading zero of a 4-byte start code, trailing_zero_8bits
      }
      if (end > nalStart && isParameterSet(codec, accessUnit.byteAt(nalStart))) {
        out.add(ByteSlice.wrap(accessUnit.slice(nalStart, end - nalStart).toByteArray()));
      }
      start = next;
    }
    return out;
  }

  private static boolean isParameterSet(Codec codec, int header) {
    if (codec == Codec.H264) {
      int type = header & 0x1F; // forbidden_zero_bit (1), nal_ref_idc (2), nal_unit_type (5)
      return type == 7 || type == 8;
    }
    int type = (header >> 1) & 0x3F; // forbidden_zero_bit (1), nal_unit_type (6)
    return type >= 32 && type <= 34;
  }

  /** Index of the next 00 00 01 in {@code [from, n)}, or -1. */
  private static int nextStartCode(ByteSlice b, int from, int n) {
    for (int i = from; i + 2 < n; i++) {
      if (b.byteAt(i + 2) == 1 && b.byteAt(i + 1) == 0 && b.byteAt(i) == 0) {
        return i;
      }
    }
    return -1;
  }
}
