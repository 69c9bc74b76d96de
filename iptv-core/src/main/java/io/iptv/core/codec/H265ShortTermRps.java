package io.iptv.core.codec;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import java.util.Arrays;

/**
 * An HEVC short-term reference picture set (ITU-T H.265 §7.3.7 {@code st_ref_pic_set()}, semantics §7.4.8): the
 * picture order count deltas of the pictures before (S0) and after (S1) the current one and whether it may use
 * each. Read in an SPS ({@link H265Sps#shortTermRps()}) and in slice segment headers. Immutable once read (the
 * arrays are not exposed for writing by this library; do not modify them).
 *
 * <pre>{@code
 * H265ShortTermRps[] sets = new H265ShortTermRps[count];
 * for (int i = 0; i < count; i++) {
 *   sets[i] = H265ShortTermRps.read(bits, i, count, sets);
 * }
 * }</pre>
 *
 * @param deltaPocS0 DeltaPocS0, negative, closest first
 * @param usedS0 UsedByCurrPicS0
 * @param deltaPocS1 DeltaPocS1, positive, closest first
 * @param usedS1 UsedByCurrPicS1
 */
public record H265ShortTermRps(int[] deltaPocS0, boolean[] usedS0, int[] deltaPocS1, boolean[] usedS1) {
  /** Most pictures in either half of a set (sps_max_dec_pic_buffering_minus1 is at most 15, §A.4.2). */
  public static final int MAX_PICTURES = 16;

  /** NumDeltaPocs (7-71). */
  public int numDeltaPocs() {
    return deltaPocS0.length + deltaPocS1.length;
  }

  /** The pictures of this set the current picture may reference (its part of NumPicTotalCurr, 7-55). */
  public int usedByCurrPic() {
    int n = 0;
    for (boolean used : usedS0) {
      n += used ? 1 : 0;
    }
    for (boolean used : usedS1) {
      n += used ? 1 : 0;
    }
    return n;
  }

  /**
   * Reads st_ref_pic_set(stRpsIdx) (§7.3.7) and derives its pictures (§7.4.8, 7-61 to 7-64).
   *
   * @param index stRpsIdx: below {@code count} in an SPS, {@code count} in a slice header
   * @param count num_short_term_ref_pic_sets
   * @param sets the SPS's sets 0..index-1 (those of the SPS when called for a slice header)
   */
  public static H265ShortTermRps read(BitCursor bits, int index, int count, H265ShortTermRps[] sets)
      throws MediaException {
    if (index != 0 && bits.readBit()) { // inter_ref_pic_set_prediction_flag
      int deltaIdx = 1;
      if (index == count) {
        deltaIdx = bits.readUnsignedExpGolomb() + 1; // delta_idx_minus1
        if (deltaIdx > index) {
          throw MediaException.malformed("delta_idx_minus1 " + (deltaIdx - 1) + " for st_ref_pic_set " + index);
        }
      }
      H265ShortTermRps ref = sets[index - deltaIdx]; // RefRpsIdx (7-59)
      boolean sign = bits.readBit(); // delta_rps_sign
      int deltaRps = (sign ? -1 : 1) * (bits.readUnsignedExpGolomb() + 1); // abs_delta_rps_minus1 (7-60)
      int refCount = ref.numDeltaPocs();
      boolean[] used = new boolean[refCount + 1];
      boolean[] useDelta = new boolean[refCount + 1];
      for (int j = 0; j <= refCount; j++) {
        used[j] = bits.readBit(); // used_by_curr_pic_flag[j]
        useDelta[j] = used[j] || bits.readBit(); // use_delta_flag[j] (inferred 1 when absent)
      }
      return predict(ref, deltaRps, used, useDelta);
    }
    int negative = bits.readUnsignedExpGolomb(); // num_negative_pics
    int positive = bits.readUnsignedExpGolomb(); // num_positive_pics
    if (negative > MAX_PICTURES || positive > MAX_PICTURES) {
      throw MediaException.malformed("st_ref_pic_set with " + negative + "+" + positive + " pictures");
    }
    int[] deltaS0 = new int[negative];
    boolean[] usedS0 = new boolean[negative];
    int poc = 0;
    for (int i = 0; i < negative; i++) {
      poc -= bits.readUnsignedExpGolomb() + 1; // delta_poc_s0_minus1[i] (7-67)
      deltaS0[i] = poc;
      usedS0[i] = bits.readBit(); // used_by_curr_pic_s0_flag[i]
    }
    int[] deltaS1 = new int[positive];
    boolean[] usedS1 = new boolean[positive];
    poc = 0;
    for (int i = 0; i < positive; i++) {
      poc += bits.readUnsignedExpGolomb() + 1; // delta_poc_s1_minus1[i] (7-68)
      deltaS1[i] = poc;
      usedS1[i] = bits.readBit(); // used_by_curr_pic_s1_flag[i]
    }
    return new H265ShortTermRps(deltaS0, usedS0, deltaS1, usedS1);
  }

  /** Inter RPS prediction (§7.4.8, 7-61 and 7-62): the set predicted from {@code ref} and deltaRps. */
  private static H265ShortTermRps predict(H265ShortTermRps ref, int deltaRps, boolean[] used, boolean[] useDelta)
      throws MediaException {
    int refNegative = ref.deltaPocS0().length;
    int refPositive = ref.deltaPocS1().length;
    int refCount = refNegative + refPositive;
    int[] d0 = new int[refCount + 1];
    boolean[] u0 = new boolean[refCount + 1];
    int i = 0;
    for (int j = refPositive - 1; j >= 0; j--) {
      int dPoc = ref.deltaPocS1()[j] + deltaRps;
      if (dPoc < 0 && useDelta[refNegative + j]) {
        d0[i] = dPoc;
        u0[i++] = used[refNegative + j];
      }
    }
    if (deltaRps < 0 && useDelta[refCount]) {
      d0[i] = deltaRps;
      u0[i++] = used[refCount];
    }
    for (int j = 0; j < refNegative; j++) {
      int dPoc = ref.deltaPocS0()[j] + deltaRps;
      if (dPoc < 0 && useDelta[j]) {
        d0[i] = dPoc;
        u0[i++] = used[j];
      }
    }
    int negative = i;
    int[] d1 = new int[refCount + 1];
    boolean[] u1 = new boolean[refCount + 1];
    i = 0;
    for (int j = refNegative - 1; j >= 0; j--) {
      int dPoc = ref.deltaPocS0()[j] + deltaRps;
      if (dPoc > 0 && useDelta[j]) {
        d1[i] = dPoc;
        u1[i++] = used[j];
      }
    }
    if (deltaRps > 0 && useDelta[refCount]) {
      d1[i] = deltaRps;
      u1[i++] = used[refCount];
    }
    for (int j = 0; j < refPositive; j++) {
      int dPoc = ref.deltaPocS1()[j] + deltaRps;
      if (dPoc > 0 && useDelta[refNegative + j]) {
        d1[i] = dPoc;
        u1[i++] = used[refNegative + j];
      }
    }
    int positive = i;
    if (negative > MAX_PICTURES || positive > MAX_PICTURES) {
      throw MediaException.malformed("predicted st_ref_pic_set with " + negative + "+" + positive + " pictures");
    }
    return new H265ShortTermRps(Arrays.copyOf(d0, negative), Arrays.copyOf(u0, negative),
        Arrays.copyOf(d1, positive), Arrays.copyOf(u1, positive));
  }
}
