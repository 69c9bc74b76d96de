package io.iptv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.examples.cli.IptvCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISO Common Encryption ({@code cenc}, {@code cbcs}) end to end through {@code iptv package --format fmp4
 * --encryption …}: the protected sample entries and per-fragment boxes read back with a box walker of the test's
 * own, every sample decrypted with independent {@code javax.crypto} code from the auxiliary information that
 * {@code saio}/{@code saiz} point at and compared with the clear packaging's samples (rotation and clear lead
 * included), and FFmpeg decoding the encrypted output to the same frames as the clear output.
 *
 * <p>Needs ffmpeg (to make the source): skipped without it, failed when {@code CI=true}.
 */
class CencPackagingTest {
  static final String CHANNEL = "clip";
  static final int CLIP_SECONDS = 12;
  static final String KID = "0123456789abcdef0123456789abcdef";
  static final String KEY = "3c1f0e2d4b5a69788796a5b4c3d2e1f0";
  static final String KID2 = "fedcba9876543210fedcba9876543210";
  static final String KEY2 = "00112233445566778899aabbccddeeff";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  static Path work;
  static Path source;

  @BeforeAll
  static void encodeSource() throws Exception {
    source = encodeSource(work);
  }

  /** A 12 s H.264 (2 s GOPs, B-frames) + AAC MPEG-TS clip made with ffmpeg in {@code work}. */
  static Path encodeSource(Path work) throws Exception {
    return encodeSource(work, CLIP_SECONDS);
  }

