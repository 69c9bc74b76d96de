package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SAMPLE-AES: every output is decrypted by the independent {@link SampleAesDecryptor} and compared with the clear
 * input; layout checks (clear leaders, 1:9 pattern, untouched NAL types) and signalling (URI, IV, rotation, clear
 * lead).
 */
class SampleAesEncryptionTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ContentKey KEY_A = ContentKey.parse("00112233445566778899aabbccddeeff:"
      + "3c1f0e2d4b5a69788796a5b4c3d2e1f0");
  private static final ContentKey KEY_B = ContentKey.parse("ffeeddccbbaa99887766554433221100:"
      + "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  private static final TrackFormat H264 = TrackFormat.builder(256, Codec.H264).build();
  private static final TrackFormat AAC = TrackFormat.builder(257, Codec.AAC).build();
  private static final TrackFormat AC3 = TrackFormat.builder(258, Codec.AC3).build();
  private static final TrackFormat EAC3 = TrackFormat.builder(259, Codec.EAC3).build();
  private static final Set<TrackType> AV = Set.of(TrackType.VIDEO, TrackType.AUDIO);

  private static SegmentSampleEncryptor encryptor(ContentKey key) throws MediaException {
    return SampleAesEncryption.builder(KeyProvider.fixed(key)).channel("news").build()
        .forSegment(new SegmentContext("stream", 0, AV));
  }

  private static SampleAesDecryptor decryptor(ContentKey key) throws Exception {
    return new SampleAesDecryptor(key.keyBytes(), SampleAesEncryption.constantIv(key));
  }

  /** A NAL unit whose RBSP is {@code rbsp}: header byte + escaped payload. */
  private static byte[] nal(int type, byte[] rbsp) {
    byte[] withHeader = new byte[rbsp.length + 1];
    withHeader[0] = (byte) (0x60 | type); // nal_ref_idc 3
    System.arraycopy(rbsp, 0, withHeader, 1, rbsp.length);
    return SampleAesDecryptor.escape(withHeader);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        b[i] = 1; // no accidental start codes; zero runs are added on purpose where wanted
      }
    }
    b[n - 1] = (byte) 0x80; // rbsp_stop_one_bit
    return b;
  }

  private static byte[] accessUnit(byte[]... nals) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean first = true;
    for (byte[] nal : nals) {
      out.writeBytes(first ? new byte[] {0, 0, 0, 1} : new byte[] {0, 0, 1});
      out.writeBytes(nal);
      first = false;
    }
    return out.toByteArray();
  }

  @Test
  void h264SlicesDecryptToTheClearAccessUnit() throws Exception {
    byte[] sps = nal(7, random(80, 1)); // long, but not a slice: stays clear
    byte[] idr = nal(5, random(3000, 2));
    byte[] shortSlice = nal(1, random(40, 3)); // 41 bytes: below the 48-byte threshold
    byte[] slice = nal(1, random(49, 4)); // 50 bytes: exactly one encrypted block at 32..48
    byte[] clear = accessUnit(new byte[] {0x09, (byte) 0xF0}, sps, idr, shortSlice, slice);
    byte[] encrypted = encryptor(KEY_A).encrypt(H264, ByteSlice.wrap(clear.clone()), 0).bytes().toByteArray();

    assertFalse(Arrays.equals(clear, encrypted), "something must be encrypted");
    assertArrayEquals(clear, decryptor(KEY_A).decryptH264(encrypted.clone()));
    assertFalse(Arrays.equals(clear, decryptor(KEY_B).decryptH264(encrypted.clone())), "a wrong key");
    // The SPS, the short slice and the AUD are byte-identical in the output.
    assertTrue(indexOf(encrypted, sps) > 0, "SPS untouched");
    assertTrue(indexOf(encrypted, shortSlice) > 0, "NAL units of 48 bytes or fewer stay clear");
    // The IDR slice: its first 32 bytes clear, block 0 encrypted, the next 9 blocks clear.
    int idrAt = indexOf(encrypted, Arrays.copyOf(idr, 32));
    assertTrue(idrAt > 0, "32-byte clear leader");
    byte[] idrRbsp = SampleAesDecryptor.unescape(idr);
    byte[] outRbsp = SampleAesDecryptor.unescape(nalAt(encrypted, idrAt));
    assertFalse(Arrays.equals(Arrays.copyOfRange(idrRbsp, 32, 48), Arrays.copyOfRange(outRbsp, 32, 48)));
    assertArrayEquals(Arrays.copyOfRange(idrRbsp, 48, 192), Arrays.copyOfRange(outRbsp, 48, 192), "9 clear blocks");
    assertFalse(Arrays.equals(Arrays.copyOfRange(idrRbsp, 192, 208), Arrays.copyOfRange(outRbsp, 192, 208)));
  }

  /**
   * The encryption works on the unescaped NAL unit: an RBSP full of {@code 00 00 0x} runs (escaped in the input,
   * some inside encrypted blocks, some in clear ones) decrypts to the same escaped bytes, and the output contains no
   * start code emulation.
   */
  @ParameterizedTest
  @ValueSource(longs = {5, 6, 7, 8})
  void emulationPreventionIsRemovedBeforeAndReinsertedAfterEncryption(long seed) throws Exception {
    byte[] rbsp = random(2500, seed);
    Random r = new Random(seed);
    for (int k = 0; k < 60; k++) {
      int p = 20 + r.nextInt(rbsp.length - 30);
      rbsp[p] = 0;
      rbsp[p + 1] = 0;
      rbsp[p + 2] = (byte) r.nextInt(4); // 00 00 00..03: each needs an emulation_prevention_three_byte
    }
    byte[] slice = nal(1, rbsp);
    assertTrue(slice.length > rbsp.length + 30, "the input carries emulation-prevention bytes");
    byte[] clear = accessUnit(slice);
    byte[] encrypted = encryptor(KEY_A).encrypt(H264, ByteSlice.wrap(clear), 0).bytes().toByteArray();
    assertEquals(1, countStartCodes(encrypted), "no start code emulated by the ciphertext");
    assertArrayEquals(clear, decryptor(KEY_A).decryptH264(encrypted));
  }

  /** Many random slices: ciphertext that needs new emulation-prevention bytes changes the length, and still decrypts. */
  @Test
  void randomSlicesRoundTrip() throws Exception {
    SegmentSampleEncryptor e = encryptor(KEY_B);
    SampleAesDecryptor d = decryptor(KEY_B);
    for (int seed = 0; seed < 200; seed++) {
      byte[] clear = accessUnit(nal(5, random(100 + seed * 37, 1000 + seed)), nal(1, random(60 + seed, seed)));
      byte[] encrypted = e.encrypt(H264, ByteSlice.wrap(clear), 0).bytes().toByteArray();
      assertEquals(2, countStartCodes(encrypted), "seed " + seed);
      assertArrayEquals(clear, d.decryptH264(encrypted), "seed " + seed);
    }
  }

  @Test
  void adtsFramesKeepHeaderAndLeaderClearAndEncryptWholeBlocks() throws Exception {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    int[] payloads = {5, 16, 31, 32, 33, 100, 377};
    int[] starts = new int[payloads.length];
    int[] headers = new int[payloads.length];
    for (int i = 0; i < payloads.length; i++) {
      starts[i] = sample.size();
      headers[i] = i % 2 == 0 ? 7 : 9;
      sample.writeBytes(adts(headers[i], random(payloads[i], 40 + i)));
    }
    byte[] clear = sample.toByteArray();
    byte[] encrypted = encryptor(KEY_A).encrypt(AAC, ByteSlice.wrap(clear), 0).bytes().toByteArray();
    assertEquals(clear.length, encrypted.length);
    for (int i = 0; i < payloads.length; i++) {
      int clearEnd = starts[i] + headers[i] + 16;
      int end = starts[i] + headers[i] + payloads[i];
      int blocks = Math.max(0, (end - clearEnd) / 16);
      assertArrayEquals(Arrays.copyOfRange(clear, starts[i], Math.min(clearEnd, end)),
          Arrays.copyOfRange(encrypted, starts[i], Math.min(clearEnd, end)), "header + 16 bytes clear, frame " + i);
      if (blocks > 0) {
        assertFalse(Arrays.equals(Arrays.copyOfRange(clear, clearEnd, clearEnd + 16),
            Arrays.copyOfRange(encrypted, clearEnd, clearEnd + 16)), "frame " + i);
      }
      int tail = Math.min(clearEnd, end) + blocks * 16;
      assertArrayEquals(Arrays.copyOfRange(clear, tail, end), Arrays.copyOfRange(encrypted, tail, end),
          "tail clear, frame " + i);
      decryptor(KEY_A).decryptFrame(encrypted, starts[i], headers[i] + 16, end);
    }
    assertArrayEquals(clear, encrypted, "decrypted with the IV reset per frame");
  }

  @Test
  void ac3AndEac3SyncFramesKeep16BytesClear() throws Exception {
    byte[] ac3a = ac3(0, 20, 11); // 48 kHz, 192 kbit/s: 768 bytes
    byte[] ac3b = ac3(1, 7, 12); // 44.1 kHz, 56 kbit/s, odd code: (121 + 1) words = 244 bytes
    assertEquals(768, ac3a.length);
    assertEquals(244, ac3b.length);
    byte[] clear = concat(ac3a, ac3b);
    byte[] encrypted = encryptor(KEY_B).encrypt(AC3, ByteSlice.wrap(clear), 0).bytes().toByteArray();
    assertArrayEquals(Arrays.copyOf(clear, 16), Arrays.copyOf(encrypted, 16));
    assertArrayEquals(Arrays.copyOfRange(clear, 768, 784), Arrays.copyOfRange(encrypted, 768, 784));
    assertArrayEquals(Arrays.copyOfRange(clear, 1008, 1012), Arrays.copyOfRange(encrypted, 1008, 1012),
        "244 - 16 = 14 blocks + 4 clear bytes");
    assertNotEquals(Arrays.toString(Arrays.copyOfRange(clear, 16, 32)),
        Arrays.toString(Arrays.copyOfRange(encrypted, 16, 32)));
    SampleAesDecryptor d = decryptor(KEY_B);
    d.decryptFrame(encrypted, 0, 16, 768);
    d.decryptFrame(encrypted, 768, 16, 1012);
    assertArrayEquals(clear, encrypted);

    byte[] eac3 = eac3(299, 13); // frmsiz 299: 600 bytes
    byte[] eac3Encrypted = encryptor(KEY_B).encrypt(EAC3, ByteSlice.wrap(concat(eac3, eac3)), 0).bytes()
        .toByteArray();
    d.decryptFrame(eac3Encrypted, 0, 16, 600);
    d.decryptFrame(eac3Encrypted, 600, 16, 1200);
    assertArrayEquals(concat(eac3, eac3), eac3Encrypted);
  }

  @Test
  void otherCodecsAreRefusedAndMetadataPassesThrough() throws Exception {
    SegmentSampleEncryptor e = encryptor(KEY_A);
    MediaException hevc = assertThrows(MediaException.class,
        () -> e.encrypt(TrackFormat.builder(1, Codec.H265).build(), ByteSlice.wrap(new byte[64]), 0));
    assertEquals(MediaException.Kind.UNSUPPORTED, hevc.kind());
    assertThrows(MediaException.class, () -> e.encrypt(H264, ByteSlice.wrap(new byte[64]), 4));
    ByteSlice id3 = ByteSlice.wrap(random(100, 9));
    assertEquals(id3, e.encrypt(TrackFormat.builder(2, Codec.ID3).build(), id3, 0).bytes());
  }

  @Test
  void signallingRotationAndClearLead() throws Exception {
    SampleAesEncryption sampleAes = SampleAesEncryption.builder(KeyProvider.fixed(KEY_A, KEY_B))
        .channel("news").rotation(KeyRotation.everySegments(2).withClearLead(1)).build();
    assertNull(sampleAes.forSegment(new SegmentContext("stream", 0, AV)), "clear lead");
    SegmentSampleEncryptor s1 = sampleAes.forSegment(new SegmentContext("stream", 1, AV));
    SegmentSampleEncryptor s2 = sampleAes.forSegment(new SegmentContext("stream", 2, AV));
    SegmentSampleEncryptor s3 = sampleAes.forSegment(new SegmentContext("stream", 3, AV));
    assertArrayEquals(KEY_A.keyId().toByteArray(), s1.keyId(), "period 0");
    assertArrayEquals(KEY_B.keyId().toByteArray(), s2.keyId(), "period 1");
    assertArrayEquals(s2.keyId(), s3.keyId());
    assertEquals(SampleEncryptionScheme.SAMPLE_AES, s1.scheme());
    assertEquals(0, s1.perSampleIvSize());
    assertTrue(s1.psshBoxes().isEmpty());
    SegmentProtection p = s1.protections().get(0);
    assertEquals(new SegmentProtection("SAMPLE-AES", "keys/" + KEY_A.keyId().toHex() + ".key",
        "0x" + HEX.formatHex(s1.constantIv()), "identity", null), p);
    assertTrue(p.channelRelative());
    assertNotEquals(HEX.formatHex(s1.constantIv()), HEX.formatHex(s2.constantIv()), "IV per key");
    assertEquals(s2.protections(), s3.protections(), "same period, same EXT-X-KEY");
    assertEquals(2, sampleAes.usedKeys().size());

    byte[] explicit = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    ContentKey withIv = KEY_A.withIvPolicy(IvPolicy.explicit(explicit));
    assertArrayEquals(explicit, SampleAesEncryption.constantIv(withIv), "a key's explicit IV is used");
    MediaException none = assertThrows(MediaException.class, () -> SampleAesEncryption.builder(r -> null)
        .channel("news").build().forSegment(new SegmentContext("stream", 0, AV)));
    assertEquals(MediaException.Kind.KEY_UNAVAILABLE, none.kind());
  }

  private static byte[] adts(int header, byte[] payload) {
    int length = header + payload.length;
    byte[] f = new byte[length];
    f[0] = (byte) 0xFF;
    f[1] = (byte) (header == 7 ? 0xF1 : 0xF0); // MPEG-4, layer 0, protection_absent
    f[2] = (byte) 0x50; // AAC LC, 44.1 kHz
    f[3] = (byte) (0x80 | (length >> 11) & 0x03);
    f[4] = (byte) (length >> 3);
    f[5] = (byte) ((length & 0x07) << 5 | 0x1F);
    f[6] = (byte) 0xFC;
    System.arraycopy(payload, 0, f, header, payload.length);
    return f;
  }

  private static byte[] ac3(int fscod, int frmsizecod, long seed) {
    int[] kbps = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640};
    int rate = kbps[frmsizecod / 2];
    int words = fscod == 0 ? rate * 2 : fscod == 2 ? rate * 3 : (int) (rate * 96_000L / 44_100) + (frmsizecod & 1);
    byte[] f = random(words * 2, seed);
    f[0] = 0x0B;
    f[1] = 0x77;
    f[4] = (byte) (fscod << 6 | frmsizecod);
    f[5] = (byte) (8 << 3); // bsid 8
    return f;
  }

  private static byte[] eac3(int frmsiz, long seed) {
    byte[] f = random((frmsiz + 1) * 2, seed);
    f[0] = 0x0B;
    f[1] = 0x77;
    f[2] = (byte) (frmsiz >> 8 & 0x07);
    f[3] = (byte) frmsiz;
    f[5] = (byte) (16 << 3); // bsid 16
    return f;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int countStartCodes(byte[] a) {
    int n = 0;
    for (int i = 0; i + 2 < a.length; i++) {
      if (a[i] == 0 && a[i + 1] == 0 && a[i + 2] == 1) {
        n++;
      }
    }
    return n;
  }

  private static byte[] nalAt(byte[] au, int start) {
    int next = SampleAesDecryptor.indexOfStartCode(au, start);
    return Arrays.copyOfRange(au, start, next < 0 ? au.length : next);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
