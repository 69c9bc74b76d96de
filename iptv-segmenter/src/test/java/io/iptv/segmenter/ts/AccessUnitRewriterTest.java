package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessUnitRewriterTest {
  private static final byte[] SC = {0, 0, 0, 1};
  private static final byte[] H264_AUD = {0x09, (byte) 0xF0};
  private static final byte[] SPS = {0x67, 0x64, 0x00, 0x1F};
  private static final byte[] PPS = {0x68, (byte) 0xEE, 0x3C};
  private static final byte[] IDR = {0x65, (byte) 0x88, 0x11, 0x22};
  private static final byte[] NON_IDR = {0x41, (byte) 0x9A, 0x33};
  private static final byte[] SEI = {0x06, 0x05, 0x01, 0x00};

  private final AccessUnitRewriter h264 = new AccessUnitRewriter(Codec.H264,
      List.of(ByteSlice.copyOf(SPS), ByteSlice.copyOf(join(SC, PPS))));

  /** The skipping start-code scan finds exactly what a byte-by-byte scan finds, on zero-heavy random data. */
  @Test
  void startCodeScanMatchesByteByByteScan() {
    java.util.Random random = new java.util.Random(7);
    for (int run = 0; run < 20_000; run++) {
      byte[] data = new byte[random.nextInt(40)];
      for (int i = 0; i < data.length; i++) {
        int r = random.nextInt(10);
        data[i] = (byte) (r < 5 ? 0 : r < 8 ? 1 : random.nextInt(256));
      }
      int limit = random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(3);
      List<int[]> expected = naiveStartCodes(data, limit);
      int count = h264.findNalUnits(ByteSlice.wrap(data), limit);
      String where = Arrays.toString(data) + " limit " + limit;
      org.junit.jupiter.api.Assertions.assertEquals(expected.size(), count, where);
      for (int i = 0; i < count; i++) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.get(i)[0], h264.startCodeStart(i), where);
        org.junit.jupiter.api.Assertions.assertEquals(expected.get(i)[1], h264.nalStart(i), where);
      }
    }
  }

  /** {start code start, NAL start} of each 00 00 01 (with up to one more leading zero) followed by a byte. */
  private static List<int[]> naiveStartCodes(byte[] data, int limit) {
    List<int[]> found = new java.util.ArrayList<>();
    int zeros = 0;
    for (int i = 0; i < data.length && found.size() < limit; i++) {
      if (data[i] == 0) {
        zeros++;
        continue;
      }
      if (data[i] == 1 && zeros >= 2 && i + 1 < data.length) {
        found.add(new int[] {i - Math.min(zeros, 3), i + 1});
      }
      zeros = 0;
    }
    return found;
  }

  /**
   * Keyframes stop being scanned once the insertion point and all parameter-set types are known: the output must
   * be what a scan of every NAL unit gives, whatever the order of the NAL units (parameter sets late, repeated,
   * missing).
   */
  @Test
  void keyframeOutputEqualsThatOfAFullScan() {
    byte[][] nals = {H264_AUD, SPS, PPS, SEI, IDR, NON_IDR};
    java.util.Random random = new java.util.Random(13);
    for (int run = 0; run < 5_000; run++) {
      ByteArrayOutputStream au = new ByteArrayOutputStream();
      int count = 1 + random.nextInt(7);
      for (int i = 0; i < count; i++) {
        au.writeBytes(random.nextBoolean() ? SC : new byte[] {0, 0, 1});
        au.writeBytes(nals[random.nextInt(nals.length)]);
      }
      byte[] bytes = au.toByteArray();
      assertArrayEquals(fullScanRewrite(bytes), rewrite(h264, bytes, true), Arrays.toString(bytes));
    }
  }

  /** The H.264 keyframe rule applied after a naive scan of every start code (the oracle for the test above). */
  private static byte[] fullScanRewrite(byte[] au) {
    List<int[]> found = naiveStartCodes(au, Integer.MAX_VALUE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (found.isEmpty()) {
      return au;
    }
    int[] types = found.stream().mapToInt(f -> au[f[1]] & 0x1F).toArray();
    if (types[0] != 9) {
      out.writeBytes(join(SC, H264_AUD));
    }
    int leading = 0;
    while (leading < types.length && (types[leading] == 9 || types[leading] == 7 || types[leading] == 8)) {
      leading++;
    }
    int insertAt = leading < types.length ? found.get(leading)[0] : au.length;
    out.write(au, 0, insertAt);
    for (byte[] set : new byte[][] {SPS, PPS}) {
      if (Arrays.stream(types).noneMatch(t -> t == (set[0] & 0x1F))) {
        out.writeBytes(join(SC, set));
      }
    }
    out.write(au, insertAt, au.length - insertAt);
    return out.toByteArray();
  }

  @Test
  void insertsAudAndParameterSetsBeforeKeyframe() {
    byte[] au = join(SC, SEI, SC, IDR);
    assertArrayEquals(join(SC, H264_AUD, SC, SPS, SC, PPS, SC, SEI, SC, IDR), rewrite(h264, au, true));
  }

  @Test
  void insertsOnlyAudBeforeNonKeyframe() {
    byte[] au = join(new byte[] {0, 0, 1}, NON_IDR);
    assertArrayEquals(join(SC, H264_AUD, new byte[] {0, 0, 1}, NON_IDR), rewrite(h264, au, false));
  }

  @Test
  void completeAccessUnitIsCopiedUnchanged() {
    byte[] au = join(SC, H264_AUD, SC, SPS, SC, PPS, SC, IDR);
    assertArrayEquals(au, rewrite(h264, au, true));
    byte[] once = rewrite(h264, join(SC, IDR), true);
    assertArrayEquals(once, rewrite(h264, once, true), "idempotent");
  }

  @Test
  void insertsOnlyTheMissingParameterSetAfterThePresentOnes() {
    byte[] au = join(SC, H264_AUD, SC, SPS, SC, IDR);
    assertArrayEquals(join(SC, H264_AUD, SC, SPS, SC, PPS, SC, IDR), rewrite(h264, au, true));
  }

  @Test
  void hevcGetsHevcAudAndVpsSpsPps() {
    byte[] vps = {0x40, 0x01, 0x0C};
    byte[] sps = {0x42, 0x01, 0x01};
    byte[] pps = {0x44, 0x01, (byte) 0xC1};
    byte[] idr = {0x26, 0x01, (byte) 0xAF, 0x10};
    AccessUnitRewriter hevc = new AccessUnitRewriter(Codec.H265,
        List.of(ByteSlice.copyOf(vps), ByteSlice.copyOf(sps), ByteSlice.copyOf(pps)));
    assertArrayEquals(join(SC, new byte[] {0x46, 0x01, 0x50}, SC, vps, SC, sps, SC, pps, SC, idr),
        rewrite(hevc, join(SC, idr), true));
  }

  @Test
  void dataWithoutStartCodeIsCopiedUnchanged() {
    byte[] garbage = {5, 0, 0, 1, 0x65, 1};
    assertArrayEquals(garbage, rewrite(h264, garbage, true));
  }

  private static byte[] rewrite(AccessUnitRewriter rewriter, byte[] au, boolean keyframe) {
    PesPacketizer pes = new PesPacketizer();
    pes.begin(0xE0, 0, 0);
    rewriter.append(ByteSlice.copyOf(au), keyframe, pes);
    pes.finish(true);
    return Arrays.copyOfRange(pes.toByteArray(), pes.headerLength(), pes.length());
  }

  static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
