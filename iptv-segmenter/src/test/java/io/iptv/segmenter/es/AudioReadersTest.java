package io.iptv.segmenter.es;

import static io.iptv.segmenter.es.EsTestSupport.concat;
import static io.iptv.segmenter.es.EsTestSupport.describe;
import static io.iptv.segmenter.es.EsTestSupport.feed;
import static io.iptv.segmenter.es.EsTestSupport.hex;
import static io.iptv.segmenter.es.EsTestSupport.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ADTS, AC-3/E-AC-3 and MPEG audio framing on hand-assembled headers. */
class AudioReadersTest {

  /** An ADTS frame: AAC LC, 44.1 kHz (index 4), stereo, {@code length} bytes, optional CRC. */
  static byte[] adts(int length, boolean crc, int fill) {
    byte[] f = new byte[length];
    Arrays.fill(f, (byte) fill);
    f[0] = (byte) 0xFF;
    f[1] = (byte) (crc ? 0xF0 : 0xF1); // syncword, ID 0, layer 0, protection_absent
    f[2] = (byte) ((1 << 6) | (4 << 2)); // profile 1 (LC), sampling_frequency_index 4, private 0, channel hi 0
    f[3] = (byte) ((2 << 6) | ((length >> 11) & 0x03)); // channel_configuration 2, frame_length hi
    f[4] = (byte) (length >> 3);
    f[5] = (byte) (((length & 7) << 5) | 0x1F);
    f[6] = (byte) 0xFC; // buffer fullness low, number_of_raw_data_blocks 0
    return f;
  }

