package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.StartCodes;
import io.iptv.core.media.Codec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes H.264 and HEVC access units in Annex B form self-contained for MPEG-TS/HLS and appends them to a
 * PES packet: it inserts an access unit delimiter when the access unit does not start with one (H.264
 * §7.3.2.4 / HEVC §7.3.2.5, required in TS by ISO/IEC 13818-1 §2.14.1 and §2.17.1), and before every
 * keyframe it inserts the parameter sets (HEVC VPS, SPS, PPS; H.264 SPS, PPS) of the track's
 * {@code codecConfig} whose NAL unit type the access unit lacks.
 *
 * <p>Access units that already carry an AUD and their parameter sets are copied unchanged, so the
 * rewriting is idempotent and lossless for such input (what a demuxer produces from a normal TS): the
 * {@code demux(mux(x)) == x} property holds for them. Inserted NAL units use 4-byte start codes and go after
 * the leading AUD/parameter-set NAL units, before SEI and slices. Access units that do not start with a
 * start code are copied unchanged.
 *
 * <p>Not thread-safe; one per video track (it keeps a scratch array of NAL unit positions).
 *
 * <pre>{@code
 * AccessUnitRewriter rewriter = new AccessUnitRewriter(Codec.H264, format.codecConfig());
 * rewriter.append(sample.data(), sample.keyframe(), pes);
 * }</pre>
 */
