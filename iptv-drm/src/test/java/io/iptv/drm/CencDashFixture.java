package io.iptv.drm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test fixture: turns a clear fragmented MP4 (one H.264 track, as ffmpeg writes with
 * {@code -movflags frag_keyframe+empty_moov+default_base_moof}) into a {@code cenc}-encrypted DASH stream
 * (ISO/IEC 23001-7 §10.1 AES-CTR, H.264 subsample encryption), independently of the library's encryptors:
 * ffmpeg 5.1 encrypts only non-fragmented MP4, which MSE players cannot use.
 *
 * <p>Init segment: {@code avc1} becomes {@code encv} + {@code sinf}(frma, schm 'cenc', schi/tenc), and the
 * W3C common {@code pssh} ({@link PsshBox#common}) is appended to {@code moov}. Each fragment gets
 * {@code saiz}/{@code saio}/{@code senc} (8-byte IVs, one subsample per NAL unit: length prefix and NAL header
 * clear, the rest of a slice encrypted, other NAL units clear) and its {@code trun} data offset moved. The MPD
 * carries {@code mp4protection} with {@code cenc:default_KID} and the ClearKey {@code cenc:pssh}.
 */
final class CencDashFixture {
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] file;
  private final KeyId kid;
  private final byte[] key;
  private long ivCounter = 1;
  private long timescale;
  private String codecs;
  private final List<long[]> timeline = new ArrayList<>(); // {tfdt, duration}

  private CencDashFixture(byte[] file, KeyId kid, byte[] key) {
    this.file = file;
    this.kid = kid;
    this.key = key;
  }

  /** Writes {@code init.mp4}, {@code seg-N.m4s} and {@code manifest.mpd} into {@code out}. */
  static CencDashFixture write(Path clearFragmentedMp4, KeyId kid, byte[] key, Path out) throws IOException {
    CencDashFixture fixture = new CencDashFixture(Files.readAllBytes(clearFragmentedMp4), kid, key);
    fixture.run(out);
    return fixture;
  }

  /**
   * Writes an HLS media playlist {@code name} over the same segments (RFC 8216: EXT-X-MAP for the init
   * segment), signalling {@code keys} as its {@code EXT-X-KEY} lines.
   */
  void writeHlsPlaylist(Path out, String name, List<io.iptv.core.pipeline.SegmentProtection> keys) throws IOException {
    StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:");
    long longest = timeline.stream().mapToLong(t -> t[1]).max().orElse(0);
    m3u8.append((longest + timescale - 1) / timescale).append("\n#EXT-X-PLAYLIST-TYPE:VOD\n");
    for (io.iptv.core.pipeline.SegmentProtection k : keys) {
      m3u8.append("#EXT-X-KEY:METHOD=").append(k.method()).append(",URI=\"").append(k.uri()).append('"');
      if (k.ivHex() != null) {
        m3u8.append(",IV=").append(k.ivHex());
      }
      m3u8.append(",KEYFORMAT=\"").append(k.keyFormat()).append("\",KEYFORMATVERSIONS=\"")
          .append(k.keyFormatVersions()).append("\"\n");
    }
    m3u8.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
    for (int i = 0; i < timeline.size(); i++) {
      m3u8.append(String.format(java.util.Locale.ROOT, "#EXTINF:%.3f,%nseg-%d.m4s%n",
          (double) timeline.get(i)[1] / timescale, i + 1));
    }
    m3u8.append("#EXT-X-ENDLIST\n");
    Files.writeString(out.resolve(name), m3u8, StandardCharsets.UTF_8);
  }

  private void run(Path out) throws IOException {
    int off = 0;
    int segment = 0;
    while (off + 8 <= file.length) {
      int size = u32(file, off);
      String type = type(file, off);
      if (size < 8 || off + size > file.length) {
        throw new IOException("bad box " + type + " at " + off);
      }
      if (type.equals("moov")) {
        Files.write(out.resolve("init.mp4"), concat(slice(0, off), encryptMoov(slice(off, size))));
      } else if (type.equals("moof")) {
        int mdatSize = u32(file, off + size);
        if (!type(file, off + size).equals("mdat")) {
          throw new IOException("moof without mdat");
        }
        segment++;
        Files.write(out.resolve("seg-" + segment + ".m4s"), encryptFragment(slice(off, size), slice(off + size, mdatSize)));
        size += mdatSize;
      }
      off += size;
    }
    Files.writeString(out.resolve("manifest.mpd"), mpd(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------------ init

  private byte[] encryptMoov(byte[] moov) throws IOException {
    int[] chain = path(moov, 0, "trak", "mdia", "minf", "stbl", "stsd", "avc1"); // offsets of each box
    int mdhd = find(moov, chain[1], "mdhd");
    timescale = Integer.toUnsignedLong(u32(moov, mdhd + 8 + 4 + 8)); // v0: creation, modification, timescale
    int avc1 = chain[5];
    int avcC = findChild(moov, avc1, 8 + 78, "avcC");
    codecs = String.format("avc1.%02x%02x%02x", moov[avcC + 9] & 0xFF, moov[avcC + 10] & 0xFF, moov[avcC + 11] & 0xFF);
    byte[] tenc = fullBox("tenc", 0, 0, ByteBuffer.allocate(20).put((byte) 0).put((byte) 0) // reserved (16)
        .put((byte) 1).put((byte) 8).put(kid.toByteArray()).array()); // isProtected, Per_Sample_IV_Size, KID
    byte[] sinf = box("sinf", concat(box("frma", "avc1".getBytes(StandardCharsets.US_ASCII)),
        fullBox("schm", 0, 0, concat("cenc".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 1, 0, 0})),
        box("schi", tenc)));
    int avc1End = avc1 + u32(moov, avc1);
    byte[] grown = concat(slice(moov, 0, avc1End), sinf, slice(moov, avc1End, moov.length - avc1End));
    for (int boxOffset : chain) {
      putU32(grown, boxOffset, u32(grown, boxOffset) + sinf.length);
    }
    putU32(grown, 0, u32(grown, 0) + sinf.length); // moov itself
    System.arraycopy("encv".getBytes(StandardCharsets.US_ASCII), 0, grown, avc1 + 4, 4);
    byte[] pssh = PsshBox.common(List.of(kid)).toByteArray();
    byte[] out = concat(grown, pssh);
    putU32(out, 0, out.length);
    return out;
  }

  // ------------------------------------------------------------------------------------------ fragments

  private byte[] encryptFragment(byte[] moof, byte[] mdat) throws IOException {
    int traf = find(moof, 0, "traf");
    int tfhd = findChild(moof, traf, 8, "tfhd");
    int tfdt = findChild(moof, traf, 8, "tfdt");
    int trun = findChild(moof, traf, 8, "trun");
    int tfhdFlags = u32(moof, tfhd + 8) & 0xFFFFFF;
    if ((tfhdFlags & 0x1) != 0 || (tfhdFlags & 0x20000) == 0) {
      throw new IOException("expected default-base-is-moof without base_data_offset");
    }
    int p = tfhd + 16;
    p += (tfhdFlags & 0x2) != 0 ? 4 : 0; // sample_description_index
    long defaultDuration = 0;
    if ((tfhdFlags & 0x8) != 0) {
      defaultDuration = Integer.toUnsignedLong(u32(moof, p));
      p += 4;
    }
    int defaultSize = (tfhdFlags & 0x10) != 0 ? u32(moof, p) : -1;
    int tfdtVersion = moof[tfdt + 8];
    long baseTime = tfdtVersion == 1 ? ByteBuffer.wrap(moof, tfdt + 12, 8).getLong()
        : Integer.toUnsignedLong(u32(moof, tfdt + 12));
    int trunFlags = u32(moof, trun + 8) & 0xFFFFFF;
    int count = u32(moof, trun + 12);
    int dataOffsetField = trun + 16;
    if ((trunFlags & 0x1) == 0) {
      throw new IOException("trun without data_offset");
    }
    int dataOffset = u32(moof, dataOffsetField);
    p = dataOffsetField + 4 + ((trunFlags & 0x4) != 0 ? 4 : 0);
    int[] sizes = new int[count];
    long duration = 0;
    for (int i = 0; i < count; i++) {
      duration += (trunFlags & 0x100) != 0 ? Integer.toUnsignedLong(u32(moof, p)) : defaultDuration;
      p += (trunFlags & 0x100) != 0 ? 4 : 0;
      sizes[i] = (trunFlags & 0x200) != 0 ? u32(moof, p) : defaultSize;
      p += (trunFlags & 0x200) != 0 ? 4 : 0;
      p += (trunFlags & 0x400) != 0 ? 4 : 0;
      p += (trunFlags & 0x800) != 0 ? 4 : 0;
      if (sizes[i] < 0) {
        throw new IOException("no sample size");
      }
    }
    timeline.add(new long[] {baseTime, duration});

    // Encrypt the samples in mdat and collect their auxiliary information.
    byte[] encryptedMdat = mdat.clone();
    int sampleStart = dataOffset - moof.length; // offset inside mdat (moof is the base)
    ByteArrayOutputStream senc = new ByteArrayOutputStream();
    int[] auxSizes = new int[count];
    for (int i = 0; i < count; i++) {
      byte[] iv = ByteBuffer.allocate(8).putLong(ivCounter++).array();
      List<int[]> subsamples = encryptSample(encryptedMdat, sampleStart, sizes[i], iv);
      senc.writeBytes(iv);
      senc.writeBytes(ByteBuffer.allocate(2).putShort((short) subsamples.size()).array());
      for (int[] s : subsamples) {
        senc.writeBytes(ByteBuffer.allocate(6).putShort((short) s[0]).putInt(s[1]).array());
      }
      auxSizes[i] = 8 + 2 + 6 * subsamples.size();
      sampleStart += sizes[i];
    }
    ByteBuffer saizBody = ByteBuffer.allocate(5 + count).put((byte) 0).putInt(count); // default size 0, count
    for (int s : auxSizes) {
      saizBody.put((byte) s);
    }
    byte[] saiz = fullBox("saiz", 0, 0, saizBody.array());
    byte[] sencBox = fullBox("senc", 0, 0x2, concat(ByteBuffer.allocate(4).putInt(count).array(), senc.toByteArray()));
    int saioLength = 8 + 4 + 4 + 4;
    int trafEnd = traf + u32(moof, traf);
    // saio offset: from the moof start to the first IV inside senc (after its 16-byte header).
    int firstAux = trafEnd + saiz.length + saioLength + 16;
    byte[] saio = fullBox("saio", 0, 0, ByteBuffer.allocate(8).putInt(1).putInt(firstAux).array());
    byte[] added = concat(saiz, saio, sencBox);
    byte[] newMoof = concat(slice(moof, 0, trafEnd), added, slice(moof, trafEnd, moof.length - trafEnd));
    putU32(newMoof, 0, newMoof.length);
    putU32(newMoof, traf, u32(newMoof, traf) + added.length);
    putU32(newMoof, dataOffsetField, dataOffset + added.length);
    return concat(newMoof, encryptedMdat);
  }

  /** One subsample per NAL unit (4-byte lengths); encrypts slices (types 1, 5) in place with AES-CTR. */
  private List<int[]> encryptSample(byte[] mdat, int start, int size, byte[] iv) throws IOException {
    List<int[]> subsamples = new ArrayList<>();
    ByteArrayOutputStream protectedBytes = new ByteArrayOutputStream();
    List<int[]> ranges = new ArrayList<>();
    int p = start;
    int end = start + size;
    while (p < end) {
      int nalLength = u32(mdat, p);
      if (nalLength <= 0 || p + 4 + nalLength > end) {
        throw new IOException("bad NAL length " + nalLength);
      }
      int nalType = mdat[p + 4] & 0x1F;
      boolean slice = nalType == 1 || nalType == 5;
      int clear = slice ? 5 : 4 + nalLength;
      int encrypted = 4 + nalLength - clear;
      while (clear > 0xFFFF) { // clear counts are 16-bit: split large clear NAL units
        subsamples.add(new int[] {0xFFFF, 0});
        clear -= 0xFFFF;
      }
      subsamples.add(new int[] {clear, encrypted});
      if (encrypted > 0) {
        ranges.add(new int[] {p + clear, encrypted});
        protectedBytes.write(mdat, p + clear, encrypted);
      }
      p += 4 + nalLength;
    }
    byte[] cipherText = ctr(protectedBytes.toByteArray(), iv);
    int q = 0;
    for (int[] r : ranges) {
      System.arraycopy(cipherText, q, mdat, r[0], r[1]);
      q += r[1];
    }
    return subsamples;
  }

  private byte[] ctr(byte[] plain, byte[] iv8) throws IOException {
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(concat(iv8, new byte[8])));
      return aes.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------ MPD

  private String mpd() {
    String hex = kid.toHex();
    String uuid = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20);
    long total = timeline.stream().mapToLong(t -> t[1]).sum();
    StringBuilder s = new StringBuilder();
    for (long[] t : timeline) {
      s.append("<S t=\"").append(t[0]).append("\" d=\"").append(t[1]).append("\"/>");
    }
    String pssh = Base64.getEncoder().encodeToString(PsshBox.common(List.of(kid)).toByteArray());
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:cenc=\"urn:mpeg:cenc:2013\" type=\"static\""
        + " profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" minBufferTime=\"PT2S\""
        + " mediaPresentationDuration=\"PT" + String.format(java.util.Locale.ROOT, "%.3f", (double) total / timescale)
        + "S\">\n<Period id=\"0\" start=\"PT0S\">\n<AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\""
        + " segmentAlignment=\"true\">\n"
        + "<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\" cenc:default_KID=\""
        + uuid + "\"/>\n"
        + "<ContentProtection schemeIdUri=\"" + DrmSystem.CLEARKEY.schemeIdUri() + "\"><cenc:pssh>" + pssh
        + "</cenc:pssh></ContentProtection>\n"
        + "<Representation id=\"v\" codecs=\"" + codecs + "\" bandwidth=\"500000\">\n"
        + "<SegmentTemplate timescale=\"" + timescale + "\" initialization=\"init.mp4\" media=\"seg-$Number$.m4s\""
        + " startNumber=\"1\"><SegmentTimeline>" + s + "</SegmentTimeline></SegmentTemplate>\n"
        + "</Representation>\n</AdaptationSet>\n</Period>\n</MPD>\n";
  }

  // ------------------------------------------------------------------------------------------ boxes

  /** Offsets of the boxes along {@code types}, each searched among the children of the previous one. */
  private static int[] path(byte[] b, int parent, String... types) throws IOException {
    int[] offsets = new int[types.length];
    int current = parent;
    for (int i = 0; i < types.length; i++) {
      String parentType = type(b, current);
      int headerSkip = parentType.equals("stsd") ? 16 : 8;
      current = findChild(b, current, headerSkip, types[i]);
      offsets[i] = current;
    }
    return offsets;
  }

  private static int find(byte[] b, int parent, String type) throws IOException {
    return findChild(b, parent, 8, type);
  }

  private static int findChild(byte[] b, int parent, int headerSkip, String type) throws IOException {
    int end = parent + u32(b, parent);
    for (int p = parent + headerSkip; p + 8 <= end; p += Math.max(8, u32(b, p))) {
      if (type(b, p).equals(type)) {
        return p;
      }
    }
    throw new IOException("no " + type + " in " + type(b, parent));
  }

  private static byte[] box(String type, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length)
        .put(type.getBytes(StandardCharsets.US_ASCII)).put(payload).array();
  }

  private static byte[] fullBox(String type, int version, int flags, byte[] payload) {
    return box(type, concat(ByteBuffer.allocate(4).putInt((version << 24) | flags).array(), payload));
  }

  private byte[] slice(int from, int length) {
    return slice(file, from, length);
  }

  private static byte[] slice(byte[] b, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(b, from, out, 0, length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int u32(byte[] b, int off) {
    return ByteBuffer.wrap(b, off, 4).getInt();
  }

  private static void putU32(byte[] b, int off, int value) {
    ByteBuffer.wrap(b, off, 4).putInt(value);
  }

  private static String type(byte[] b, int off) {
    return new String(b, off + 4, 4, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "CencDashFixture[kid=" + kid + ", key=" + (key.length == 0 ? "" : "<redacted>") + ", " + HEX + "]";
  }
}