  @Test
  void adtsFramesSpanningPesAndGarbage() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.AAC);
    byte[] f1 = adts(100, false, 1);
    byte[] f2 = adts(120, true, 2);
    byte[] f3 = adts(90, false, 3);
    byte[] stream = concat(f1, f2, hex("ff 00 12"), f3);
    List<StreamEvent> events = new ArrayList<>();
    feed(reader, Arrays.copyOfRange(stream, 0, 150), 90_000, events); // f1, half of f2
    feed(reader, Arrays.copyOfRange(stream, 150, stream.length), 95_000, events);
    reader.flush(events::add);
    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals(44100, format.sampleRate());
    assertEquals(2, format.channels());
    assertEquals("mp4a.40.2", format.codecString());
    assertArrayEquals(hex("1210"), format.codecConfig().get(0).toByteArray());
    List<MediaSample> s = samples(events);
    assertEquals(3, s.size(), describe(events));
    assertArrayEquals(f1, s.get(0).data().toByteArray());
    assertArrayEquals(f2, s.get(1).data().toByteArray());
    assertArrayEquals(f3, s.get(2).data().toByteArray());
    assertEquals(90_000, s.get(0).pts90k());
    // f2 started before the second PES: interpolated (FFmpeg av_add_stable: 90000 + 2089.8 → 92090).
    assertEquals(92_090, s.get(1).pts90k());
    // f3 is the first frame starting in the second PES: it takes that PES's timestamp.
    assertEquals(95_000, s.get(2).pts90k());
  }

  @Test
  void adtsBytewiseFeedingGivesSameFrames() throws Exception {
    byte[] stream = concat(adts(64, false, 7), adts(65, false, 8), adts(66, true, 9));
    List<StreamEvent> whole = new ArrayList<>();
    ElementaryStreamReader a = EsTestSupport.reader(Codec.AAC);
    feed(a, stream, 1000, whole);
    a.flush(whole::add);
    List<StreamEvent> bytewise = new ArrayList<>();
    ElementaryStreamReader b = EsTestSupport.reader(Codec.AAC);
    EsTestSupport.feedBytewise(b, stream, 1000, bytewise);
    b.flush(bytewise::add);
    assertEquals(describe(whole), describe(bytewise));
    assertEquals(3, samples(whole).size());
  }

  /** AC-3 syncframe: 48 kHz, frmsizecod 16 (128 kbit/s → 256 words = 512 bytes, A/52 Table 5.18), bsid 8, acmod 7 (3/2), lfeon 1. */
  static byte[] ac3Frame() {
    byte[] f = new byte[512];
    f[0] = 0x0B;
    f[1] = 0x77;
    f[4] = (byte) ((0 << 6) | 16); // fscod 0, frmsizecod 16
    f[5] = (byte) ((8 << 3) | 0); // bsid 8, bsmod 0
    // acmod 7 (3 bits), cmixlev (2), surmixlev (2), lfeon (1) = 111 00 00 1
    f[6] = (byte) 0b1110_0001;
    return f;
  }

  /** E-AC-3 frame: strmtyp, 48 kHz, numblkscod 3 (6 blocks), acmod 2, frame of (frmsiz+1)*2 bytes. */
  static byte[] eac3Frame(int strmtyp, int frmsiz) {
    byte[] f = new byte[(frmsiz + 1) * 2];
    f[0] = 0x0B;
    f[1] = 0x77;
    f[2] = (byte) ((strmtyp << 6) | ((frmsiz >> 8) & 0x07)); // strmtyp (2), substreamid (3), frmsiz hi
    f[3] = (byte) frmsiz;
    f[4] = (byte) ((0 << 6) | (3 << 4) | (2 << 1)); // fscod 0, numblkscod 3, acmod 2, lfeon 0
    f[5] = (byte) (16 << 3); // bsid 16
    return f;
  }

  @Test
  void ac3FrameSizeChannelsAndDuration() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.AC3);
    List<StreamEvent> events = new ArrayList<>();
    feed(reader, concat(ac3Frame(), ac3Frame()), 5000, events);
    reader.flush(events::add);
    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals(Codec.AC3, format.codec());
    assertEquals(6, format.channels());
    assertEquals(48000, format.sampleRate());
    assertEquals("ac-3", format.codecString());
    List<MediaSample> s = samples(events);
    assertEquals(2, s.size());
    assertEquals(512, s.get(0).sizeBytes());
    assertEquals(5000 + 2880, s.get(1).pts90k());
  }

  @Test
  void eac3DependentFrameJoinsIndependentFrame() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.EAC3);
    List<StreamEvent> events = new ArrayList<>();
    byte[] independent = eac3Frame(0, 191);
    byte[] dependent = eac3Frame(1, 63);
    feed(reader, concat(independent, dependent, independent), 0, events);
    reader.flush(events::add);
    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals(Codec.EAC3, format.codec());
    assertEquals("ec-3", format.codecString());
    assertEquals(2, format.channels());
    List<MediaSample> s = samples(events);
    assertEquals(2, s.size(), describe(events));
    assertArrayEquals(concat(independent, dependent), s.get(0).data().toByteArray());
    assertEquals(1536 * 90000 / 48000, s.get(1).pts90k());
  }

  @Test
  void mpegAudioLayer3AndLayer2() throws Exception {
    // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, padding 1, joint stereo: 144 * 128000 / 44100 + 1 = 418 bytes.
    byte[] mp3 = new byte[418];
    mp3[0] = (byte) 0xFF;
    mp3[1] = (byte) 0xFB;
    mp3[2] = (byte) 0x92;
    mp3[3] = (byte) 0x40;
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.MP3);
    List<StreamEvent> events = new ArrayList<>();
    feed(reader, concat(mp3, mp3), 0, events);
    reader.flush(events::add);
    TrackFormat format = assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format();
    assertEquals(Codec.MP3, format.codec());
    assertEquals(44100, format.sampleRate());
    assertEquals(2, format.channels());
    List<MediaSample> s = samples(events);
    assertEquals(2, s.size());
    assertEquals(418, s.get(0).sizeBytes());
    assertEquals(1152L * 90000 / 44100, s.get(1).pts90k()); // FFmpeg rounds the frame duration down

    // MPEG-2 layer II, 64 kbit/s, 24 kHz, mono: 144 * 64000 / 24000 = 384 bytes, 1152 samples.
    byte[] mp2 = new byte[384];
    mp2[0] = (byte) 0xFF;
    mp2[1] = (byte) 0xF5;
    mp2[2] = (byte) 0x84;
    mp2[3] = (byte) 0xC0;
    ElementaryStreamReader layer2 = EsTestSupport.reader(Codec.MPEG_AUDIO);
    List<StreamEvent> events2 = new ArrayList<>();
    feed(layer2, concat(hex("00 11"), mp2, mp2), 0, events2);
    layer2.flush(events2::add);
    TrackFormat format2 = assertInstanceOf(StreamEvent.TrackAdded.class, events2.get(0)).format();
    assertEquals(Codec.MPEG_AUDIO, format2.codec());
    assertEquals("mp4a.69", format2.codecString());
    assertEquals(24000, format2.sampleRate());
    assertEquals(1, format2.channels());
    assertEquals(2, samples(events2).size());
    assertEquals(4320, samples(events2).get(1).pts90k());
  }
}