final class AccessUnitRewriter {
  private static final byte[] START_CODE = {0, 0, 0, 1};
  /** H.264 AUD: nal_unit_type 9, primary_pic_type (3) = 7 (any slice type), rbsp_stop_one_bit. */
  private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
  /**
   * HEVC AUD: forbidden_zero_bit 0, nal_unit_type (6) = 35, nuh_layer_id (6) = 0,
   * nuh_temporal_id_plus1 (3) = 1; pic_type (3) = 2 (I, P or B slices), rbsp_stop_one_bit.
   */
  private static final byte[] HEVC_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};
  private static final int H264_NAL_SPS = 7;
  private static final int H264_NAL_PPS = 8;
  private static final int H264_NAL_AUD = 9;
  private static final int HEVC_NAL_VPS = 32;
  private static final int HEVC_NAL_SPS = 33;
  private static final int HEVC_NAL_PPS = 34;
  private static final int HEVC_NAL_AUD = 35;

  private final boolean hevc;
  /** Parameter sets of codecConfig, without start codes, in config order. */
  private final List<ByteSlice> parameterSets;
  private final int[] parameterSetTypes;
  /** Start of each NAL unit's start code (first byte of the 00 00 01 or the zero_byte before it). */
  private int[] startCodeStarts = new int[64];
  /** First byte after each start code. */
  private int[] nalStarts = new int[64];
  /** Reused copy of a keyframe for {@link #findAllNalUnits} (grows to the largest keyframe). */
  private byte[] scratch = new byte[0];

  /**
   * Creates a rewriter.
   *
   * @param codec {@link Codec#H264} or {@link Codec#H265}
   * @param codecConfig the track's parameter sets (see {@link io.iptv.core.media.TrackFormat#codecConfig()})
   */
  AccessUnitRewriter(Codec codec, List<ByteSlice> codecConfig) {
    if (codec != Codec.H264 && codec != Codec.H265) {
      throw new IllegalArgumentException("not an Annex B video codec: " + codec);
    }
    this.hevc = codec == Codec.H265;
    List<ByteSlice> sets = new ArrayList<>();
    for (ByteSlice nal : codecConfig) {
      ByteSlice bare = stripStartCode(nal);
      if (bare.length() > 0 && isParameterSet(nalType(bare.byteAt(0)))) {
        sets.add(bare);
      }
    }
    this.parameterSets = List.copyOf(sets);
    this.parameterSetTypes = new int[sets.size()];
    for (int i = 0; i < sets.size(); i++) {
      parameterSetTypes[i] = nalType(sets.get(i).byteAt(0));
    }
  }

  /** Appends {@code accessUnit}, with an AUD and parameter sets inserted where missing, to {@code pes}. */
  void append(ByteSlice accessUnit, boolean keyframe, PesPacketizer pes) {
    // Only keyframes get parameter sets, which needs every NAL unit's type; others need the first only.
    boolean insertSets = keyframe && !parameterSets.isEmpty();
    int count = findNalUnits(accessUnit, insertSets ? Integer.MAX_VALUE : 1);
    if (count == 0 || !onlyZerosBefore(accessUnit, startCodeStarts[0])) {
      pes.append(accessUnit);
      return;
    }
    int firstType = nalType(accessUnit.byteAt(nalStarts[0]));
    if (firstType != audType()) {
      byte[] aud = hevc ? HEVC_AUD : H264_AUD;
      pes.append(aud, 0, aud.length);
    }
    if (!insertSets) {
      pes.append(accessUnit);
      return;
    }
    // Insert after the leading run of AUD and parameter-set NAL units.
    int leading = 0;
    while (leading < count) {
      int type = nalType(accessUnit.byteAt(nalStarts[leading]));
      if (type != audType() && !isParameterSet(type)) {
        break;
      }
      leading++;
    }
    int insertAt = leading < count ? startCodeStarts[leading] : accessUnit.length();
    pes.append(accessUnit, 0, insertAt);
    for (int i = 0; i < parameterSets.size(); i++) {
      if (!contains(accessUnit, count, parameterSetTypes[i])) {
        pes.append(START_CODE, 0, START_CODE.length);
        pes.append(parameterSets.get(i));
      }
    }
    pes.append(accessUnit, insertAt, accessUnit.length() - insertAt);
  }

  private boolean contains(ByteSlice accessUnit, int count, int type) {
    for (int i = 0; i < count; i++) {
      if (nalStarts[i] < accessUnit.length() && nalType(accessUnit.byteAt(nalStarts[i])) == type) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records the positions of the first {@code limit} start codes; returns how many NAL units follow one.
   *
   * <p>A whole keyframe (every NAL unit's type is needed there) is copied into a reused array and searched
   * eight bytes at a time ({@link StartCodes#next}); otherwise the search skips ahead three bytes at every byte
   * above 1 (as ffmpeg's {@code ff_avc_find_startcode}): the {@code 01} of a start code needs the two bytes
   * before it to be zero, so a byte above 1 at {@code i} rules out a start code ending at {@code i},
   * {@code i + 1} or {@code i + 2}. Both record every {@code 00 00 01} followed by at least one byte.
   */
  int findNalUnits(ByteSlice data, int limit) {
    if (limit > 1) {
      return findAllNalUnits(data, limit);
    }
    int count = 0;
    int n = data.length();
    int i = 2;
    while (i < n && count < limit) {
      int b = data.byteAt(i);
      if (b == 0) {
        i++;
        continue;
      }
      if (b == 1 && data.byteAt(i - 1) == 0 && data.byteAt(i - 2) == 0 && i + 1 < n) {
        // A fourth zero before the 00 00 01 belongs to the start code (zero_byte, H.264 §B.1.1).
        record(count, i >= 3 && data.byteAt(i - 3) == 0 ? i - 3 : i - 2, i + 1);
        count++;
      }
      i += 3;
    }
    return count;
  }

  /** {@link #findNalUnits} over a copy of {@code data}, eight bytes at a time. */
  private int findAllNalUnits(ByteSlice data, int limit) {
    int n = data.length();
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, scratch.length * 2)];
    }
    byte[] b = scratch;
    data.copyTo(b, 0);
    int count = 0;
    int at = StartCodes.next(b, 0, n);
    while (at >= 0 && count < limit) {
      int one = at + 2; // the 01
      if (one + 1 >= n) {
        break; // a start code that ends the data starts no NAL unit
      }
      // A fourth zero before the 00 00 01 belongs to the start code (zero_byte, H.264 §B.1.1).
      record(count, at >= 1 && b[at - 1] == 0 ? at - 1 : at, one + 1);
      count++;
      at = StartCodes.next(b, one + 1, n);
    }
    return count;
  }

  private void record(int index, int startCodeStart, int nalStart) {
    if (index == nalStarts.length) {
      nalStarts = Arrays.copyOf(nalStarts, index * 2);
      startCodeStarts = Arrays.copyOf(startCodeStarts, index * 2);
    }
    startCodeStarts[index] = startCodeStart;
    nalStarts[index] = nalStart;
  }

  /** Start of the {@code index}th start code found by the last {@link #findNalUnits} (tests). */
  int startCodeStart(int index) {
    return startCodeStarts[index];
  }

  /** First byte after the {@code index}th start code found by the last {@link #findNalUnits} (tests). */
  int nalStart(int index) {
    return nalStarts[index];
  }

  private static boolean onlyZerosBefore(ByteSlice data, int end) {
    for (int i = 0; i < end; i++) {
      if (data.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private int nalType(int firstHeaderByte) {
    return hevc ? (firstHeaderByte >> 1) & 0x3F : firstHeaderByte & 0x1F;
  }

  private int audType() {
    return hevc ? HEVC_NAL_AUD : H264_NAL_AUD;
  }

  private boolean isParameterSet(int type) {
    return hevc
        ? type == HEVC_NAL_VPS || type == HEVC_NAL_SPS || type == HEVC_NAL_PPS
        : type == H264_NAL_SPS || type == H264_NAL_PPS;
  }

  private static ByteSlice stripStartCode(ByteSlice nal) {
    int i = 0;
    while (i < nal.length() && nal.byteAt(i) == 0) {
      i++;
    }
    if (i >= 2 && i < nal.length() && nal.byteAt(i) == 1) {
      return nal.slice(i + 1, nal.length() - i - 1);
    }
    return nal;
  }
}
