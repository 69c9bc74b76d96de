package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SAMPLE-AES PMT signalling (Apple "MPEG-2 Stream Encryption Format for HTTP Live Streaming" §3, §2.3.4): the
 * muxer's PMT is parsed back and its stream types and descriptors decoded field by field.
 */
class SampleAesSignallingTest {
  private static final byte[] ASC_HE_AAC = {0x2B, (byte) 0x92, 0x08, 0x00}; // audioObjectType 5 (SBR)

  private static TsMuxer muxer() {
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(TrackFormat.builder(1, Codec.H264).build());
    muxer.addTrack(TrackFormat.builder(2, Codec.AAC).language("eng")
        .codecConfig(List.of(ByteSlice.wrap(new byte[] {0x11, (byte) 0x90}))).build()); // AAC-LC 48 kHz stereo
    muxer.addTrack(TrackFormat.builder(3, Codec.AAC).codecConfig(List.of(ByteSlice.wrap(ASC_HE_AAC))).build());
    muxer.addTrack(TrackFormat.builder(4, Codec.AC3).build());
    muxer.addTrack(TrackFormat.builder(5, Codec.EAC3).build());
    muxer.addTrack(TrackFormat.builder(6, Codec.MP3).sampleRate(48_000).build());
    return muxer;
  }

  private static PmtReader.Pmt segmentPmt(TsMuxer muxer) {
    muxer.startSegment();
    byte[] ts = muxer.finishSegment().bytes().toByteArray();
    // packet 1 is the PMT: header (4), pointer_field (1), then the section
    int sectionLength = (ts[188 + 6] & 0x0F) << 8 | ts[188 + 7] & 0xFF;
    PmtReader.Pmt pmt = PmtReader.parse(ts, 188 + 5, 3 + sectionLength);
    assertNotNull(pmt);
    return pmt;
  }

  @Test
  void encryptedSegmentsUseSampleAesStreamTypesAndDescriptors() {
    TsMuxer muxer = muxer();
    List<MediaSample> ac3 = MuxTestSupport.ac3Samples(MuxTestSupport.resource("audio-ac3.ac3"), 4, 0);
    byte[] eac3Frame = eac3Frame();
    PmtReader.Pmt clear = segmentPmt(muxer);
    muxer.sampleAes(true);
    muxer.sampleAesSetupFrame(4, ac3.get(0).data());
    muxer.sampleAesSetupFrame(5, ByteSlice.wrap(eac3Frame));
    muxer.sampleAesSetupFrame(4, ac3.get(1).data()); // the first frame given is kept
    PmtReader.Pmt encrypted = segmentPmt(muxer);

    assertEquals(List.of(0x1B, 0x0F, 0x0F, 0x81, 0x87, 0x03), streamTypes(clear));
    assertEquals(List.of(0xDB, 0xCF, 0xCF, 0xC1, 0xC2, 0x03), streamTypes(encrypted), "MP3 stays clear");
    assertNotEquals(clear.version(), encrypted.version(), "a changed PMT gets a new version_number");

    List<Descriptor> video = descriptors(encrypted.streams().get(0).descriptors());
    assertEquals(List.of(new Descriptor(0x0F, "zavc")), video);

    List<Descriptor> aac = descriptors(encrypted.streams().get(1).descriptors());
    assertEquals(3, aac.size(), aac.toString());
    assertEquals(new Descriptor(0x0F, "aacd"), aac.get(0));
    assertApad(aac.get(1), "zaac", new byte[] {0x11, (byte) 0x90});
    assertEquals(0x0A, aac.get(2).tag(), "the language descriptor stays");
    assertEquals("eng", encrypted.streams().get(1).language());

    assertApad(descriptors(encrypted.streams().get(2).descriptors()).get(1), "zach", ASC_HE_AAC);

    List<Descriptor> ac3Descriptors = descriptors(encrypted.streams().get(3).descriptors());
    assertEquals(new Descriptor(0x0F, "ac3d"), ac3Descriptors.get(0));
    assertEquals(2, ac3Descriptors.size(), "no 'AC-3' registration next to 'apad'");
    assertApad(ac3Descriptors.get(1), "zac3", ac3.get(0).data().slice(0, 10).toByteArray());

    List<Descriptor> eac3 = descriptors(encrypted.streams().get(4).descriptors());
    assertEquals(new Descriptor(0x0F, "ec3d"), eac3.get(0));
    byte[] dec3 = setupData(eac3.get(1));
    assertEquals(5, dec3.length, "dec3 payload: data_rate, num_ind_sub, one substream");
    assertEquals(0, (dec3[2] & 0xFF) >> 6, "fscod 48 kHz");
    assertEquals(16, (dec3[2] & 0x3E) >> 1, "bsid 16");

    muxer.sampleAes(false);
    PmtReader.Pmt clearAgain = segmentPmt(muxer);
    assertEquals(streamTypes(clear), streamTypes(clearAgain));
    assertNotEquals(encrypted.version(), clearAgain.version());
    assertEquals(clear.streams().get(3).descriptors(), clearAgain.streams().get(3).descriptors());
  }

