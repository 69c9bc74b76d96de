package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link CencSampleEncryption}: the subsample layout of H.264/HEVC samples, {@code cenc} and {@code cbcs}
 * encryption checked by independent {@code javax.crypto} decryption written here (whole protected stream for
 * CTR, block by block for the CBC pattern), deterministic IVs, clear lead, rotation and signalling.
 */
class CencSampleEncryptionTest {
  private static final String KID = "0123456789abcdef0123456789abcdef";
  private static final String KEY = "3c1f0e2d4b5a69788796a5b4c3d2e1f0";
  private static final String KID2 = "fedcba9876543210fedcba9876543210";
  private static final String KEY2 = "00112233445566778899aabbccddeeff";
  private static final HexFormat HEX = HexFormat.of();
  private static final TrackFormat H264 = TrackFormat.builder(1, Codec.H264).type(TrackType.VIDEO).build();
  private static final TrackFormat HEVC = TrackFormat.builder(1, Codec.H265).type(TrackType.VIDEO).build();
  private static final TrackFormat AAC = TrackFormat.builder(2, Codec.AAC).type(TrackType.AUDIO).sampleRate(48000)
      .build();
  private static final SegmentContext VIDEO_1 = new SegmentContext("video", 1, Set.of(TrackType.VIDEO));

  /** An H.264 access unit: SPS (30), PPS (6), SEI (40), IDR slice (1000), small non-IDR slice (40), 4-byte lengths. */
  private static byte[] h264Sample() {
    return nalUnits(new int[] {0x67, 0x68, 0x06, 0x65, 0x41}, new int[] {30, 6, 40, 1000, 40});
  }

