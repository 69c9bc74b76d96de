package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.time.Timestamps;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ISO Common Encryption boxes of the fMP4 writers (ISO/IEC 23001-7, ISO/IEC 14496-12), read back with the
 * test's own box walker: {@code encv}/{@code enca} + {@code sinf} ({@code frma}, {@code schm}, {@code tenc} v0 /
 * v1), {@code pssh} in {@code moov}, per fragment {@code senc}/{@code saiz}/{@code saio} with {@code saio}
 * pointing at the first IV, and the {@code seig} group of a rotated key (with its {@code pssh} in {@code moof})
 * or of a clear fragment. The encryptor is a fake (XOR, fixed subsamples): the boxes, not the cipher, are tested.
 */
class CencBoxesTest {
  private static final byte[] KID_A = filled(0xA1);
  private static final byte[] KID_B = filled(0xB2);
  private static Fmp4TestSupport.Track video;
  private static Fmp4TestSupport.Track audio;

  @BeforeAll
  static void demux() throws MediaException {
    for (Fmp4TestSupport.Track t : Fmp4TestSupport.demux("h264_aac.ts").values()) {
      if (t.format().type() == TrackType.VIDEO) {
        video = t;
      } else if (t.format().type() == TrackType.AUDIO) {
        audio = t;
      }
    }
  }

