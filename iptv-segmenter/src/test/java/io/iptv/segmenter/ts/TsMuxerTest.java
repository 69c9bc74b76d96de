package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.Crc32Mpeg2;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.PtsUnwrapper;
import io.iptv.segmenter.ts.MuxTestSupport.Packet;
import io.iptv.segmenter.ts.MuxTestSupport.Pes;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TsMuxerTest {
  private static final int VIDEO = 1;
  private static final int AUDIO = 2;
  private static final long START_90K = 10 * 90_000L;
  private static final byte[] SC = {0, 0, 0, 1};
  private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xD9};
  private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

  private static TrackFormat h264() {
    return TrackFormat.builder(VIDEO, Codec.H264).codecConfig(List.of(ByteSlice.copyOf(SPS), ByteSlice.copyOf(PPS)))
        .build();
  }

  private static TrackFormat aac(int sampleRate) {
    return TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(sampleRate).channels(2).language("eng").build();
  }

  /** A complete access unit (AUD, parameter sets on keyframes) of the given size. */
  private static byte[] accessUnit(int index, boolean key, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SC);
    out.writeBytes(new byte[] {0x09, (byte) 0xF0});
    if (key) {
      out.writeBytes(SC);
      out.writeBytes(SPS);
      out.writeBytes(SC);
      out.writeBytes(PPS);
    }
    out.writeBytes(SC);
    out.write(key ? 0x65 : 0x41);
    while (out.size() < size) {
      out.write(0x80 | (index * 7 + out.size()) & 0x7F); // no start-code emulation
    }
    return out.toByteArray();
  }

  private static byte[] adtsFrame(int sampleRateIndex, int index, int size) {
    byte[] f = new byte[size];
    f[0] = (byte) 0xFF;
    f[1] = (byte) 0xF1; // MPEG-4, layer 0, protection_absent
    f[2] = (byte) (0x40 | sampleRateIndex << 2); // profile LC, sampling_frequency_index, channel_config hi
    f[3] = (byte) (0x80 | size >> 11); // channel_configuration 2, frame_length (13) hi
    f[4] = (byte) (size >> 3);
    f[5] = (byte) ((size & 7) << 5 | 0x1F); // buffer fullness 0x7FF
    f[6] = (byte) 0xFC; // number_of_raw_data_blocks_in_frame 0
    for (int i = 7; i < size; i++) {
      f[i] = (byte) (index + i);
    }
    return f;
  }

  /** 24 fps video with B-frame-like PTS != DTS and 44.1 kHz AAC with ffmpeg-style rounded timestamps. */
  private static List<MediaSample> program(int seconds) {
    List<MediaSample> video = new ArrayList<>();
    int frames = seconds * 24;
    for (int i = 0; i < frames; i++) {
      boolean key = i % 24 == 0;
      long dts = START_90K + i * 3750L;
      long pts = dts + (key ? 3750L : (i % 2 == 0 ? 7500L : 3750L));
      video.add(new MediaSample(VIDEO, pts, dts, key, ByteSlice.wrap(accessUnit(i, key, key ? 9000 : 700 + i % 300))));
    }
    List<MediaSample> audio = new ArrayList<>();
    int audioFrames = seconds * 44_100 / 1024;
    for (int i = 0; i < audioFrames; i++) {
      long pts = START_90K + Math.round(i * 1024 * 90_000.0 / 44_100);
      audio.add(new MediaSample(AUDIO, pts, pts, true, ByteSlice.wrap(adtsFrame(4, i, 200 + i % 50))));
    }
    return MuxTestSupport.interleave(List.of(video, audio));
  }

  private static List<TsSegment> mux(TsMuxer muxer, List<MediaSample> samples, int segmentFrames)
      throws MediaException {
    List<TsSegment> segments = new ArrayList<>();
    int videoFrames = 0;
    muxer.startSegment();
    for (MediaSample s : samples) {
      if (s.trackId() == VIDEO && s.keyframe() && videoFrames >= segmentFrames) {
        segments.add(muxer.finishSegment());
        muxer.startSegment();
        videoFrames = 0;
      }
      if (s.trackId() == VIDEO) {
        videoFrames++;
      }
      muxer.write(s);
    }
    segments.add(muxer.finishSegment());
    return segments;
  }

  private static TsMuxer avMuxer() {
    TsMuxer muxer = TsMuxer.builder().build();
    assertEquals(0x100, muxer.addTrack(h264()));
    assertEquals(0x101, muxer.addTrack(aac(44_100)));
    return muxer;
  }

  private static byte[] concat(List<TsSegment> segments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    segments.forEach(s -> out.writeBytes(s.bytes().toByteArray()));
    return out.toByteArray();
  }

  @Test
  void segmentsStartWithPatAndPmt() throws MediaException {
    List<TsSegment> segments = mux(avMuxer(), program(4), 24);
    assertEquals(4, segments.size());
    for (TsSegment segment : segments) {
      List<Packet> packets = MuxTestSupport.packets(segment.bytes().toByteArray());
      assertEquals(0x0000, packets.get(0).pid());
      assertEquals(0x1000, packets.get(1).pid());
      assertEquals(376, segment.psiLength());
      Packet firstPes = packets.stream().skip(2).filter(Packet::hasPayload).findFirst().orElseThrow();
      assertEquals(0x100, firstPes.pid(), "the keyframe's PES follows the PSI");
      assertTrue(firstPes.unitStart() && firstPes.randomAccess() && firstPes.hasPcr());
      assertTrue(packets.subList(2, firstPes.index()).stream().allMatch(p -> p.pid() == 0x100 && p.hasPcr()),
          "at most PCR-only packets in between");
    }
  }

  @Test
  void continuityCountersRunOnAcrossSegments() throws MediaException {
    List<Packet> packets = MuxTestSupport.packets(concat(mux(avMuxer(), program(4), 24)));
    Map<Integer, Integer> last = new HashMap<>();
    Map<Integer, Integer> payloadPackets = new HashMap<>();
    for (Packet p : packets) {
      Integer previous = last.get(p.pid());
      if (p.hasPayload()) {
        if (previous != null) {
          assertEquals((previous + 1) & 0xF, p.continuityCounter(), "PID " + p.pid() + " packet " + p.index());
        }
        payloadPackets.merge(p.pid(), 1, Integer::sum);
        last.put(p.pid(), p.continuityCounter());
      } else if (previous != null) {
        assertEquals(previous.intValue(), p.continuityCounter(), "packet without payload repeats the CC");
      }
    }
    assertEquals(4, payloadPackets.get(0x0000));
    assertEquals(4, payloadPackets.get(0x1000));
    assertTrue(payloadPackets.get(0x100) > 16, "counters wrapped");
  }

  @Test
  void pcrIsAtMost40MsApartAndBehindEveryDts() throws MediaException {
    byte[] ts = concat(mux(avMuxer(), program(4), 24));
    assertPcrInvariants(ts, 0x100);
  }

  @Test
  void audioOnlyProgramCarriesPcrOnTheAudioPid() throws MediaException {
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(aac(44_100));
    List<MediaSample> audio = program(3).stream().filter(s -> s.trackId() == AUDIO).toList();
    muxer.startSegment();
    for (MediaSample s : audio) {
      muxer.write(s);
    }
    byte[] ts = muxer.finishSegment().bytes().toByteArray();
    assertPcrInvariants(ts, 0x100);
  }

  private static void assertPcrInvariants(byte[] ts, int pcrPid) {
    List<Packet> packets = MuxTestSupport.packets(ts);
    long lastPcr = -1;
    int pcrCount = 0;
    for (Packet p : packets) {
      if (p.hasPcr()) {
        assertEquals(pcrPid, p.pid(), "PCR only on the PCR PID");
        if (lastPcr >= 0) {
          long delta = p.pcr90k() - lastPcr;
          assertTrue(delta >= 0 && delta <= 40 * 90, "PCR step " + delta + " at packet " + p.index());
        }
        lastPcr = p.pcr90k();
        pcrCount++;
      }
      if (p.unitStart() && (p.pid() == 0x100 || p.pid() == 0x101)) {
        assertTrue(lastPcr >= 0, "a PCR precedes the first PES");
      }
    }
    assertTrue(pcrCount > 50);
    for (int pid : new int[] {0x100, 0x101}) {
      for (Pes pes : MuxTestSupport.pes(packets, pid)) {
        long pcrBefore = -1;
        for (Packet p : packets.subList(0, pes.firstPacketIndex() + 1)) {
          if (p.hasPcr()) {
            pcrBefore = p.pcr90k();
          }
        }
        assertTrue(pcrBefore <= pes.dts33(), "PCR " + pcrBefore + " > DTS " + pes.dts33());
        assertTrue(pes.dts33() - pcrBefore <= 900 * 90, "PCR lags DTS by at most ~pcrOffset + 200 ms");
      }
    }
  }

  @Test
  void samplesComeBackLosslessly() throws MediaException {
    List<MediaSample> input = program(4);
    byte[] ts = concat(mux(avMuxer(), input, 48));
    List<Packet> packets = MuxTestSupport.packets(ts);
    List<MediaSample> video = input.stream().filter(s -> s.trackId() == VIDEO).toList();
    List<Pes> videoPes = MuxTestSupport.pes(packets, 0x100);
    assertEquals(video.size(), videoPes.size());
    for (int i = 0; i < video.size(); i++) {
      MediaSample s = video.get(i);
      Pes pes = videoPes.get(i);
      assertEquals(0xE0, pes.streamId());
      assertEquals(0, pes.declaredLength(), "video PES length unbounded");
      assertEquals(PtsUnwrapper.wrap(s.pts90k()), pes.pts33());
      assertEquals(PtsUnwrapper.wrap(s.dts90k()), pes.dts33());
      assertEquals(s.keyframe(), pes.randomAccess());
      assertArrayEquals(s.data().toByteArray(), pes.payload(), "AU " + i + " unchanged");
    }
    // Audio: split bundles by ADTS frame_length; frame k of a PES is at PES PTS + round(k*1024*90000/44100).
    List<MediaSample> audio = input.stream().filter(s -> s.trackId() == AUDIO).toList();
    List<MediaSample> demuxed = new ArrayList<>();
    List<Pes> audioPes = MuxTestSupport.pes(packets, 0x101);
    for (Pes pes : audioPes) {
      assertEquals(0xC0, pes.streamId());
      assertEquals(pes.payload().length + 8, pes.declaredLength());
      List<MediaSample> frames = MuxTestSupport.adtsSamples(pes.payload(), AUDIO, 0, 0);
      for (int k = 0; k < frames.size(); k++) {
        long pts = pes.pts33() + (k * 1024L * 90_000 + 22_050) / 44_100;
        demuxed.add(new MediaSample(AUDIO, pts, pts, true, frames.get(k).data()));
      }
    }
    assertTrue(audioPes.size() < audio.size() / 2, "frames were bundled: " + audioPes.size() + " PES");
    assertEquals(audio.size(), demuxed.size());
    for (int i = 0; i < audio.size(); i++) {
      assertEquals(PtsUnwrapper.wrap(audio.get(i).pts90k()), demuxed.get(i).pts90k(), "audio frame " + i);
      assertEquals(audio.get(i).data(), demuxed.get(i).data());
    }
  }

  @Test
  void bundlingCanBeSwitchedOff() throws MediaException {
    TsMuxer muxer = TsMuxer.builder().maxAudioPesDuration(Duration.ZERO).build();
    muxer.addTrack(h264());
    muxer.addTrack(aac(44_100));
    List<MediaSample> input = program(1);
    byte[] ts = concat(mux(muxer, input, 48));
    long audioFrames = input.stream().filter(s -> s.trackId() == AUDIO).count();
    assertEquals(audioFrames, MuxTestSupport.pes(MuxTestSupport.packets(ts), 0x101).size());
  }

  @Test
  void keyframeRangesCoverTheKeyframePesPackets() throws MediaException {
    List<TsSegment> segments = mux(avMuxer(), program(4), 24);
    for (TsSegment segment : segments) {
      assertEquals(1, segment.keyframes().size());
      KeyframeRange range = segment.keyframes().get(0);
      List<Packet> packets = MuxTestSupport.packets(segment.bytes().toByteArray());
      int first = (int) (range.offset() / 188);
      int count = (int) (range.length() / 188);
      assertTrue(packets.get(first).unitStart() && packets.get(first).randomAccess());
      for (int i = first; i < first + count; i++) {
        assertEquals(0x100, packets.get(i).pid());
        assertEquals(i == first, packets.get(i).unitStart());
      }
      int after = first + count;
      assertTrue(after == packets.size() || packets.get(after).pid() != 0x100 || packets.get(after).unitStart()
          || !packets.get(after).hasPayload(), "the range ends with its PES packet");
      Pes pes = MuxTestSupport.pes(packets.subList(first, first + count), 0x100).get(0);
      assertEquals(PtsUnwrapper.wrap(range.pts90k()), pes.pts33());
    }
  }

  @Test
  void outputIsDeterministic() throws MediaException {
    byte[] first = concat(mux(avMuxer(), program(2), 24));
    byte[] second = concat(mux(avMuxer(), program(2), 24));
    assertArrayEquals(first, second);
  }

  @Test
  void insertsAudAndParameterSetsForBareKeyframes() throws MediaException {
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(h264());
    muxer.startSegment();
    byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, 0x10};
    muxer.write(new MediaSample(VIDEO, START_90K, START_90K, true, ByteSlice.copyOf(idr)));
    List<Pes> pes = MuxTestSupport.pes(MuxTestSupport.packets(muxer.finishSegment().bytes().toByteArray()), 0x100);
    assertArrayEquals(AccessUnitRewriterTest.join(SC, new byte[] {0x09, (byte) 0xF0}, SC, SPS, SC, PPS, idr),
        pes.get(0).payload());
  }

  @Test
  void pmtDescribesTracksAndIsVersionedWhenTracksChange() throws MediaException {
    TsMuxer muxer = TsMuxer.builder().programNumber(5).pmtPid(0x200).firstElementaryPid(0x300).build();
    muxer.addTrack(aac(48_000));
    muxer.startSegment();
    byte[] first = pmtSection(muxer.finishSegment());
    assertEquals(0, (first[5] & 0x3E) >> 1, "version 0");
    assertEquals(5, ((first[3] & 0xFF) << 8) | (first[4] & 0xFF));
    assertEquals(0x300, ((first[8] & 0x1F) << 8) | (first[9] & 0xFF), "PCR on the audio PID");
    assertArrayEquals(new byte[] {0x0F, (byte) 0xE3, 0x00, (byte) 0xF0, 6, 0x0A, 4, 'e', 'n', 'g', 0},
        java.util.Arrays.copyOfRange(first, 12, 23));

    muxer.addTrack(TrackFormat.builder(9, Codec.AC3).sampleRate(48_000).build());
    muxer.addTrack(TrackFormat.builder(10, Codec.ID3).build());
    muxer.addTrack(TrackFormat.builder(11, Codec.H265).build());
    muxer.startSegment();
    byte[] second = pmtSection(muxer.finishSegment());
    assertEquals(1, (second[5] & 0x3E) >> 1, "version bumped");
    assertEquals(0x303, ((second[8] & 0x1F) << 8) | (second[9] & 0xFF), "PCR moves to the video PID");
    int programInfoLength = ((second[10] & 0x0F) << 8) | (second[11] & 0xFF);
    assertEquals(17, programInfoLength, "metadata_pointer_descriptor for ID3");
    assertEquals(0x25, second[12]);
    int p = 12 + programInfoLength;
    List<Integer> streamTypes = new ArrayList<>();
    while (p < second.length - 4) {
      streamTypes.add(second[p] & 0xFF);
      int esInfoLength = ((second[p + 3] & 0x0F) << 8) | (second[p + 4] & 0xFF);
      if ((second[p] & 0xFF) == 0x81) {
        assertArrayEquals(new byte[] {0x05, 4, 'A', 'C', '-', '3'},
            java.util.Arrays.copyOfRange(second, p + 5, p + 5 + esInfoLength));
      }
      if ((second[p] & 0xFF) == 0x15) {
        assertEquals(0x26, second[p + 5]);
      }
      p += 5 + esInfoLength;
    }
    assertEquals(List.of(0x0F, 0x81, 0x15, 0x24), streamTypes);

    muxer.startSegment();
    assertEquals(1, (pmtSection(muxer.finishSegment())[5] & 0x3E) >> 1, "unchanged tracks keep the version");
  }

  private static byte[] pmtSection(TsSegment segment) {
    byte[] ts = segment.bytes().toByteArray();
    int length = ((ts[188 + 6] & 0x0F) << 8) | (ts[188 + 7] & 0xFF);
    byte[] section = java.util.Arrays.copyOfRange(ts, 188 + 5, 188 + 5 + 3 + length);
    assertEquals(0, Crc32Mpeg2.compute(section, 0, section.length), "PMT CRC");
    return section;
  }

  @Test
  void discontinuityRestartsThePcrWithTheIndicator() throws MediaException {
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(h264());
    muxer.startSegment();
    muxer.write(new MediaSample(VIDEO, START_90K, START_90K, true, ByteSlice.wrap(accessUnit(0, true, 500))));
    muxer.write(new MediaSample(VIDEO, START_90K + 3600, START_90K + 3600, false,
        ByteSlice.wrap(accessUnit(1, false, 500))));
    muxer.markDiscontinuity();
    muxer.write(new MediaSample(VIDEO, 90_000, 90_000, true, ByteSlice.wrap(accessUnit(2, true, 500))));
    muxer.write(new MediaSample(VIDEO, 93_600, 93_600, false, ByteSlice.wrap(accessUnit(3, false, 500))));
    muxer.write(new MediaSample(VIDEO, 50 * 90_000, 50 * 90_000, true, ByteSlice.wrap(accessUnit(4, true, 500))));
    List<Packet> pcrPackets = MuxTestSupport.packets(muxer.finishSegment().bytes().toByteArray()).stream()
        .filter(Packet::hasPcr).toList();
    assertEquals(List.of(false, false, true, false, true),
        pcrPackets.stream().map(Packet::discontinuity).toList(), "explicit, then automatic on a 40 s jump");
    assertEquals(90_000 - 63_000, pcrPackets.get(2).pcr90k());
  }

  @Test
  void rejectsMisuse() {
    TsMuxer muxer = TsMuxer.builder().build();
    assertThrows(IllegalStateException.class, muxer::startSegment, "no tracks");
    muxer.addTrack(h264());
    assertThrows(IllegalArgumentException.class, () -> muxer.addTrack(h264()), "same track twice");
    assertThrows(IllegalArgumentException.class,
        () -> muxer.addTrack(TrackFormat.builder(3, Codec.UNKNOWN).build()));
    MediaSample sample = new MediaSample(VIDEO, 0, 0, true, ByteSlice.wrap(accessUnit(0, true, 100)));
    assertThrows(IllegalStateException.class, () -> muxer.write(sample), "outside a segment");
    muxer.startSegment();
    assertThrows(IllegalArgumentException.class,
        () -> muxer.write(new MediaSample(99, 0, 0, true, ByteSlice.empty())), "unknown track");
    assertThrows(IllegalStateException.class, () -> muxer.addTrack(aac(48_000)), "inside a segment");
    assertThrows(IllegalStateException.class, () -> TsMuxer.builder().pmtPid(0x100).pmtPid(0x101));
    assertThrows(IllegalArgumentException.class, () -> TsMuxer.builder().pmtPid(0x1FFF));
  }

  @Test
  void oversizedAudioSampleIsALimitError() {
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(aac(48_000));
    muxer.startSegment();
    MediaException e = assertThrows(MediaException.class,
        () -> muxer.write(new MediaSample(AUDIO, 0, 0, true, ByteSlice.wrap(new byte[70_000]))));
    assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind());
  }

  @Test
  void trackIdsCanBeUsedAsPids() {
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    assertEquals(0x44, muxer.addTrack(TrackFormat.builder(0x44, Codec.H264).build()));
    TsMuxer pinned = TsMuxer.builder().trackPid(AUDIO, 0x1FF).build();
    assertEquals(0x100, pinned.addTrack(h264()));
    assertEquals(0x1FF, pinned.addTrack(aac(48_000)));
    assertNotEquals(0, pinned.addTrack(TrackFormat.builder(7, Codec.MP3).sampleRate(48_000).build()));
    assertFalse(pinned.inSegment());
  }
}