  @Test
  void signallingChangesOnlyBetweenSegments() {
    TsMuxer muxer = muxer();
    muxer.startSegment();
    assertThrows(IllegalStateException.class, () -> muxer.sampleAes(true));
  }

  @Test
  void sameCallsSameBytes() {
    TsMuxer a = muxer();
    TsMuxer b = muxer();
    for (TsMuxer m : List.of(a, b)) {
      m.sampleAes(true);
      m.sampleAesSetupFrame(5, ByteSlice.wrap(eac3Frame()));
    }
    a.startSegment();
    b.startSegment();
    assertEquals(a.finishSegment().bytes(), b.finishSegment().bytes());
  }

  private static void assertApad(Descriptor d, String audioType, byte[] setup) {
    assertEquals(0x05, d.tag());
    assertEquals("apad", d.ascii(0));
    assertEquals(audioType, d.ascii(4));
    assertEquals(0, d.body()[8] << 8 | d.body()[9], "priming");
    assertEquals(1, d.body()[10], "version");
    assertArrayEquals(setup, setupData(d));
  }

  private static byte[] setupData(Descriptor d) {
    int length = d.body()[11] & 0xFF;
    assertEquals(12 + length, d.body().length, "setup_data_length");
    return Arrays.copyOfRange(d.body(), 12, 12 + length);
  }

  private static byte[] eac3Frame() {
    byte[] f = new byte[600];
    f[0] = 0x0B;
    f[1] = 0x77;
    f[2] = 0x01; // strmtyp 0, substreamid 0, frmsiz 299
    f[3] = (byte) 299;
    f[4] = (byte) 0x34; // fscod 0, numblkscod 3, acmod 2, lfeon 0
    f[5] = (byte) (16 << 3); // bsid 16
    return f;
  }

  private static List<Integer> streamTypes(PmtReader.Pmt pmt) {
    return pmt.streams().stream().map(s -> s.streamType()).toList();
  }

  record Descriptor(int tag, byte[] body) {
    Descriptor(int tag, String fourcc) {
      this(tag, fourcc.getBytes(StandardCharsets.US_ASCII));
    }

    String ascii(int offset) {
      return new String(body, offset, 4, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Descriptor d && d.tag == tag && Arrays.equals(d.body, body);
    }

    @Override
    public int hashCode() {
      return tag * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "Descriptor[" + tag + ", " + new String(body, StandardCharsets.ISO_8859_1) + "]";
    }
  }

  private static List<Descriptor> descriptors(ByteSlice loop) {
    byte[] b = loop.toByteArray();
    List<Descriptor> out = new ArrayList<>();
    for (int p = 0; p + 2 <= b.length; ) {
      int length = b[p + 1] & 0xFF;
      out.add(new Descriptor(b[p] & 0xFF, Arrays.copyOfRange(b, p + 2, p + 2 + length)));
      p += 2 + length;
    }
    return out;
  }
}