  /** As {@link #encodeSource(Path)}, {@code seconds} long. */
  static Path encodeSource(Path work, int seconds) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path source = work.resolve("source.ts");
    run(ffmpeg, "-nostdin", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-bf", "2", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", source.toString());
    return source;
  }

  @ParameterizedTest
  @ValueSource(strings = {"cenc", "cbcs"})
  void decryptedSamplesEqualTheClearPackagingWithRotationAndClearLead(String scheme) throws Exception {
    Path clear = pack("clear", "--format", "fmp4");
    Path encrypted = pack("rotated-" + scheme, "--format", "fmp4", "--encryption", scheme, "--key", KID + ":" + KEY,
        "--key", KID2 + ":" + KEY2, "--rotate-every", "2", "--clear-lead", "1");
    Map<String, byte[]> keys = Map.of(KID, HEX.parseHex(KEY), KID2, HEX.parseHex(KEY2));
    List<String> renditions = renditionDirs(encrypted);
    assertEquals(renditionDirs(clear), renditions);
    assertEquals(2, renditions.size(), "video and audio renditions: " + renditions);
    for (String rendition : renditions) {
      Protection init = checkInitSegment(Files.readAllBytes(encrypted.resolve(rendition).resolve("init.mp4")),
          scheme);
      assertEquals(KID, init.kid(), "default KID: the first encrypted period's (period 0)");
      List<String> segments = segmentUris(encrypted.resolve(rendition).resolve("index.m3u8"));
      assertEquals(segmentUris(clear.resolve(rendition).resolve("index.m3u8")), segments);
      assertTrue(segments.size() >= 6, segments.toString());
      for (int sequence = 0; sequence < segments.size(); sequence++) {
        byte[] enc = Files.readAllBytes(encrypted.resolve(rendition).resolve(segments.get(sequence)));
        byte[] plain = Files.readAllBytes(clear.resolve(rendition).resolve(segments.get(sequence)));
        // crypto period = sequence / 2 with keys used in turn; sequence 0 is the clear lead
        String expectedKid = sequence == 0 ? null : (sequence / 2) % 2 == 0 ? KID : KID2;
        checkFragment(enc, plain, init, expectedKid, keys, rendition + "/" + segments.get(sequence));
      }
    }
    String playlist = Files.readString(encrypted.resolve("stream/index.m3u8"));
    String method = scheme.equals("cenc") ? "SAMPLE-AES-CTR" : "SAMPLE-AES";
    assertTrue(playlist.contains("#EXT-X-KEY:METHOD=" + method + ",URI=\"../keys/" + KID2
        + ".key\",KEYFORMAT=\"identity\"\n#EXT-X-KEY:METHOD=" + method + ",URI=\"data:text/plain;base64,"), playlist);
    assertTrue(playlist.indexOf("#EXT-X-MAP") < playlist.indexOf("#EXT-X-KEY"), "map before keys: " + playlist);
  }

  @Test
  void packagingTwiceIsByteIdentical() throws Exception {
    Path a = pack("twice-a", "--format", "fmp4", "--encryption", "cenc", "--key", KID + ":" + KEY);
    Path b = pack("twice-b", "--format", "fmp4", "--encryption", "cenc", "--key", KID + ":" + KEY);
    for (String rendition : renditionDirs(a)) {
      for (String segment : segmentUris(a.resolve(rendition).resolve("index.m3u8"))) {
        assertArrayEquals(Files.readAllBytes(a.resolve(rendition).resolve(segment)),
            Files.readAllBytes(b.resolve(rendition).resolve(segment)), rendition + "/" + segment);
      }
    }
  }

  /**
   * FFmpeg 5.1 decrypts each CMAF segment (init + segment) to exactly the frames of the clear packaging, for
   * {@code cenc} and {@code cbcs}. Segments are decoded one by one: FFmpeg 5.1's mov demuxer applies the
   * auxiliary information of the wrong fragment once a file holds several encrypted fragments (it fails the same
   * way on its own {@code -encryption_scheme cenc-aes-ctr} fragmented output: "saio atom found without saiz").
   */
  @ParameterizedTest
  @ValueSource(strings = {"cenc", "cbcs"})
  void ffmpegDecodesEverySegmentToTheFramesOfTheClearPackaging(String scheme) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path clear = pack("clear", "--format", "fmp4");
    Path encrypted = pack("ffmpeg-" + scheme, "--format", "fmp4", "--encryption", scheme, "--key", KID + ":" + KEY);
    for (String rendition : renditionDirs(encrypted)) {
      List<String> segments = segmentUris(encrypted.resolve(rendition).resolve("index.m3u8"));
      int frames = 0;
      for (String segment : segments) {
        Path clearFile = concatenate(clear.resolve(rendition), segment, work.resolve("clear.mp4"));
        Path encFile = concatenate(encrypted.resolve(rendition), segment, work.resolve(scheme + ".mp4"));
        Decode expected = framemd5(ffmpeg, clearFile, null);
        assertEquals("", expected.errors());
        Decode decrypted = framemd5(ffmpeg, encFile, KEY);
        String name = rendition + "/" + segment;
        assertEquals("", decrypted.errors(), name + ": ffmpeg must decode " + scheme + " without errors");
        assertEquals(expected.frames(), decrypted.frames(), name + ": the decoded frames of the clear packaging");
        frames += decrypted.frames().size();
        // negative control: a wrong key fails or decodes other pictures (audio: other samples)
        Decode wrong = framemd5(ffmpeg, encFile, KEY2);
        assertFalse(wrong.errors().isEmpty() && expected.frames().equals(wrong.frames()),
            name + ": a wrong key must not give the clear frames");
        assertFalse(wrong.frames().equals(expected.frames()), name + ": a wrong key must not give the clear frames");
      }
      assertTrue(frames >= (rendition.equals("stream") ? CLIP_SECONDS * 25 - 5 : 500), rendition + ": " + frames);
    }
  }

  /** HEVC (NAL-aware subsamples, measured slice segment headers) and AC-3 (full-sample) decode like the clear output. */
  @ParameterizedTest
  @ValueSource(strings = {"cenc", "cbcs"})
  void hevcAndAc3DecodeToTheFramesOfTheClearPackaging(String scheme) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path clip = io.iptv.core.testing.TestMedia.path("h265_ac3.ts");
    Path clear = pack(work, clip, "hevc-clear", "--format", "fmp4");
    Path encrypted = pack(work, clip, "hevc-" + scheme, "--format", "fmp4", "--encryption", scheme,
        "--key", KID + ":" + KEY);
    List<String> renditions = renditionDirs(encrypted);
    assertEquals(2, renditions.size(), renditions.toString());
    for (String rendition : renditions) {
      byte[] init = Files.readAllBytes(encrypted.resolve(rendition).resolve("init.mp4"));
      String text = new String(init, StandardCharsets.ISO_8859_1);
      int frma = text.indexOf("frma");
      assertTrue(frma > 0, "sinf/frma in " + rendition);
      String entry = text.substring(frma + 4, frma + 8);
      assertTrue(entry.equals("hvc1") || entry.equals("ac-3"), "original format " + entry);
      for (String segment : segmentUris(encrypted.resolve(rendition).resolve("index.m3u8"))) {
        Decode expected = framemd5(ffmpeg, concatenate(clear.resolve(rendition), segment,
            work.resolve("hevc-clear.mp4")), null);
        Decode decrypted = framemd5(ffmpeg, concatenate(encrypted.resolve(rendition), segment,
            work.resolve("hevc-" + scheme + ".mp4")), KEY);
        assertEquals("", decrypted.errors(), rendition + "/" + segment);
        assertFalse(expected.frames().isEmpty());
        assertEquals(expected.frames(), decrypted.frames(), rendition + "/" + segment);
      }
    }
  }

  // ---- the init segment

  /** The track's default protection as read back from {@code tenc}. */
  record Protection(String scheme, String kid, int ivSize, byte[] constantIv, int crypt, int skip, boolean video) {}

  static Protection checkInitSegment(byte[] init, String scheme) {
    List<Mp4BoxReader> top = Mp4BoxReader.top(init);
    Mp4BoxReader stsd = Mp4BoxReader.find(top, "stsd");
    assertNotNull(stsd);
    Mp4BoxReader entry = stsd.children(8).get(0); // FullBox header (4) + entry_count (4)
    boolean video = entry.type().equals("encv");
    assertTrue(video || entry.type().equals("enca"), "protected sample entry, not " + entry.type());
    Mp4BoxReader sinf = null;
    for (Mp4BoxReader b : entry.children(video ? 78 : 28)) { // VisualSampleEntry / AudioSampleEntry fields
      if (b.type().equals("sinf")) {
        sinf = b;
      }
    }
    assertNotNull(sinf, "sinf in " + entry.type());
    assertEquals(video ? "avc1" : "mp4a", sinf.child("frma").fourcc(0), "frma: the original format");
    Mp4BoxReader schm = sinf.child("schm");
    assertEquals(scheme, schm.fourcc(4));
    assertEquals(0x10000L, schm.u32(8), "scheme_version 1.0");
    Mp4BoxReader tenc = sinf.child("schi").child("tenc");
    boolean cbcs = scheme.equals("cbcs");
    assertEquals(cbcs ? 1 : 0, tenc.version(), "tenc version");
    int pattern = tenc.u8(5);
    assertEquals(1, tenc.u8(6), "default_isProtected");
    int ivSize = tenc.u8(7);
    String kid = HEX.formatHex(tenc.bytes(8, 16));
    byte[] constantIv = null;
    if (cbcs) {
      assertEquals(0, ivSize, "cbcs: constant IV");
      assertEquals(16, tenc.u8(24), "default_constant_IV_size");
      constantIv = tenc.bytes(25, 16);
      assertEquals(video ? 0x19 : 0x00, pattern, "cbcs pattern 1:9 for video, none for audio");
    } else {
      assertEquals(8, ivSize, "cenc: 8-byte per-sample IVs");
      assertEquals(0, pattern);
    }
    return new Protection(scheme, kid, ivSize, constantIv, pattern >> 4, pattern & 15, video);
  }

  // ---- one media segment

  /** Checks the boxes of one encrypted fragment and decrypts it into the clear fragment's samples. */
  static void checkFragment(byte[] enc, byte[] plain, Protection init, String expectedKid, Map<String, byte[]> keys,
      String name) throws Exception {
    List<byte[]> clearSamples = samples(plain);
    List<Mp4BoxReader> top = Mp4BoxReader.top(enc);
    Mp4BoxReader moof = top.stream().filter(b -> b.type().equals("moof")).findFirst().orElseThrow();
    Mp4BoxReader traf = moof.child("traf");
    List<byte[]> encSamples = samples(enc);
    assertEquals(clearSamples.size(), encSamples.size(), name + ": sample count");
    Mp4BoxReader sgpd = traf.child("sgpd");
    if (expectedKid == null) { // clear lead: seig group with isProtected = 0, no aux info
      assertNotNull(sgpd, name + ": clear fragment of a protected track needs a seig group");
      assertEquals("seig", sgpd.fourcc(4));
      assertEquals(0, sgpd.u8(16 + 2), name + ": isProtected = 0");
      assertNull(traf.child("senc"), name);
      for (int i = 0; i < clearSamples.size(); i++) {
        assertArrayEquals(clearSamples.get(i), encSamples.get(i), name + " sample " + i);
      }
      return;
    }
    int ivSize = init.ivSize();
    byte[] constantIv = init.constantIv();
    String kid = init.kid();
    if (!expectedKid.equals(init.kid())) { // rotated key: its own seig group, pssh-free here
      assertNotNull(sgpd, name + ": rotated key needs a seig group");
      assertEquals("seig", sgpd.fourcc(4));
      Mp4BoxReader sbgp = traf.child("sbgp");
      assertEquals(encSamples.size(), sbgp.u32(12), name + ": every sample in the group");
      assertEquals(0x10001L, sbgp.u32(16), name + ": the fragment-local group entry");
      int entry = 16; // FullBox (4), grouping_type (4), default_length (4), entry_count (4)
      assertEquals(1, sgpd.u8(entry + 2), name + ": isProtected");
      ivSize = sgpd.u8(entry + 3);
      kid = HEX.formatHex(sgpd.bytes(entry + 4, 16));
      if (ivSize == 0) {
        constantIv = sgpd.bytes(entry + 21, sgpd.u8(entry + 20));
      }
    } else {
      assertNull(sgpd, name + ": default key needs no group");
    }
    assertEquals(expectedKid, kid, name + ": KID");
    byte[] key = keys.get(kid);
    // the auxiliary information where saio/saiz say it is (not where senc happens to be)
    Mp4BoxReader saiz = traf.child("saiz");
    Mp4BoxReader saio = traf.child("saio");
    Mp4BoxReader senc = traf.child("senc");
    if (ivSize == 0 && !init.video()) { // cbcs audio: constant IV, full sample: no auxiliary information at all
      assertNull(senc, name);
      assertNull(saiz, name);
      for (int i = 0; i < encSamples.size(); i++) {
        byte[] decrypted = decryptCbcs(key, constantIv, encSamples.get(i), new int[0], 0, 0);
        assertArrayEquals(clearSamples.get(i), decrypted, name + ": sample " + i + " decrypts to the clear sample");
      }
      return;
    }
    assertNotNull(saiz, name);
    assertNotNull(saio, name);
    assertNotNull(senc, name);
    int n = encSamples.size();
    assertEquals(n, saiz.u32(5), name + ": saiz sample_count");
    assertEquals(1, saio.u32(4), name + ": saio entry_count");
    int aux = moof.start() + (int) saio.u32(8);
    assertEquals(senc.payload() + 8, aux, name + ": saio points at the first IV in senc");
    boolean subsamples = (senc.flags() & 2) != 0;
    assertEquals(init.video(), subsamples, name + ": subsamples for video only");
    ByteBuffer info = ByteBuffer.wrap(enc, aux, senc.end() - aux);
    for (int i = 0; i < n; i++) {
      int size = saiz.u8(4) != 0 ? saiz.u8(4) : saiz.u8(9 + i);
      int before = info.position();
      byte[] iv = new byte[16];
      info.get(iv, 0, ivSize);
      int[] pairs = new int[0];
      if (subsamples) {
        int count = info.getShort() & 0xFFFF;
        pairs = new int[2 * count];
        for (int k = 0; k < count; k++) {
          pairs[2 * k] = info.getShort() & 0xFFFF;
          pairs[2 * k + 1] = info.getInt();
        }
      }
      assertEquals(size, info.position() - before, name + ": saiz size of sample " + i);
      byte[] sample = encSamples.get(i).clone();
      if (subsamples) {
        assertEquals(sample.length, Arrays.stream(pairs).sum(), name + ": subsamples cover sample " + i);
        for (int k = 0; k < pairs.length; k += 2) {
          if (init.scheme().equals("cenc")) {
            assertEquals(0, pairs[k + 1] % 16, name + ": cenc protected range of whole blocks");
          }
        }
      }
      byte[] decrypted = init.scheme().equals("cenc") ? decryptCenc(key, iv, sample, pairs)
          : decryptCbcs(key, constantIv, sample, pairs, init.video() ? 1 : 0, init.video() ? 9 : 0);
      assertArrayEquals(clearSamples.get(i), decrypted, name + ": sample " + i + " decrypts to the clear sample");
      assertFalse(Arrays.equals(clearSamples.get(i), encSamples.get(i)) && sample.length > 64,
          name + ": sample " + i + " is encrypted");
    }
  }

  /** AES-CTR, counter block IV || 0, running over the protected ranges only (ISO/IEC 23001-7 §10.1). */
  static byte[] decryptCenc(byte[] key, byte[] iv16, byte[] sample, int[] pairs) throws Exception {
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv16));
    if (pairs.length == 0) {
      return ctr.doFinal(sample);
    }
    ByteArrayOutputStream protectedBytes = new ByteArrayOutputStream();
    int pos = 0;
    for (int k = 0; k < pairs.length; k += 2) {
      pos += pairs[k];
      protectedBytes.write(sample, pos, pairs[k + 1]);
      pos += pairs[k + 1];
    }
    byte[] plain = ctr.doFinal(protectedBytes.toByteArray());
    byte[] out = sample.clone();
    pos = 0;
    int from = 0;
    for (int k = 0; k < pairs.length; k += 2) {
      pos += pairs[k];
      System.arraycopy(plain, from, out, pos, pairs[k + 1]);
      from += pairs[k + 1];
      pos += pairs[k + 1];
    }
    return out;
  }

  /** AES-CBC pattern decryption, block by block, IV reset per subsample (ISO/IEC 23001-7 §10.4). */
  static byte[] decryptCbcs(byte[] key, byte[] iv, byte[] sample, int[] pairs, int crypt, int skip)
      throws Exception {
    byte[] out = sample.clone();
    int[] ranges = pairs.length == 0 ? new int[] {0, sample.length} : pairs;
    Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
    int pos = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      pos += ranges[k];
      int length = ranges[k + 1];
      cbc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      int blocks = length / 16;
      for (int b = 0; b < blocks; b++) {
        boolean encrypted = skip == 0 || b % (crypt + skip) < crypt;
        if (encrypted) {
          byte[] block = cbc.update(sample, pos + b * 16, 16);
          System.arraycopy(block, 0, out, pos + b * 16, 16);
        }
      }
      pos += length;
    }
    return out;
  }

  /** The samples of every fragment of a segment, from trun and mdat. */
  static List<byte[]> samples(byte[] segment) {
    List<byte[]> out = new ArrayList<>();
    List<Mp4BoxReader> top = Mp4BoxReader.top(segment);
    for (Mp4BoxReader moof : top) {
      if (!moof.type().equals("moof")) {
        continue;
      }
      Mp4BoxReader trun = moof.child("traf").child("trun");
      int flags = trun.flags();
      int count = (int) trun.u32(4);
      int at = 8;
      int dataOffset = (int) trun.u32(at);
      at += 4;
      if ((flags & 0x4) != 0) {
        at += 4;
      }
      int pos = moof.start() + dataOffset;
      for (int i = 0; i < count; i++) {
        if ((flags & 0x100) != 0) {
          at += 4;
        }
        int size = (int) trun.u32(at);
        at += 4;
        if ((flags & 0x400) != 0) {
          at += 4;
        }
        if ((flags & 0x800) != 0) {
          at += 4;
        }
        out.add(Arrays.copyOfRange(segment, pos, pos + size));
        pos += size;
      }
    }
    return out;
  }

  // ---- helpers

  /** init.mp4 followed by one segment of a rendition, in one file. */
  static Path concatenate(Path rendition, String segment, Path target) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(Files.readAllBytes(rendition.resolve("init.mp4")));
    all.write(Files.readAllBytes(rendition.resolve(segment)));
    Files.write(target, all.toByteArray());
    return target;
  }

  record Decode(String errors, List<String> frames) {}

  /** {@code ffmpeg -v error [-decryption_key K] -i file -f framemd5}: the error log and each frame's MD5. */
  static Decode framemd5(String ffmpeg, Path file, String key) throws Exception {
    Path out = file.resolveSibling("md5-" + System.nanoTime() + ".txt");
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-v", "error"));
    if (key != null) {
      command.addAll(List.of("-decryption_key", key));
    }
    command.addAll(List.of("-i", file.toString(), "-f", "framemd5", out.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish");
    String errors = p.exitValue() == 0 ? log.strip() : "exit " + p.exitValue() + ": " + log;
    List<String> frames = Files.exists(out) ? Files.readAllLines(out).stream().filter(l -> !l.startsWith("#"))
        .map(l -> l.substring(l.lastIndexOf(',') + 1).strip()).toList() : List.of();
    return new Decode(errors.length() > 2000 ? errors.substring(0, 2000) : errors, frames);
  }

  /** The rendition directories (those with an init segment), sorted. */
  static List<String> renditionDirs(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> Files.exists(p.resolve("init.mp4"))).map(p -> p.getFileName().toString()).sorted()
          .toList();
    }
  }

  /** {@code iptv package} of the source into {@code work/name/clip} with 2 s segments (once per name). */
  static Path pack(String name, String... options) throws Exception {
    return pack(work, source, name, options);
  }

  /** {@code iptv package} of {@code source} into {@code work/name/clip} with 2 s segments (once per name). */
  static Path pack(Path work, Path source, String name, String... options) throws Exception {
    Path output = work.resolve(name).resolve(CHANNEL);
    if (Files.exists(output)) {
      return output;
    }
    List<String> args = new ArrayList<>(List.of("package", "--input", source.toString(), "--output",
        output.toString(), "--segment-duration", "2", "--quiet"));
    args.addAll(List.of(options));
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(0, code, "iptv package failed: " + err);
    return output;
  }

  static List<String> segmentUris(Path playlist) throws IOException {
    return Files.readAllLines(playlist).stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + command[0]);
    assertEquals(0, p.exitValue(), command[0] + " failed: " + log);
  }
}