  private static byte[] nalUnits(int[] headers, int[] sizes) {
    Random random = new Random(7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < headers.length; i++) {
      byte[] nal = new byte[sizes[i]];
      random.nextBytes(nal);
      nal[0] = (byte) headers[i];
      out.writeBytes(ByteBuffer.allocate(4).putInt(nal.length).array());
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }

  private static CencSampleEncryption encryption(SampleEncryptionScheme scheme, KeyRotation rotation) {
    return CencSampleEncryption.builder(KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY),
            ContentKey.parse(KID2 + ":" + KEY2)))
        .scheme(scheme).channel("news").rotation(rotation).build();
  }

  @Test
  void h264SubsamplesKeepParameterSetsSeiAndSliceLeadersClear() {
    byte[] sample = h264Sample();
    int[] pairs = new NalSubsamples().compute(Codec.H264, sample, 0, sample.length, 4, true);
    // SPS, PPS and SEI join the IDR slice's clear part; the small slice (< leader + 16) is clear altogether
    int idrClearLeader = 4 + NalSubsamples.SLICE_CLEAR_LEADER;
    int idrRest = 4 + 1000 - idrClearLeader;
    int idrProtected = idrRest / 16 * 16;
    assertArrayEquals(new int[] {34 + 10 + 44 + idrClearLeader + idrRest % 16, idrProtected, 44, 0}, pairs);
    assertEquals(sample.length, Arrays.stream(pairs).sum());
    // cbcs: the protected part runs to the end of the NAL unit (the pattern leaves the partial block clear)
    int[] cbcs = new NalSubsamples().compute(Codec.H264, sample, 0, sample.length, 4, false);
    assertArrayEquals(new int[] {34 + 10 + 44 + idrClearLeader, idrRest, 44, 0}, cbcs);
  }

  @Test
  void hevcParameterSetsStayClearAndSlicesAreProtected() {
    // VPS (32 << 1), SPS (33 << 1), PPS (34 << 1), IDR_W_RADL slice (19 << 1), TRAIL_R (1 << 1)
    byte[] sample = nalUnits(new int[] {0x40, 0x42, 0x44, 0x26, 0x02}, new int[] {24, 40, 8, 500, 300});
    int[] pairs = new NalSubsamples().compute(Codec.H265, sample, 0, sample.length, 4, true);
    assertEquals(4, pairs.length, Arrays.toString(pairs));
    assertEquals(0, pairs[1] % 16);
    assertEquals(0, pairs[3] % 16);
    assertTrue(pairs[0] >= 28 + 44 + 12 + 36, "parameter sets and the slice leader clear: " + pairs[0]);
    assertEquals(sample.length, Arrays.stream(pairs).sum());
  }

  @Test
  void damagedLengthFieldLeavesTheRestClear() {
    byte[] sample = h264Sample();
    ByteBuffer.wrap(sample).putInt(0, 1 << 20); // the SPS claims 1 MiB
    int[] pairs = new NalSubsamples().compute(Codec.H264, sample, 0, sample.length, 4, true);
    assertArrayEquals(new int[] {sample.length, 0}, pairs);
  }

  @Test
  void longClearRunsAreSplitAt65535() {
    byte[] sample = nalUnits(new int[] {0x06, 0x65}, new int[] {70_000, 100}); // a huge SEI, then a slice
    int[] pairs = new NalSubsamples().compute(Codec.H264, sample, 0, sample.length, 4, true);
    for (int i = 0; i < pairs.length; i += 2) {
      assertTrue(pairs[i] <= 0xFFFF, Arrays.toString(pairs));
    }
    assertEquals(0, pairs[1], "the split-off clear run has no protected bytes");
    assertEquals(sample.length, Arrays.stream(pairs).sum());
  }

  @Test
  void cencVideoDecryptsWithOneCounterRunningOverTheProtectedRanges() throws Exception {
    byte[] sample = h264Sample();
    SegmentSampleEncryptor e = encryption(SampleEncryptionScheme.CENC, KeyRotation.none()).forSegment(VIDEO_1);
    assertEquals(8, e.perSampleIvSize());
    assertNull(e.constantIv());
    EncryptedSample out = e.encrypt(H264, ByteSlice.wrap(sample), 4);
    assertEquals(8, out.iv().length);
    byte[] enc = out.bytes().toByteArray();
    assertEquals(sample.length, enc.length);
    // independent: decrypt the concatenated protected ranges with IV || 0 as the counter block
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HEX.parseHex(KEY), "AES"),
        new IvParameterSpec(Arrays.copyOf(out.iv(), 16)));
    ByteArrayOutputStream protectedBytes = new ByteArrayOutputStream();
    int pos = 0;
    for (int i = 0; i < out.subsampleCount(); i++) {
      assertArrayEquals(Arrays.copyOfRange(sample, pos, pos + out.clearBytes(i)),
          Arrays.copyOfRange(enc, pos, pos + out.clearBytes(i)), "clear bytes unchanged");
      pos += out.clearBytes(i);
      protectedBytes.write(enc, pos, out.protectedBytes(i));
      pos += out.protectedBytes(i);
    }
    byte[] plain = ctr.doFinal(protectedBytes.toByteArray());
    pos = 0;
    int from = 0;
    for (int i = 0; i < out.subsampleCount(); i++) {
      pos += out.clearBytes(i);
      assertArrayEquals(Arrays.copyOfRange(sample, pos, pos + out.protectedBytes(i)),
          Arrays.copyOfRange(plain, from, from + out.protectedBytes(i)), "protected range " + i);
      assertFalse(out.protectedBytes(i) > 0 && Arrays.equals(Arrays.copyOfRange(sample, pos,
          pos + out.protectedBytes(i)), Arrays.copyOfRange(enc, pos, pos + out.protectedBytes(i))),
          "protected range " + i + " is encrypted");
      from += out.protectedBytes(i);
      pos += out.protectedBytes(i);
    }
  }

  @Test
  void cbcsVideoEncryptsOneBlockInTenWithTheConstantIvPerSubsample() throws Exception {
    byte[] sample = h264Sample();
    SegmentSampleEncryptor e = encryption(SampleEncryptionScheme.CBCS, KeyRotation.none()).forSegment(VIDEO_1);
    assertEquals(0, e.perSampleIvSize());
    assertEquals(1, e.cryptByteBlock(H264));
    assertEquals(9, e.skipByteBlock(H264));
    byte[] iv = e.constantIv();
    assertEquals(16, iv.length);
    EncryptedSample out = e.encrypt(H264, ByteSlice.wrap(sample), 4);
    assertNull(out.iv());
    byte[] enc = out.bytes().toByteArray();
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HEX.parseHex(KEY), "AES"));
    int pos = 0;
    for (int i = 0; i < out.subsampleCount(); i++) {
      pos += out.clearBytes(i);
      byte[] chain = iv;
      int blocks = out.protectedBytes(i) / 16;
      for (int b = 0; b < blocks; b++) {
        int at = pos + b * 16;
        byte[] cipherBlock = Arrays.copyOfRange(enc, at, at + 16);
        byte[] clearBlock = Arrays.copyOfRange(sample, at, at + 16);
        if (b % 10 == 0) { // crypt 1
          byte[] plain = ecb.doFinal(cipherBlock);
          for (int k = 0; k < 16; k++) {
            plain[k] ^= chain[k];
          }
          assertArrayEquals(clearBlock, plain, "block " + b + " of subsample " + i);
          chain = cipherBlock;
        } else { // skip 9
          assertArrayEquals(clearBlock, cipherBlock, "skipped block " + b);
        }
      }
      int tail = pos + blocks * 16;
      int end = pos + out.protectedBytes(i);
      assertArrayEquals(Arrays.copyOfRange(sample, tail, end), Arrays.copyOfRange(enc, tail, end),
          "trailing partial block clear");
      pos = end;
    }
  }

  @Test
  void audioIsFullSampleEncrypted() throws Exception {
    byte[] frame = new byte[301];
    new Random(3).nextBytes(frame);
    SegmentContext audio = new SegmentContext("audio", 1, Set.of(TrackType.AUDIO));
    EncryptedSample cenc = encryption(SampleEncryptionScheme.CENC, KeyRotation.none()).forSegment(audio)
        .encrypt(AAC, ByteSlice.wrap(frame), 0);
    assertEquals(0, cenc.subsampleCount());
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HEX.parseHex(KEY), "AES"),
        new IvParameterSpec(Arrays.copyOf(cenc.iv(), 16)));
    assertArrayEquals(frame, ctr.doFinal(cenc.bytes().toByteArray()));

    SegmentSampleEncryptor cbcsEncryptor = encryption(SampleEncryptionScheme.CBCS, KeyRotation.none())
        .forSegment(audio);
    assertEquals(0, cbcsEncryptor.cryptByteBlock(AAC), "no pattern for audio");
    EncryptedSample cbcs = cbcsEncryptor.encrypt(AAC, ByteSlice.wrap(frame), 0);
    byte[] enc = cbcs.bytes().toByteArray();
    Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
    cbc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HEX.parseHex(KEY), "AES"),
        new IvParameterSpec(cbcsEncryptor.constantIv()));
    int whole = frame.length / 16 * 16;
    assertArrayEquals(Arrays.copyOf(frame, whole), cbc.doFinal(enc, 0, whole), "every whole block");
    assertArrayEquals(Arrays.copyOfRange(frame, whole, frame.length), Arrays.copyOfRange(enc, whole, frame.length),
        "trailing partial block clear");
  }

  @Test
  void ivsAreDeterministicAndDistinct() throws Exception {
    CencSampleEncryption cenc = encryption(SampleEncryptionScheme.CENC, KeyRotation.none());
    byte[] sample = h264Sample();
    SegmentSampleEncryptor a = cenc.forSegment(VIDEO_1);
    SegmentSampleEncryptor b = cenc.forSegment(VIDEO_1);
    EncryptedSample a0 = a.encrypt(H264, ByteSlice.wrap(sample), 4);
    EncryptedSample b0 = b.encrypt(H264, ByteSlice.wrap(sample), 4);
    assertEquals(a0.bytes(), b0.bytes(), "repeated packaging is byte-identical");
    assertArrayEquals(a0.iv(), b0.iv());
    EncryptedSample a1 = a.encrypt(H264, ByteSlice.wrap(sample), 4);
    assertEquals(ByteBuffer.wrap(a0.iv()).getLong() + 1, ByteBuffer.wrap(a1.iv()).getLong(), "next sample: IV + 1");
    EncryptedSample other = cenc.forSegment(new SegmentContext("video", 2, Set.of(TrackType.VIDEO)))
        .encrypt(H264, ByteSlice.wrap(sample), 4);
    assertFalse(Arrays.equals(a0.iv(), other.iv()), "another segment, other IVs");
    EncryptedSample audioRendition = cenc.forSegment(new SegmentContext("audio", 1, Set.of(TrackType.VIDEO)))
        .encrypt(H264, ByteSlice.wrap(sample), 4);
    assertFalse(Arrays.equals(a0.iv(), audioRendition.iv()), "another rendition under the same key, other IVs");
  }

  @Test
  void clearLeadRotationAndDefaultEncryptor() throws Exception {
    CencSampleEncryption cenc = encryption(SampleEncryptionScheme.CENC, KeyRotation.everySegments(2)
        .withClearLead(1));
    SegmentContext first = new SegmentContext("video", 0, Set.of(TrackType.VIDEO));
    assertNull(cenc.forSegment(first), "clear lead");
    SegmentSampleEncryptor defaults = cenc.defaultEncryptor(first);
    assertNotNull(defaults, "the init segment still declares the first encrypted period's key");
    assertEquals(KID, HEX.formatHex(defaults.keyId()));
    assertEquals(KID, HEX.formatHex(cenc.forSegment(VIDEO_1).keyId()), "sequence 1: period 0");
    assertEquals(KID2, HEX.formatHex(cenc.forSegment(new SegmentContext("video", 2, Set.of(TrackType.VIDEO)))
        .keyId()), "sequence 2: period 1");
    assertEquals(2, cenc.usedKeys().size());
  }

  @Test
  void signallingIdentityClearKeyAndCommonPssh() throws Exception {
    CencSampleEncryption cenc = CencSampleEncryption.builder(KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY)))
        .channel("news").clearKeyFormat(true).commonPssh(true)
        .extraProtections(List.of(new SegmentProtection("SAMPLE-AES-CTR", "skd://x", null, "com.example", "1")))
        .psshBoxes(List.of(ByteSlice.wrap(new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e'})))
        .build();
    SegmentSampleEncryptor e = cenc.forSegment(VIDEO_1);
    List<SegmentProtection> p = e.protections();
    assertEquals(3, p.size());
    assertEquals(new SegmentProtection("SAMPLE-AES-CTR", "keys/" + KID + ".key", null, "identity", null), p.get(0));
    assertEquals("org.w3.clearkey", p.get(1).keyFormat());
    assertArrayEquals(HEX.parseHex(KID), Base64.getDecoder().decode(p.get(1).uri().substring(
        "data:text/plain;base64,".length())));
    assertFalse(p.get(1).channelRelative());
    assertEquals("com.example", p.get(2).keyFormat());
    assertEquals(2, e.psshBoxes().size());
    byte[] pssh = e.psshBoxes().get(0).toByteArray();
    ByteBuffer b = ByteBuffer.wrap(pssh);
    assertEquals(pssh.length, b.getInt());
    assertEquals("pssh", new String(pssh, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0x0100_0000, b.getInt(8), "version 1, flags 0");
    assertEquals("1077efecc0b24d02ace33c1e52e2fb4b", HEX.formatHex(pssh, 12, 28));
    assertEquals(1, b.getInt(28), "KID_count");
    assertEquals(KID, HEX.formatHex(pssh, 32, 48));
    assertEquals(0, b.getInt(48), "DataSize");
    assertEquals(52, pssh.length);
  }

  /**
   * Issue #5: with rotation the pssh boxes go into every fragment only, and the Common PSSH names the period's
   * KID and the next period's; with one key they stay in the init segment and name that key only.
   */
  @Test
  void rotationKeepsPsshOutOfTheInitSegmentAndAnnouncesTheNextKey() throws Exception {
    KeyProvider keys = KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY), ContentKey.parse(KID2 + ":" + KEY2));
    CencSampleEncryption rotating = CencSampleEncryption.builder(keys).scheme(SampleEncryptionScheme.CBCS)
        .channel("news").commonPssh(true).rotation(KeyRotation.everySegments(2)).build();
    SegmentContext first = new SegmentContext("video", 0, Set.of(TrackType.VIDEO));
    assertFalse(rotating.defaultEncryptor(first).psshInInitSegment(), "init segment: no pssh with rotation");
    for (long sequence = 0; sequence < 6; sequence++) {
      SegmentSampleEncryptor e = rotating.forSegment(new SegmentContext("video", sequence, Set.of(TrackType.VIDEO)));
      List<String> expected = (sequence / 2) % 2 == 0 ? List.of(KID, KID2) : List.of(KID2, KID);
      assertEquals(expected, commonPsshKids(e.psshBoxes().get(0)), "sequence " + sequence);
    }
    CencSampleEncryption single = CencSampleEncryption.builder(keys).channel("news").commonPssh(true).build();
    assertTrue(single.defaultEncryptor(first).psshInInitSegment());
    assertEquals(List.of(KID), commonPsshKids(single.forSegment(VIDEO_1).psshBoxes().get(0)));
    // the next key missing (a provider that has only period 0): the pssh names the current key alone
    CencSampleEncryption noNext = CencSampleEncryption.builder(request -> request.cryptoPeriod() == 0
            ? ContentKey.parse(KID + ":" + KEY) : null)
        .channel("news").commonPssh(true).rotation(KeyRotation.everySegments(2)).build();
    assertEquals(List.of(KID), commonPsshKids(noNext.forSegment(VIDEO_1).psshBoxes().get(0)));
  }

  /** The KIDs of a version 1 Common PSSH box (ISO/IEC 23001-7 §8.1.1). */
  private static List<String> commonPsshKids(ByteSlice box) {
    byte[] pssh = box.toByteArray();
    assertEquals("1077efecc0b24d02ace33c1e52e2fb4b", HEX.formatHex(pssh, 12, 28));
    int count = ByteBuffer.wrap(pssh).getInt(28); // KID_count (32)
    List<String> kids = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      kids.add(HEX.formatHex(pssh, 32 + 16 * i, 48 + 16 * i));
    }
    return kids;
  }

  @Test
  void identityLineCanBeLeftOut() throws Exception {
    CencSampleEncryption cbcs = CencSampleEncryption.builder(KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY)))
        .scheme(SampleEncryptionScheme.CBCS).channel("news").identityKeyFormat(false).clearKeyFormat(true).build();
    List<SegmentProtection> p = cbcs.forSegment(VIDEO_1).protections();
    assertEquals(1, p.size());
    assertEquals("org.w3.clearkey", p.get(0).keyFormat());
    assertEquals("SAMPLE-AES", p.get(0).method());
  }

  @Test
  void builderRejectsSampleAesAndMissingChannel() {
    KeyProvider keys = KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY));
    assertThrows(IllegalArgumentException.class,
        () -> CencSampleEncryption.builder(keys).scheme(SampleEncryptionScheme.SAMPLE_AES));
    assertThrows(IllegalStateException.class, () -> CencSampleEncryption.builder(keys).build());
    assertThrows(IllegalStateException.class,
        () -> CencSampleEncryption.builder(keys).channel("a").channel("b"));
  }

  @Test
  void encryptingIntoACallersArrayGivesTheSameSampleAsEncryptingASlice() throws Exception {
    // a 30,000-byte slice spans several of CencCiphers' 8 KB cipher calls; audio is one full-sample range
    byte[] video = nalUnits(new int[] {0x67, 0x68, 0x65, 0x41}, new int[] {30, 6, 30_000, 700});
    byte[] audio = new byte[20_001];
    new Random(3).nextBytes(audio);
    SegmentContext audioSegment = new SegmentContext("audio", 1, Set.of(TrackType.AUDIO));
    for (SampleEncryptionScheme scheme : List.of(SampleEncryptionScheme.CENC, SampleEncryptionScheme.CBCS)) {
      for (boolean isVideo : new boolean[] {true, false}) {
        byte[] clear = isVideo ? video : audio;
        TrackFormat format = isVideo ? H264 : AAC;
        SegmentContext context = isVideo ? VIDEO_1 : audioSegment;
        int nalLengthSize = isVideo ? 4 : 0;
        EncryptedSample reference = encryption(scheme, KeyRotation.none()).forSegment(context)
            .encrypt(format, ByteSlice.wrap(clear), nalLengthSize);
        byte[] in = new byte[clear.length + 11];
        System.arraycopy(clear, 0, in, 5, clear.length);
        byte[] inBefore = in.clone();
        byte[] out = new byte[clear.length + 40];
        Arrays.fill(out, (byte) 0x5A);
        EncryptedSample placed = encryption(scheme, KeyRotation.none()).forSegment(context)
            .encrypt(format, in, 5, clear.length, nalLengthSize, out, 17);
        String what = scheme + (isVideo ? " video" : " audio");
        assertArrayEquals(reference.bytes().toByteArray(), placed.bytes().toByteArray(), what);
        assertArrayEquals(reference.bytes().toByteArray(), Arrays.copyOfRange(out, 17, 17 + clear.length), what);
        assertArrayEquals(reference.iv(), placed.iv(), what);
        assertArrayEquals(reference.subsamples(), placed.subsamples(), what);
        assertArrayEquals(inBefore, in, what + ": input untouched");
        for (int i : new int[] {0, 16, 17 + clear.length, out.length - 1}) {
          assertEquals(0x5A, out[i], what + ": byte " + i + " outside the sample untouched");
        }
        assertFalse(Arrays.equals(clear, reference.bytes().toByteArray()), what + " encrypted");
      }
    }
  }
}