  @Test
  void initSegmentWrapsTheSampleEntryInEncvWithSinfAndCarriesPssh() throws MediaException {
    Fmp4Track track = Fmp4Track.of(1, video.format(), null);
    FakeEncryptor cenc = new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A);
    byte[] init = InitSegmentWriter.write(List.of(track), TrackEncryption.of(cenc, video.format())).toByteArray();
    Box moov = Box.find(Box.top(init), "moov");
    Box encv = Box.find(Box.top(init), "stsd").children(8).get(0);
    assertEquals("encv", encv.type);
    List<Box> entryChildren = encv.children(78);
    assertEquals(List.of("avcC", "sinf"), entryChildren.stream().map(b -> b.type).toList(), "avcC kept, then sinf");
    Box sinf = entryChildren.get(1);
    assertEquals("avc1", sinf.child("frma").fourcc(0));
    assertEquals("cenc", sinf.child("schm").fourcc(4));
    assertEquals(0x10000, sinf.child("schm").u32(8));
    Box tenc = sinf.child("schi").child("tenc");
    assertEquals(0, tenc.u8(0), "tenc version 0 for cenc");
    assertEquals(0, tenc.u8(5), "no pattern");
    assertEquals(1, tenc.u8(6), "default_isProtected");
    assertEquals(8, tenc.u8(7), "default_Per_Sample_IV_Size");
    assertArrayEquals(KID_A, tenc.bytes(8, 16));
    assertEquals(8 + 4 + 4 + 16, tenc.size(), "v0 tenc without constant IV");
    Box pssh = moov.child("pssh");
    assertNotNull(pssh, "pssh in moov");
    assertArrayEquals(cenc.psshBoxes().get(0).toByteArray(), Arrays.copyOfRange(init, pssh.start, pssh.end));
    // a clear init segment is unchanged
    assertEquals("avc1", Box.find(Box.top(InitSegmentWriter.write(List.of(track)).toByteArray()), "stsd")
        .children(8).get(0).type);
  }

  @Test
  void cbcsTencIsVersionOneWithPatternAndConstantIv() throws MediaException {
    FakeEncryptor cbcs = new FakeEncryptor(SampleEncryptionScheme.CBCS, KID_A);
    byte[] init = InitSegmentWriter.write(List.of(Fmp4Track.of(1, video.format(), null)),
        TrackEncryption.of(cbcs, video.format())).toByteArray();
    Box tenc = Box.find(Box.top(init), "tenc");
    assertEquals(1, tenc.u8(0), "version 1");
    assertEquals(0x19, tenc.u8(5), "crypt 1, skip 9");
    assertEquals(0, tenc.u8(7), "constant IV");
    assertEquals(16, tenc.u8(24), "default_constant_IV_size");
    assertArrayEquals(cbcs.constantIv(), tenc.bytes(25, 16));
    // audio: enca, no pattern
    byte[] audioInit = InitSegmentWriter.write(List.of(Fmp4Track.of(1, audio.format(), null)),
        TrackEncryption.of(cbcs, audio.format())).toByteArray();
    Box enca = Box.find(Box.top(audioInit), "stsd").children(8).get(0);
    assertEquals("enca", enca.type);
    assertEquals("mp4a", Box.find(enca.children(28), "frma").fourcc(0));
    assertEquals(0, Box.find(Box.top(audioInit), "tenc").u8(5), "audio: no pattern");
  }

  @Test
  void fragmentCarriesSencSaizSaioAndTheEncryptedSamples() throws MediaException {
    List<MediaSample> samples = video.samples().subList(0, 25);
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A),
        video.format());
    byte[] clear = write(samples, null, null);
    FakeEncryptor encryptor = new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A);
    byte[] enc = write(samples, defaults, encryptor);
    Box moof = Box.find(Box.top(enc), "moof");
    Box traf = moof.child("traf");
    assertNull(traf.child("sgpd"), "the default key needs no sample group");
    assertNull(moof.child("pssh"));
    Box senc = traf.child("senc");
    Box saiz = traf.child("saiz");
    Box saio = traf.child("saio");
    assertEquals(2, senc.u32(0) & 0xFFFFFF, "senc flags: subsamples");
    assertEquals(samples.size(), senc.u32(4));
    assertEquals(8 + 2 + 6, saiz.u8(4), "default_sample_info_size: IV, count, one pair");
    assertEquals(samples.size(), saiz.u32(5));
    assertEquals(1, saio.u32(4));
    assertEquals(senc.payload + 8, moof.start + saio.u32(8), "saio: first IV, relative to moof");
    List<byte[]> clearSamples = samples(clear);
    List<byte[]> encSamples = samples(enc);
    ByteBuffer aux = ByteBuffer.wrap(enc, senc.payload + 8, senc.end - senc.payload - 8);
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(i, aux.getLong(), "IV of sample " + i);
      assertEquals(1, aux.getShort());
      int clearBytes = aux.getShort() & 0xFFFF;
      int protectedBytes = aux.getInt();
      assertEquals(clearSamples.get(i).length, clearBytes + protectedBytes);
      assertArrayEquals(FakeEncryptor.xor(clearSamples.get(i), clearBytes), encSamples.get(i), "sample " + i);
    }
  }

  @Test
  void rotatedKeyGetsASeigGroupAndItsPsshInTheMoof() throws MediaException {
    List<MediaSample> samples = video.samples().subList(0, 10);
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CBCS, KID_A),
        video.format());
    FakeEncryptor rotated = new FakeEncryptor(SampleEncryptionScheme.CBCS, KID_B);
    byte[] enc = write(samples, defaults, rotated);
    Box moof = Box.find(Box.top(enc), "moof");
    assertNotNull(moof.child("pssh"), "the new key's pssh in the moof");
    Box traf = moof.child("traf");
    Box sbgp = traf.child("sbgp");
    Box sgpd = traf.child("sgpd");
    assertEquals("seig", sbgp.fourcc(4));
    assertEquals(samples.size(), sbgp.u32(12));
    assertEquals(0x10001, sbgp.u32(16));
    assertEquals("seig", sgpd.fourcc(4));
    assertEquals(1, sgpd.u8(0), "sgpd version 1");
    assertEquals(37, sgpd.u32(8), "entry: 20 bytes + constant IV size + 16");
    assertEquals(0x19, sgpd.u8(17), "pattern");
    assertEquals(1, sgpd.u8(18), "isProtected");
    assertEquals(0, sgpd.u8(19), "constant IV");
    assertArrayEquals(KID_B, sgpd.bytes(20, 16));
    assertEquals(16, sgpd.u8(36));
    assertArrayEquals(rotated.constantIv(), sgpd.bytes(37, 16));
    assertEquals(2 + 6, traf.child("saiz").u8(4), "cbcs: no IV, one pair per sample");
  }

  @Test
  void clearFragmentOfAProtectedTrackIsMarkedUnprotected() throws MediaException {
    List<MediaSample> samples = audio.samples().subList(0, 10);
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A),
        audio.format());
    byte[] clearTrack = write(samples, null, null);
    byte[] clearLead = write(samples, defaults, null);
    Box traf = Box.find(Box.top(clearLead), "traf");
    Box sgpd = traf.child("sgpd");
    assertNotNull(sgpd);
    assertEquals(0, sgpd.u8(18), "isProtected = 0");
    assertArrayEquals(new byte[16], sgpd.bytes(20, 16), "KID = 0");
    assertNull(traf.child("senc"));
    assertEquals(samples(clearTrack).stream().map(Arrays::toString).toList(),
        samples(clearLead).stream().map(Arrays::toString).toList(), "samples in the clear");
  }

  /**
   * A fragment per sync sample (I-frame playlists), encrypted: the samples are encrypted in the segment's own
   * buffer and each fragment's {@code moof} put in front of them; every {@code moof} is followed by its
   * {@code mdat}, {@code saio} points at its own {@code senc}, the samples decrypt to the clear ones, and the
   * {@code sidx} covers them all.
   */
  @Test
  void everyFragmentOfASegmentIsEncryptedInPlace() throws MediaException {
    List<MediaSample> samples = video.samples().subList(0, 60);
    Fmp4Track track = Fmp4Track.of(1, video.format(), null);
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A),
        video.format());
    byte[] clear = CmafSegmentWriter.builder(track).syncSampleFragments(true).sidx(true).build()
        .write(0, samples, Timestamps.NO_TIMESTAMP).bytes().toByteArray();
    byte[] enc = CmafSegmentWriter.builder(track).syncSampleFragments(true).sidx(true).protection(defaults).build()
        .write(0, samples, Timestamps.NO_TIMESTAMP, new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A))
        .bytes().toByteArray();
    List<Box> top = Box.top(enc);
    List<Box> clearTop = Box.top(clear);
    int fragments = 0;
    int sample = 0;
    for (int b = 0; b < top.size(); b++) {
      if (!top.get(b).type.equals("moof")) {
        continue;
      }
      Box moof = top.get(b);
      Box mdat = top.get(b + 1);
      assertEquals("mdat", mdat.type, "an mdat right after moof " + fragments);
      Box senc = moof.child("traf").child("senc");
      assertEquals(senc.payload + 8, moof.start + moof.child("traf").child("saio").u32(8), "saio of " + fragments);
      List<byte[]> encSamples = samples(enc, moof);
      List<byte[]> clearSamples = samples(clear, Box.find(clearTop.subList(b, clearTop.size()), "moof"));
      assertEquals(clearSamples.size(), encSamples.size());
      assertEquals(mdat.end, moof.start + moof.child("traf").child("trun").u32(8)
          + encSamples.stream().mapToInt(x -> x.length).sum(), "the samples fill the mdat");
      ByteBuffer aux = ByteBuffer.wrap(enc, senc.payload + 8, senc.end - senc.payload - 8);
      for (int i = 0; i < encSamples.size(); i++, sample++) {
        assertEquals(sample, aux.getLong(), "IV of sample " + sample);
        aux.getShort();
        int clearBytes = aux.getShort() & 0xFFFF;
        aux.getInt();
        assertArrayEquals(FakeEncryptor.xor(clearSamples.get(i), clearBytes), encSamples.get(i), "sample " + sample);
      }
      fragments++;
    }
    assertEquals(samples.size(), sample);
    assertTrue(fragments >= 3, "fragments: " + fragments);
    Box sidx = Box.find(top, "sidx");
    assertEquals(enc.length - sidx.end, sidx.u32(32) & 0x7FFF_FFFF, "sidx referenced_size: every fragment");
  }

  /** The segment's buffer grows while samples are encrypted into it: the bytes are those of a large buffer. */
  @Test
  void encryptingIntoASmallBufferGivesTheSameBytes() throws MediaException {
    List<MediaSample> samples = video.samples().subList(0, 30);
    Fmp4Track track = Fmp4Track.of(1, video.format(), null);
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A),
        video.format());
    byte[] expected = null;
    for (int capacity : new int[] {1 << 24, 64}) {
      BoxWriter out = new BoxWriter(capacity);
      out.start("styp").fourcc("cmfs").u32(0).end();
      FragmentWriter writer = new FragmentWriter(track, true, defaults);
      FakeEncryptor encryptor = new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A);
      writer.write(out, 1, samples.subList(0, 10), samples.get(10).dts90k(), encryptor);
      writer.write(out, 2, samples.subList(10, 30), Timestamps.NO_TIMESTAMP, encryptor);
      byte[] bytes = out.toByteArray();
      if (expected == null) {
        expected = bytes;
      } else {
        assertArrayEquals(expected, bytes, "capacity " + capacity);
      }
    }
    assertEquals(2, Box.top(expected).stream().filter(b -> b.type.equals("mdat")).count());
  }

  /**
   * The encrypted samples' records are views of the segment's array: the writer must not keep them after the
   * fragment is written, or it pins a segment-sized array that the packager has already handed on (in a 64 MB
   * heap with 9 MB segments, the one array too many that ran it out of memory).
   */
  @Test
  void theWriterKeepsNothingOfAWrittenSegment() throws MediaException, InterruptedException {
    Fmp4Track track = Fmp4Track.of(1, video.format(), null);
    FakeEncryptor cenc = new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A);
    FragmentWriter writer = new FragmentWriter(track, true, TrackEncryption.of(cenc, video.format()));
    BoxWriter out = new BoxWriter(1 << 20);
    writer.write(out, 1, video.samples().subList(0, 10), Timestamps.NO_TIMESTAMP, cenc);
    assertTrue(out.position() > 10_000, "written: " + out.position());
    WeakReference<byte[]> segment = new WeakReference<>(out.array());
    out = null;
    for (int i = 0; i < 10 && segment.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(segment.get(), "the fragment writer still references the segment's array");
    Reference.reachabilityFence(writer);
  }

  @Test
  void anEncryptorThatChangesTheSampleSizeIsRefused() {
    TrackEncryption defaults = TrackEncryption.of(new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A),
        audio.format());
    SegmentSampleEncryptor growing = new FakeEncryptor(SampleEncryptionScheme.CENC, KID_A) {
      @Override
      public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) {
        return new EncryptedSample(ByteSlice.wrap(new byte[sample.length() + 1]), new byte[8], null);
      }
    };
    assertThrows(MediaException.class, () -> write(audio.samples().subList(0, 3), defaults, growing));
  }

  private static byte[] write(List<MediaSample> samples, TrackEncryption defaults, SegmentSampleEncryptor e)
      throws MediaException {
    Fmp4Track track = Fmp4Track.of(1, samples.get(0).trackId() == video.format().trackId() ? video.format()
        : audio.format(), null);
    return CmafSegmentWriter.builder(track).protection(defaults).build()
        .write(0, samples, Timestamps.NO_TIMESTAMP, e).bytes().toByteArray();
  }

  /** Samples of the (single) fragment from trun sizes and data_offset. */
  private static List<byte[]> samples(byte[] segment) {
    return samples(segment, Box.find(Box.top(segment), "moof"));
  }

  /** Samples of the fragment of {@code moof} from trun sizes and data_offset. */
  private static List<byte[]> samples(byte[] segment, Box moof) {
    Box trun = moof.child("traf").child("trun");
    int flags = (int) (trun.u32(0) & 0xFFFFFF);
    int n = (int) trun.u32(4);
    int pos = moof.start + (int) trun.u32(8);
    int at = 12;
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      at += (flags & 0x100) != 0 ? 4 : 0;
      int size = (int) trun.u32(at);
      at += 4 + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
      out.add(Arrays.copyOfRange(segment, pos, pos + size));
      pos += size;
    }
    return out;
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[16];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** XORs everything after the first min(5, n) bytes with 0x5A; IV = sample index; one fake pssh box. */
  private static class FakeEncryptor implements SegmentSampleEncryptor {
    private final SampleEncryptionScheme scheme;
    private final byte[] kid;
    private long index;

    FakeEncryptor(SampleEncryptionScheme scheme, byte[] kid) {
      this.scheme = scheme;
      this.kid = kid.clone();
    }

    static byte[] xor(byte[] clear, int from) {
      byte[] out = clear.clone();
      for (int i = from; i < out.length; i++) {
        out[i] ^= 0x5A;
      }
      return out;
    }

    @Override
    public SampleEncryptionScheme scheme() {
      return scheme;
    }

    @Override
    public byte[] keyId() {
      return kid.clone();
    }

    @Override
    public byte[] constantIv() {
      return scheme == SampleEncryptionScheme.CBCS ? filled(kid[0] ^ 0x11) : null;
    }

    @Override
    public int perSampleIvSize() {
      return scheme == SampleEncryptionScheme.CBCS ? 0 : 8;
    }

    @Override
    public List<SegmentProtection> protections() {
      return List.of();
    }

    @Override
    public List<ByteSlice> psshBoxes() {
      byte[] box = ByteBuffer.allocate(32).putInt(32).put("pssh".getBytes(StandardCharsets.US_ASCII)).putInt(0)
          .put(kid).putInt(0).array();
      return List.of(ByteSlice.wrap(box));
    }

    @Override
    public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) {
      byte[] clear = sample.toByteArray();
      int clearBytes = Math.min(5, clear.length);
      byte[] iv = perSampleIvSize() == 0 ? null : ByteBuffer.allocate(8).putLong(index++).array();
      return new EncryptedSample(ByteSlice.wrap(xor(clear, clearBytes)), iv,
          new int[] {clearBytes, clear.length - clearBytes});
    }
  }

  /** A minimal ISO BMFF box walker (independent of the writer). */
  private static final class Box {
    private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl", "moof", "traf",
        "sinf", "schi", "mvex");
    final byte[] data;
    final String type;
    final int start;
    final int payload;
    final int end;

    private Box(byte[] data, String type, int start, int end) {
      this.data = data;
      this.type = type;
      this.start = start;
      this.payload = start + 8;
      this.end = end;
    }

    static List<Box> top(byte[] data) {
      return children(data, 0, data.length);
    }

    static List<Box> children(byte[] data, int from, int to) {
      List<Box> out = new ArrayList<>();
      int pos = from;
      while (pos + 8 <= to) {
        int size = ByteBuffer.wrap(data, pos, 4).getInt();
        assertTrue(size >= 8 && pos + size <= to, "box size " + size + " at " + pos);
        out.add(new Box(data, new String(data, pos + 4, 4, StandardCharsets.US_ASCII), pos, pos + size));
        pos += size;
      }
      return out;
    }

    static Box find(List<Box> boxes, String wanted) {
      for (Box b : boxes) {
        if (b.type.equals(wanted)) {
          return b;
        }
        int skip = switch (b.type) {
          case "stsd" -> 8; // FullBox header, entry_count
          case "encv" -> 78; // VisualSampleEntry fields
          case "enca" -> 28; // AudioSampleEntry fields
          default -> CONTAINERS.contains(b.type) ? 0 : -1;
        };
        if (skip >= 0) {
          Box found = find(b.children(skip), wanted);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    }

    List<Box> children(int skip) {
      return children(data, payload + skip, end);
    }

    Box child(String wanted) {
      return children(0).stream().filter(b -> b.type.equals(wanted)).findFirst().orElse(null);
    }

    int size() {
      return end - start;
    }

    int u8(int offset) {
      return data[payload + offset] & 0xFF;
    }

    long u32(int offset) {
      return ByteBuffer.wrap(data, payload + offset, 4).getInt() & 0xFFFF_FFFFL;
    }

    byte[] bytes(int offset, int length) {
      return Arrays.copyOfRange(data, payload + offset, payload + offset + length);
    }

    String fourcc(int offset) {
      return new String(data, payload + offset, 4, StandardCharsets.US_ASCII);
    }
  }
}
