package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.DeferredSegment;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.TransformedSegment;
import io.iptv.core.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-128 whole-segment encryption: openssl known answers, IVs, clear lead, rotation and signalling. */
class Aes128SegmentEncryptorTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ContentKey KEY_A = ContentKey.parse("00112233445566778899aabbccddeeff:"
      + "3c1f0e2d4b5a69788796a5b4c3d2e1f0");
  private static final ContentKey KEY_B = ContentKey.parse("ffeeddccbbaa99887766554433221100:"
      + "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  private static final Set<TrackType> AV = Set.of(TrackType.VIDEO, TrackType.AUDIO);

  @TempDir
  Path dir;

  /**
   * openssl (an independent AES-CBC/PKCS#7 implementation) decrypts our output to the clear bytes and encrypts the
   * clear bytes to exactly our output; sizes around the block size and beyond one {@code Cipher.update} chunk.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 188 * 7, 256 * 1024, 600_001})
  void opensslAgreesByteForByte(int size) throws Exception {
    String openssl = ExternalTools.requireOpenssl();
    byte[] clear = new byte[size];
    new Random(size).nextBytes(clear);
    byte[] iv = IvPolicy.mediaSequence().ivFor(4242);
    ByteSlice ours = Aes128SegmentEncryptor.encrypt(KEY_A, iv, ByteSlice.wrap(clear));
    assertEquals((size / 16 + 1) * 16, ours.length());

    Path in = Files.write(dir.resolve("enc-" + size), ours.toByteArray());
    Path out = dir.resolve("dec-" + size);
    run(openssl, "aes-128-cbc", "-d", "-K", HEX.formatHex(KEY_A.keyBytes()), "-iv", HEX.formatHex(iv),
        "-in", in.toString(), "-out", out.toString());
    assertArrayEquals(clear, Files.readAllBytes(out), "openssl decryption");

    Path plain = Files.write(dir.resolve("clear-" + size), clear);
    Path theirs = dir.resolve("openssl-enc-" + size);
    run(openssl, "aes-128-cbc", "-e", "-K", HEX.formatHex(KEY_A.keyBytes()), "-iv", HEX.formatHex(iv),
        "-in", plain.toString(), "-out", theirs.toString());
    assertArrayEquals(Files.readAllBytes(theirs), ours.toByteArray(), "openssl encryption");
  }

  @Test
  void ivIsTheMediaSequenceNumberAndSignalledOnlyWhenExplicit() throws Exception {
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("news").build();
    byte[] clear = "a segment of 33 bytes, not 32 !!!".getBytes(StandardCharsets.US_ASCII);
    TransformedSegment out = aes.transform(new SegmentContext("stream", 7, AV), ByteSlice.wrap(clear));
    assertArrayEquals(clear, jdkDecrypt(KEY_A, IvPolicy.mediaSequence().ivFor(7), out.bytes().toByteArray()));
    assertEquals(new SegmentProtection("AES-128", "keys/00112233445566778899aabbccddeeff.key", null, "identity",
        null), out.protection());

    byte[] iv = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    Aes128SegmentEncryptor fixedIv = Aes128SegmentEncryptor.builder(
        KeyProvider.fixed(KEY_A.withIvPolicy(IvPolicy.explicit(iv)))).channel("news").build();
    TransformedSegment explicit = fixedIv.transform(new SegmentContext("stream", 7, AV), ByteSlice.wrap(clear));
    assertArrayEquals(clear, jdkDecrypt(KEY_A, iv, explicit.bytes().toByteArray()));
    assertEquals("0xa0a1a2a3a4a5a6a7a8a9aaabacadaeaf", explicit.protection().ivHex());
  }

  @Test
  void clearLeadAndRotationEveryTwoSegments() throws Exception {
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A, KEY_B))
        .channel("news")
        .rotation(KeyRotation.everySegments(2).withClearLead(1))
        .build();
    ByteSlice clear = ByteSlice.wrap(new byte[1000]);
    List<String> uris = new ArrayList<>();
    for (long seq = 0; seq < 6; seq++) {
      TransformedSegment out = aes.transform(new SegmentContext("stream", seq, AV), clear);
      if (seq == 0) {
        assertSame(clear, out.bytes(), "clear lead: published unchanged");
        assertNull(out.protection());
        uris.add(null);
        continue;
      }
      ContentKey expected = seq / 2 % 2 == 0 ? KEY_A : KEY_B;
      assertArrayEquals(clear.toByteArray(),
          jdkDecrypt(expected, IvPolicy.mediaSequence().ivFor(seq), out.bytes().toByteArray()), "segment " + seq);
      uris.add(out.protection().uri());
    }
    String a = "keys/" + KEY_A.keyId().toHex() + ".key";
    String b = "keys/" + KEY_B.keyId().toHex() + ".key";
    assertEquals(java.util.Arrays.asList(null, a, b, b, a, a), uris);
    assertEquals(List.of(KEY_A, KEY_B), aes.usedKeys());
  }

  @Test
  void everyKeyIsReportedOnceWhileUsedKeysStaysBounded() throws Exception {
    // A live channel rotating every segment for a long time: the encryptor must not keep every key.
    KeyProvider derived = KeyProvider.derived(new byte[32]);
    List<KeyId> issued = new ArrayList<>();
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(derived).channel("news")
        .rotation(KeyRotation.everySegments(1)).retainedKeys(8).onKeyIssued(k -> issued.add(k.keyId())).build();
    ByteSlice clear = ByteSlice.wrap(new byte[32]);
    for (long seq = 0; seq < 200; seq++) {
      aes.transform(new SegmentContext("stream", seq, AV), clear);
      aes.transform(new SegmentContext("audio", seq, Set.of(TrackType.AUDIO)), clear); // same period, other track
    }
    assertEquals(issued.size(), new java.util.HashSet<>(issued).size(), "each key reported once");
    assertTrue(issued.size() >= 200, "one key per period at least: " + issued.size());
    List<ContentKey> recent = aes.usedKeys();
    assertEquals(8, recent.size());
    assertEquals(issued.subList(issued.size() - 8, issued.size()),
        recent.stream().map(ContentKey::keyId).toList(), "the most recent keys, in first-use order");
  }

  @Test
  void sameInputSameBytesAndDifferentSequenceDifferentBytes() throws Exception {
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("news").build();
    ByteSlice clear = ByteSlice.wrap(new byte[4096]);
    ByteSlice first = aes.transform(new SegmentContext("stream", 3, AV), clear).bytes();
    assertEquals(first, aes.transform(new SegmentContext("stream", 3, AV), clear).bytes());
    assertNotEquals(first, aes.transform(new SegmentContext("stream", 4, AV), clear).bytes());
  }

  @Test
  void missingKeyFailsPackaging() {
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(request -> null).channel("news").build();
    MediaException e = assertThrows(MediaException.class,
        () -> aes.transform(new SegmentContext("stream", 0, AV), ByteSlice.wrap(new byte[1])));
    assertEquals(MediaException.Kind.KEY_UNAVAILABLE, e.kind());
  }

  /**
   * The deferred plan (key, signalling, length) comes from the packaging thread and its filler, run later on
   * another thread into a larger dirty array, writes exactly transform's bytes; clear lead and encrypt after
   * cache are not deferred; a missing key fails the plan itself.
   */
  @Test
  void deferredEncryptionWritesTransformsBytes() throws Exception {
    List<KeyId> issued = new ArrayList<>();
    Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A, KEY_B)).channel("news")
        .rotation(KeyRotation.everySegments(2).withClearLead(1)).onKeyIssued(k -> issued.add(k.keyId())).build();
    Aes128SegmentEncryptor reference = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A, KEY_B))
        .channel("news").rotation(KeyRotation.everySegments(2).withClearLead(1)).build();
    byte[] bytes = new byte[20_000 + 5];
    new Random(7).nextBytes(bytes);
    ByteSlice clear = ByteSlice.wrap(bytes);
    assertNull(aes.defer(new SegmentContext("stream", 0, AV), clear), "clear lead: nothing to defer");
    for (long seq = 1; seq < 5; seq++) {
      SegmentContext context = new SegmentContext("stream", seq, AV);
      DeferredSegment planned = aes.defer(context, clear);
      TransformedSegment expected = reference.transform(context, clear);
      assertEquals(expected.protection(), planned.protection(), "segment " + seq);
      assertEquals(expected.bytes().length(), planned.length(), "segment " + seq);
      byte[] out = new byte[planned.length() + 100];
      java.util.Arrays.fill(out, (byte) 0x5a);
      Thread writer = new Thread(() -> {
        try {
          planned.filler().fill(out);
        } catch (MediaException e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      writer.join();
      assertEquals(expected.bytes(), ByteSlice.wrap(out, 0, planned.length()), "segment " + seq);
      assertEquals((byte) 0x5a, out[planned.length()], "nothing written past the length");
    }
    assertEquals(List.of(KEY_A.keyId(), KEY_B.keyId()), issued, "keys issued by the plan, before any filler");

    Aes128SegmentEncryptor afterCache = Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("news")
        .deferredEncryption(true).build();
    assertNull(afterCache.defer(new SegmentContext("stream", 3, AV), clear), "encrypt after cache: transform");
    Aes128SegmentEncryptor noKey = Aes128SegmentEncryptor.builder(request -> null).channel("news").build();
    MediaException e = assertThrows(MediaException.class,
        () -> noKey.defer(new SegmentContext("stream", 0, AV), clear));
    assertEquals(MediaException.Kind.KEY_UNAVAILABLE, e.kind());
  }

  @Test
  void builderIsStrict() {
    assertThrows(IllegalStateException.class, () -> Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).build());
    assertThrows(IllegalStateException.class,
        () -> Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("a").channel("b"));
    assertThrows(IllegalArgumentException.class,
        () -> Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("../x"));
    assertTrue(Aes128SegmentEncryptor.builder(KeyProvider.fixed(KEY_A)).channel("a").keyFormat(null).build()
        != null);
  }

  static byte[] jdkDecrypt(ContentKey key, byte[] iv, byte[] encrypted) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new IvParameterSpec(iv));
    return cipher.doFinal(encrypted);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
    assertEquals(0, p.exitValue(), "openssl failed: " + log);
  }
}
