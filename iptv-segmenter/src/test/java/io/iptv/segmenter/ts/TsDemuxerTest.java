package io.iptv.segmenter.ts;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.StreamEvent.Discontinuity;
import io.iptv.core.media.StreamEvent.TrackAdded;
import io.iptv.core.media.StreamEvent.TrackChanged;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.es.ElementaryStreamReaderFactory;
import io.iptv.segmenter.ts.TsTestStream.Es;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TsDemuxerTest {
  static final int PMT = 0x1000;
  static final int VIDEO = 0x100;
  static final int AUDIO = 0x101;
  static final long START = 900_000; // 10 s
  static final long FRAME = 3600; // 25 fps

  // ---------------------------------------------------------------- helpers

  /** Result of one demux run. */
  record Run(List<StreamEvent> events, TsDemuxer demuxer) {
    List<MediaSample> samples(int pid) {
      return events.stream().filter(e -> e instanceof MediaSample s && s.trackId() == pid)
          .map(e -> (MediaSample) e).collect(Collectors.toList());
    }

    <T> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    TsStatistics stats() {
      return demuxer.statistics();
    }

    PidStatistics pid(int pid) {
      return stats().pids().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
    }
  }

  static Run demux(byte[] ts) throws MediaException {
    return demux(ts, b -> {}, ts.length);
  }

  static Run demux(byte[] ts, Consumer<TsDemuxer.Builder> config, int chunk) throws MediaException {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer.Builder builder = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY);
    config.accept(builder);
    TsDemuxer demuxer = builder.build(events::add);
    for (int i = 0; i < ts.length; i += chunk) {
      demuxer.feed(ts, i, Math.min(chunk, ts.length - i));
    }
    demuxer.finish();
    return new Run(events, demuxer);
  }

  static byte[] payload(int pid, int index, int size) {
    byte[] b = new byte[size];
    Random random = new Random(pid * 100_003L + index);
    random.nextBytes(b);
    return b;
  }

  static TsTestStream header(TsTestStream ts) {
    return ts.pat(1, PMT).pmt(PMT, 1, VIDEO, new Es(0x1B, VIDEO), new Es(0x0F, AUDIO));
  }

  /** Video PES (DTS, PTS = DTS + 2 frames, PCR on the video PID) and audio PES, one each per frame. */
  static TsTestStream frames(TsTestStream ts, int first, int count, long start) {
    for (int i = first; i < first + count; i++) {
      long dts = start + (i - first) * FRAME;
      ts.pes(VIDEO, dts + 2 * FRAME, dts, payload(VIDEO, i, 400 + (i % 7) * 150),
          TsTestStream.opts().pcr(dts - 9000).randomAccess());
      ts.pes(AUDIO, 0xC0, dts, -1, payload(AUDIO, i, 120), TsTestStream.opts());
    }
    return ts;
  }

  static byte[] simpleStream(int frames) {
    return frames(header(new TsTestStream()), 0, frames, START).bytes();
  }

  // ---------------------------------------------------------------- basics

  @Test
  void demuxesTracksAndSamplesInOrder() throws Exception {
    Run run = demux(simpleStream(20));
    List<TrackAdded> added = run.of(TrackAdded.class);
    assertEquals(List.of(VIDEO, AUDIO), added.stream().map(a -> a.format().trackId()).collect(Collectors.toList()));
    assertEquals(Codec.H264, added.get(0).format().codec());
    assertEquals(Codec.AAC, added.get(1).format().codec());
    List<MediaSample> video = run.samples(VIDEO);
    assertEquals(20, video.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(START + i * FRAME, video.get(i).dts90k());
      assertEquals(START + (i + 2) * FRAME, video.get(i).pts90k());
      assertArrayEquals(payload(VIDEO, i, 400 + (i % 7) * 150), video.get(i).data().toByteArray());
      assertTrue(video.get(i).keyframe());
    }
    List<MediaSample> audio = run.samples(AUDIO);
    assertEquals(20, audio.size());
    assertEquals(audio.get(3).pts90k(), audio.get(3).dts90k(), "missing DTS equals PTS");
    assertInstanceOf(StreamEvent.EndOfStream.class, run.events().get(run.events().size() - 1));
    assertEquals(1, run.of(StreamEvent.EndOfStream.class).size());
    TsStatistics stats = run.stats();
    assertEquals(188, stats.packetSize());
    assertEquals(0, stats.ccErrors());
    assertEquals(0, stats.bytesSkipped());
    assertEquals(stats.bytesIn() / 188, stats.packets());
    assertEquals(1, run.demuxer().programs().size());
    ProgramInfo program = run.demuxer().programs().get(0);
    assertEquals(new ProgramInfo(1, PMT, VIDEO, 0, program.streams()), program);
    assertEquals(2, program.streams().size());
  }

  @Test
  void finishIsIdempotentAndFeedAfterFinishFails() throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY).build(events::add);
    demuxer.feed(ByteBuffer.wrap(simpleStream(2)));
    demuxer.finish();
    demuxer.finish();
    assertEquals(1, events.stream().filter(e -> e instanceof StreamEvent.EndOfStream).count());
    assertThrows(IllegalStateException.class, () -> demuxer.feed(new byte[188], 0, 188));
  }

  @Test
  void directByteBufferGivesSameEvents() throws Exception {
    byte[] ts = simpleStream(10);
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY).build(events::add);
    ByteBuffer direct = ByteBuffer.allocateDirect(ts.length);
    direct.put(ts).flip();
    demuxer.feed(direct);
    demuxer.finish();
    assertFalse(direct.hasRemaining());
    assertEquals(demux(ts).events(), events);
  }

  // ---------------------------------------------------------------- split invariance

  /** A stream with most kinds of damage, to be fed in different splits. */
  static byte[] damagedStream() {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 10, START);
    ts.raw(new byte[] {1, 2, 3, 0x47, 5, 6, 7}); // garbage with a false sync byte
    frames(ts, 10, 5, START + 10 * FRAME);
    ts.repeatLastPacket(); // duplicate
    ts.pes(VIDEO, -1, -1, payload(VIDEO, 99, 3000), TsTestStream.opts().unbounded());
    byte[] bytes = ts.bytes();
    TsTestStream tail = new TsTestStream();
    frames(tail, 15, 5, START + 15 * FRAME);
    byte[] tailBytes = tail.bytes();
    // drop one packet of the tail: a continuity gap (the tail's counters restart: also a gap)
    byte[] all = Arrays.copyOf(bytes, bytes.length + tailBytes.length - 188 + 100);
    System.arraycopy(tailBytes, 0, all, bytes.length, 188 * 3);
    System.arraycopy(tailBytes, 188 * 4, all, bytes.length + 188 * 3, tailBytes.length - 188 * 4);
    System.arraycopy(tailBytes, 0, all, all.length - 100, 100); // truncated last packet
    return all;
  }

  @Test
  void eventsDoNotDependOnHowInputIsSplit() throws Exception {
    for (byte[] ts : List.of(simpleStream(30), damagedStream())) {
      Run whole = demux(ts);
      assertTrue(whole.of(MediaSample.class).size() > 20);
      assertEquals(whole.events(), demux(ts, b -> {}, 1).events(), "1-byte feeds");
      assertEquals(whole.events(), demux(ts, b -> {}, 188).events(), "188-byte feeds");
      assertEquals(whole.events(), demux(ts, b -> {}, 1000).events(), "1000-byte feeds");
      Random random = new Random(42);
      for (int round = 0; round < 5; round++) {
        List<StreamEvent> events = new ArrayList<>();
        TsDemuxer demuxer = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY).build(events::add);
        for (int i = 0; i < ts.length; ) {
          int n = Math.min(ts.length - i, random.nextInt(600));
          demuxer.feed(ts, i, n);
          i += n;
        }
        demuxer.finish();
        assertEquals(whole.events(), events, "random feeds");
        assertEquals(whole.stats(), demuxer.statistics(), "random feeds statistics");
      }
    }
  }

  @Test
  void damagedStreamIsCountedNotFatal() throws Exception {
    Run run = demux(damagedStream());
    TsStatistics stats = run.stats();
    assertEquals(1, stats.syncLosses());
    assertEquals(7, stats.bytesSkipped());
    assertEquals(1, run.pid(AUDIO).duplicatePackets());
    assertEquals(100, stats.truncatedBytes());
    assertTrue(stats.ccErrors() >= 1);
  }

  // ---------------------------------------------------------------- packet sizes, sync

  @Test
  void m2tsAndReedSolomonPacketSizes() throws Exception {
    Run reference = demux(simpleStream(10));
    for (int size : new int[] {192, 204}) {
      TsTestStream ts = new TsTestStream();
      ts.packetSize = size;
      Run run = demux(frames(header(ts), 0, 10, START).bytes(), b -> {}, 1);
      assertEquals(size, run.stats().packetSize());
      assertEquals(reference.of(MediaSample.class), run.of(MediaSample.class), "size " + size);
      assertEquals(0, run.stats().bytesSkipped());
      assertEquals(0, run.stats().truncatedBytes());
    }
  }

  @Test
  void resyncsAfterGarbage() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 5, START);
    byte[] garbage = new byte[1000];
    Arrays.fill(garbage, (byte) 0x55);
    ts.raw(garbage);
    frames(ts, 5, 5, START + 5 * FRAME);
    Run run = demux(ts.bytes());
    assertEquals(10, run.samples(VIDEO).size());
    assertEquals(1, run.stats().syncLosses());
    assertEquals(1000, run.stats().bytesSkipped());
    assertEquals(0, run.stats().ccErrors());
  }

  @Test
  void nonTsInputFailsAsMalformed() {
    byte[] noise = new byte[3 << 20];
    new Random(1).nextBytes(noise);
    for (int i = 0; i < noise.length; i++) {
      if (noise[i] == 0x47) {
        noise[i] = 0x46;
      }
    }
    MediaException e = assertThrows(MediaException.class, () -> demux(noise, b -> {}, 65536));
    assertEquals(MediaException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("no MPEG-TS sync"), e.getMessage());
    MediaException small = assertThrows(MediaException.class, () -> demux("hello, not a TS".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertEquals(MediaException.Kind.MALFORMED, small.kind());
  }

  @Test
  void resyncLimitIsConfigurable() {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 5, START);
    ts.raw(new byte[5000]);
    frames(ts, 5, 5, START + 5 * FRAME);
    byte[] bytes = ts.bytes();
    assertThrows(MediaException.class, () -> demux(bytes, b -> b.maxResyncBytes(4096), 188));
  }

  // ---------------------------------------------------------------- PSI

  @Test
  void pmtSpanningPacketsWithLanguagesAndSeveralSectionsPerPacket() throws Exception {
    List<Es> streams = new ArrayList<>();
    streams.add(new Es(0x1B, VIDEO));
    for (int i = 0; i < 40; i++) {
      byte[] lang = {0x0A, 4, 'e', 'n', (byte) ('a' + (i % 26)), 0};
      streams.add(new Es(0x0F, 0x200 + i, lang));
    }
    byte[] pmt = TsTestStream.pmtSection(1, 0, VIDEO, new byte[0], streams.toArray(new Es[0]));
    assertTrue(pmt.length > 184 * 2);
    TsTestStream ts = new TsTestStream();
    ts.pat(1, PMT);
    // a program_map_section of another program first, on the same PID, in the same packet
    byte[] other = TsTestStream.pmtSection(2, 0, 0x300, new byte[0], new Es(0x0F, 0x301));
    ts.psi(0, TsTestStream.patSection(0, 1, PMT, 2, PMT));
    ts.psi(PMT, other, pmt);
    frames(ts, 0, 3, START);
    Run run = demux(ts.bytes(), b -> {}, 7);
    assertEquals(2, run.demuxer().programs().size());
    ProgramInfo one = run.demuxer().programs().get(0);
    assertEquals(41, one.streams().size());
    assertEquals("enc", one.streams().get(3).language());
    assertEquals(1, run.demuxer().programs().get(1).streams().size());
    assertEquals("enb", one.streams().get(2).language());
    assertEquals(0x201, one.streams().get(2).pid());
    assertEquals(3, run.samples(VIDEO).size());
  }

  @Test
  void sectionWithBadCrcIsIgnoredAndCounted() throws Exception {
    byte[] bad = TsTestStream.pmtSection(1, 0, VIDEO, new byte[0], new Es(0x1B, VIDEO));
    bad[bad.length - 1] ^= 1;
    TsTestStream ts = new TsTestStream().pat(1, PMT).psi(PMT, bad);
    frames(ts, 0, 3, START);
    ts.pmt(PMT, 1, VIDEO, new Es(0x1B, VIDEO), new Es(0x0F, AUDIO));
    frames(ts, 3, 3, START + 3 * FRAME);
    Run run = demux(ts.bytes());
    assertEquals(1, run.demuxer().statistics().crcErrors());
    assertEquals(3, run.samples(VIDEO).size(), "nothing demuxed before a valid PMT");
  }

  @Test
  void pmtVersionChangeAddsRemovesAndReplacesTracks() throws Exception {
    TsTestStream ts = new TsTestStream().pat(1, PMT).pmt(PMT, 1, VIDEO, new Es(0x1B, VIDEO), new Es(0x0F, 0x300));
    frames(ts, 0, 3, START);
    ts.psi(PMT, TsTestStream.pmtSection(1, 1, VIDEO, new byte[0], new Es(0x1B, VIDEO), new Es(0x0F, AUDIO)));
    frames(ts, 3, 3, START + 3 * FRAME);
    ts.psi(PMT, TsTestStream.pmtSection(1, 2, VIDEO, new byte[0], new Es(0x24, VIDEO), new Es(0x0F, AUDIO)));
    frames(ts, 6, 3, START + 6 * FRAME);
    Run run = demux(ts.bytes());
    assertEquals(6, run.samples(AUDIO).size(), "audio only after the PMT update");
    assertEquals(9, run.samples(VIDEO).size());
    assertEquals(List.of(VIDEO, AUDIO), // 0x300 never carried data, so its reader never announced it
        run.of(TrackAdded.class).stream().map(a -> a.format().trackId()).collect(Collectors.toList()));
    List<TrackChanged> changed = run.of(TrackChanged.class);
    assertEquals(1, changed.size(), "replaced reader's TrackAdded becomes TrackChanged");
    assertEquals(Codec.H265, changed.get(0).format().codec());
    assertEquals(2, run.demuxer().programs().get(0).pmtVersion());
  }

  @Test
  void unknownStreamIsAnnouncedOnceAndSkipped() throws Exception {
    TsTestStream ts = new TsTestStream().pat(1, PMT).pmt(PMT, 1, VIDEO, new Es(0x1B, VIDEO), new Es(0x99, 0x400));
    frames(ts, 0, 3, START);
    ts.pes(0x400, START, -1, payload(0x400, 0, 100), TsTestStream.opts());
    ts.pmt(PMT, 1, VIDEO, new Es(0x1B, VIDEO), new Es(0x99, 0x400)); // repetition
    Run run = demux(ts.bytes());
    List<TrackAdded> unknown = run.of(TrackAdded.class).stream()
        .filter(a -> a.format().trackId() == 0x400).collect(Collectors.toList());
    assertEquals(1, unknown.size());
    assertEquals(Codec.UNKNOWN, unknown.get(0).format().codec());
    assertTrue(run.samples(0x400).isEmpty());
  }

  @Test
  void multiProgramSelection() throws Exception {
    TsTestStream ts = new TsTestStream();
    ts.pat(1, 0x1000, 2, 0x1001);
    ts.pmt(0x1000, 1, 0x201, new Es(0x0F, 0x201));
    ts.pmt(0x1001, 2, 0x301, new Es(0x1B, 0x301), new Es(0x0F, 0x302));
    for (int i = 0; i < 4; i++) {
      long t = START + i * FRAME;
      ts.pes(0x201, 0xC0, t, -1, payload(0x201, i, 100), TsTestStream.opts().pcr(t));
      ts.pes(0x301, t, -1, payload(0x301, i, 100), TsTestStream.opts().pcr(t));
      ts.pes(0x302, 0xC0, t, -1, payload(0x302, i, 100), TsTestStream.opts());
    }
    byte[] bytes = ts.bytes();
    Run byDefault = demux(bytes);
    assertEquals(4, byDefault.samples(0x301).size(), "first program with video");
    assertEquals(4, byDefault.samples(0x302).size());
    assertTrue(byDefault.samples(0x201).isEmpty());
    assertEquals(List.of(1, 2), byDefault.demuxer().programs().stream().map(ProgramInfo::programNumber)
        .collect(Collectors.toList()));
    Run first = demux(bytes, b -> b.programNumber(1), bytes.length);
    assertEquals(4, first.samples(0x201).size());
    assertTrue(first.samples(0x301).isEmpty());
  }

  @Test
  void audioOnlyProgramsSelectTheFirst() throws Exception {
    TsTestStream ts = new TsTestStream();
    ts.pat(1, 0x1000, 2, 0x1001);
    ts.pmt(0x1000, 1, 0x201, new Es(0x0F, 0x201));
    ts.pmt(0x1001, 2, 0x301, new Es(0x0F, 0x301));
    ts.pes(0x201, 0xC0, START, -1, payload(0x201, 0, 100), TsTestStream.opts());
    ts.pes(0x301, 0xC0, START, -1, payload(0x301, 0, 100), TsTestStream.opts());
    Run run = demux(ts.bytes());
    assertEquals(1, run.samples(0x201).size());
    assertTrue(run.samples(0x301).isEmpty());
  }

  @Test
  void scte35SectionsGoToSectionReaders() throws Exception {
    byte[] cuei = {0x05, 4, 'C', 'U', 'E', 'I'};
    TsTestStream ts = new TsTestStream().pat(1, PMT);
    ts.psi(PMT, TsTestStream.pmtSection(1, 0, VIDEO, cuei, new Es(0x1B, VIDEO), new Es(0x86, 0x500)));
    frames(ts, 0, 2, START);
    byte[] splice = TsTestStream.section(0xFC, 0, 0, new byte[] {1, 2, 3, 4, 5});
    ts.psi(0x500, splice, splice);
    Run run = demux(ts.bytes(), b -> {}, 1);
    List<StreamEvent.TimedMetadata> metadata = run.of(StreamEvent.TimedMetadata.class);
    assertEquals(2, metadata.size());
    assertArrayEquals(splice, metadata.get(0).data().toByteArray());
  }

  // ---------------------------------------------------------------- PES

  @Test
  void unboundedVideoPesEndsAtNextStartAndAtFinish() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    for (int i = 0; i < 3; i++) {
      ts.pes(VIDEO, START + i * FRAME, -1, payload(VIDEO, i, 5000), TsTestStream.opts().unbounded());
    }
    Run run = demux(ts.bytes());
    List<MediaSample> video = run.samples(VIDEO);
    assertEquals(3, video.size());
    assertArrayEquals(payload(VIDEO, 2, 5000), video.get(2).data().toByteArray());
  }

  @Test
  void oversizePesIsDropped() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    ts.pes(VIDEO, START, -1, payload(VIDEO, 0, 100_000), TsTestStream.opts().unbounded());
    ts.pes(VIDEO, START + FRAME, -1, payload(VIDEO, 1, 1000), TsTestStream.opts().unbounded());
    Run run = demux(ts.bytes(), b -> b.maxPesBytes(65536), 188);
    assertEquals(1, run.samples(VIDEO).size());
    assertEquals(1, run.stats().pesDropped());
  }

  @Test
  void streamsWithoutPesHeaderSyntax() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    byte[] body = payload(AUDIO, 7, 50);
    byte[] pes = new byte[6 + body.length];
    pes[2] = 1;
    pes[3] = (byte) 0xBF; // private_stream_2
    pes[5] = (byte) body.length;
    System.arraycopy(body, 0, pes, 6, body.length);
    ts.packetize(AUDIO, pes, TsTestStream.opts());
    Run run = demux(ts.bytes());
    List<StreamEvent.TimedMetadata> untimed = run.of(StreamEvent.TimedMetadata.class);
    assertEquals(1, untimed.size());
    assertArrayEquals(body, untimed.get(0).data().toByteArray());
  }

  // ---------------------------------------------------------------- timing

  @Test
  void ptsWrapComesOutMonotonic() throws Exception {
    long start = (1L << 33) - 20 * FRAME;
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 40, start);
    Run run = demux(ts.bytes());
    List<MediaSample> video = run.samples(VIDEO);
    assertEquals(40, video.size());
    for (int i = 1; i < video.size(); i++) {
      assertEquals(video.get(i - 1).dts90k() + FRAME, video.get(i).dts90k());
    }
    assertTrue(video.get(39).pts90k() > 1L << 33);
    assertEquals(1, run.stats().timestampWraps());
    assertTrue(run.of(Discontinuity.class).isEmpty());
  }

  @Test
  void spliceJumpGivesOneDiscontinuity() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 10, START + 3600 * 90_000L);
    frames(ts, 10, 10, START); // an hour back, on PCR, video and audio
    Run run = demux(ts.bytes());
    List<Discontinuity> discontinuities = run.of(Discontinuity.class);
    assertEquals(1, discontinuities.size(), discontinuities.toString());
    assertEquals(Discontinuity.Reason.TIMESTAMP_JUMP, discontinuities.get(0).reason());
    assertTrue(discontinuities.get(0).nextTimestamp90k() < discontinuities.get(0).lastTimestamp90k());
    assertEquals(1, run.stats().discontinuities());
    assertEquals(20, run.samples(VIDEO).size());
  }

  @Test
  void discontinuityComesBetweenOldAndNewSamplesEvenWithBufferingReaders() throws Exception {
    long old = START + 3600 * 90_000L;
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 10, old);
    frames(ts, 10, 10, START);
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder()
        .readerFactory((info, clock) -> new RecordingReaders.OneBehindReaderStub(info)).build(events::add);
    byte[] bytes = ts.bytes();
    demuxer.feed(bytes, 0, bytes.length);
    demuxer.finish();
    int at = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof Discontinuity) {
        assertEquals(-1, at, "one discontinuity");
        at = i;
      }
    }
    assertTrue(at > 0);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof MediaSample s) {
        assertEquals(i > at, s.dts90k() < old, "sample " + i + " on the wrong side: " + s);
      }
    }
    assertEquals(40, events.stream().filter(e -> e instanceof MediaSample).count());
  }

  @Test
  void forwardJumpBeyondThresholdIsDetected() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 10, START);
    frames(ts, 10, 10, START + 60 * 90_000L);
    Run run = demux(ts.bytes());
    assertEquals(1, run.of(Discontinuity.class).size());
  }

  @Test
  void discontinuityIndicatorGivesOneSignalledEventAndNoCcError() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 5, START);
    // new timeline: indicator on the PCR/video PID and the audio PID, counters jump
    TsTestStream.Options video = TsTestStream.opts().pcr(100).discontinuity().randomAccess();
    video.ccOverride = 9;
    ts.pes(VIDEO, 100 + 2 * FRAME, 100, payload(VIDEO, 50, 100), video);
    TsTestStream.Options audio = TsTestStream.opts().discontinuity();
    audio.ccOverride = 3;
    ts.pes(AUDIO, 0xC0, 100, -1, payload(AUDIO, 50, 100), audio);
    Run run = demux(ts.bytes());
    List<Discontinuity> discontinuities = run.of(Discontinuity.class);
    assertEquals(1, discontinuities.size(), discontinuities.toString());
    assertEquals(Discontinuity.Reason.SIGNALLED, discontinuities.get(0).reason());
    assertEquals(0, run.stats().ccErrors());
    assertEquals(6, run.samples(VIDEO).size());
  }

  @Test
  void pcrOnPidWithoutElementaryStream() throws Exception {
    int pcrPid = 0x1FF0;
    TsTestStream ts = new TsTestStream().pat(1, PMT).pmt(PMT, 1, pcrPid, new Es(0x0F, AUDIO));
    for (int i = 0; i <= 50; i++) {
      long t = START + i * FRAME;
      ts.adaptationOnly(pcrPid, TsTestStream.opts().pcr(t));
      ts.pes(AUDIO, 0xC0, t, -1, payload(AUDIO, i, 100), TsTestStream.opts());
    }
    Run run = demux(ts.bytes());
    PidStatistics pcr = run.pid(pcrPid);
    assertEquals(51, pcr.pcrCount());
    assertEquals(40_000_000, pcr.pcrIntervalMaxNanos());
    assertEquals(0, pcr.pcrJitterMaxNanos());
    assertEquals(2_000_000_000L, run.stats().durationNanos());
    assertTrue(run.stats().bitrateBitsPerSecond() > 0);
    assertTrue(run.pid(AUDIO).bitrateBitsPerSecond() > 0);
    assertEquals(51, run.samples(AUDIO).size());
  }

  // ---------------------------------------------------------------- damage

  @Test
  void teiPacketsAreDroppedAndCounted() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 3, START);
    ts.pes(AUDIO, 0xC0, START, -1, payload(AUDIO, 9, 100), TsTestStream.opts().tei());
    Run run = demux(ts.bytes());
    assertEquals(1, run.stats().teiPackets());
    assertEquals(1, run.pid(AUDIO).teiPackets());
    assertEquals(3, run.samples(AUDIO).size());
  }

  @Test
  void continuityGapDropsThePesInProgress() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 2, START);
    int before = ts.size();
    ts.pes(VIDEO, START + 10 * FRAME, -1, payload(VIDEO, 10, 1000), TsTestStream.opts());
    byte[] bytes = ts.bytes();
    TsTestStream rest = new TsTestStream();
    byte[] all = new byte[bytes.length - 188];
    System.arraycopy(bytes, 0, all, 0, before + 188);
    System.arraycopy(bytes, before + 376, all, before + 188, bytes.length - before - 376); // lose packet 2
    List<StreamEvent> events = new ArrayList<>();
    List<RecordingReaders.PesReaderStub> readers = new ArrayList<>();
    ElementaryStreamReaderFactory factory = (info, clock) -> {
      RecordingReaders.PesReaderStub r = new RecordingReaders.PesReaderStub(info);
      readers.add(r);
      return r;
    };
    TsDemuxer demuxer = TsDemuxer.builder().readerFactory(factory).build(events::add);
    demuxer.feed(all, 0, all.length);
    demuxer.finish();
    assertEquals(2, events.stream().filter(e -> e instanceof MediaSample s && s.trackId() == VIDEO).count());
    TsStatistics stats = demuxer.statistics();
    assertEquals(1, stats.ccErrors());
    assertEquals(1, stats.pesDropped());
    assertEquals(1, readers.get(0).seeks);
    assertEquals(1, stats.pids().stream().filter(p -> p.pid() == VIDEO).findFirst().orElseThrow().ccErrors());
    assertTrue(rest.size() == 0);
  }

  @Test
  void duplicatePacketIsIgnoredOnce() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 2, START);
    ts.repeatLastPacket();
    frames(ts, 2, 2, START + 2 * FRAME);
    Run run = demux(ts.bytes());
    assertEquals(4, run.samples(AUDIO).size());
    assertEquals(1, run.pid(AUDIO).duplicatePackets());
    assertEquals(0, run.stats().ccErrors());

    TsTestStream twice = header(new TsTestStream());
    frames(twice, 0, 2, START);
    twice.repeatLastPacket().repeatLastPacket();
    Run third = demux(twice.bytes());
    assertEquals(1, third.pid(AUDIO).duplicatePackets());
    assertEquals(1, third.stats().ccErrors(), "a third copy is a continuity error");
  }

  @Test
  void truncatedLastPacketIsIgnored() throws Exception {
    byte[] ts = simpleStream(3);
    byte[] cut = Arrays.copyOf(ts, ts.length - 100);
    Run run = demux(cut);
    assertEquals(88, run.stats().truncatedBytes());
    assertEquals(3, run.samples(VIDEO).size());
  }

  @Test
  void adaptationFieldLengthOutOfRangeIsSkipped() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 2, START);
    byte[] bytes = ts.bytes();
    byte[] bad = new byte[188];
    bad[0] = 0x47;
    bad[1] = (byte) (AUDIO >> 8);
    bad[2] = (byte) AUDIO;
    bad[3] = 0x30 | 2;
    bad[4] = (byte) 190;
    byte[] all = Arrays.copyOf(bytes, bytes.length + 188);
    System.arraycopy(bad, 0, all, bytes.length, 188);
    Run run = demux(all);
    assertEquals(1, run.demuxer().statistics().damagedPackets());
    assertEquals(2, run.samples(AUDIO).size());
  }

  @Test
  void scrambledProgramFails() {
    TsTestStream ts = header(new TsTestStream());
    for (int i = 0; i < 300; i++) {
      ts.pes(VIDEO, START + i * FRAME, -1, payload(VIDEO, i, 300), TsTestStream.opts().scrambled());
    }
    MediaException e = assertThrows(MediaException.class, () -> demux(ts.bytes()));
    assertEquals(MediaException.Kind.SCRAMBLED, e.kind());
    assertTrue(e.getMessage().contains("program 1 is scrambled (PIDs 0x0100)"), e.getMessage());

    TsTestStream few = header(new TsTestStream());
    few.pes(VIDEO, START, -1, payload(VIDEO, 0, 300), TsTestStream.opts().scrambled());
    few.pes(AUDIO, 0xC0, START, -1, payload(AUDIO, 0, 100), TsTestStream.opts().scrambled());
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY).build(events::add);
    MediaException atFinish = assertThrows(MediaException.class, () -> {
      demuxer.feed(few.bytes(), 0, few.bytes().length);
      demuxer.finish();
    });
    assertEquals(MediaException.Kind.SCRAMBLED, atFinish.kind());
    List<TrackFormat> formats = events.stream().filter(ev -> ev instanceof TrackAdded)
        .map(ev -> ((TrackAdded) ev).format()).collect(Collectors.toList());
    assertEquals(2, formats.size());
    assertTrue(formats.stream().allMatch(TrackFormat::scrambled));
  }

  @Test
  void partlyScrambledProgramIsMarkedButReadable() throws Exception {
    TsTestStream ts = header(new TsTestStream());
    frames(ts, 0, 3, START);
    ts.pes(AUDIO, 0xC0, START + 3 * FRAME, -1, payload(AUDIO, 3, 100), TsTestStream.opts().scrambled());
    Run run = demux(ts.bytes());
    List<TrackChanged> changed = run.of(TrackChanged.class);
    assertEquals(1, changed.size());
    assertTrue(changed.get(0).format().scrambled());
    assertEquals(AUDIO, changed.get(0).format().trackId());
    assertEquals(1, run.pid(AUDIO).scrambledPackets());
  }

  // ---------------------------------------------------------------- statistics, builder

  @Test
  void statisticsListenerGetsPeriodicAndFinalSnapshots() throws Exception {
    List<TsStatistics> snapshots = new ArrayList<>();
    byte[] ts = simpleStream(125); // 5 s
    Run run = demux(ts, b -> b.statisticsListener(snapshots::add).statisticsInterval(Duration.ofSeconds(1)), 1000);
    assertEquals(5, snapshots.size(), "4 periodic (1..4 s of PCR) and 1 final");
    assertEquals(run.stats(), snapshots.get(snapshots.size() - 1));
    assertTrue(snapshots.get(0).packets() < snapshots.get(1).packets());
    assertEquals(124 * FRAME * 100_000 / 9, run.stats().durationNanos());
  }

  @Test
  void randomlyDamagedInputOnlyEverRaisesMediaException() {
    byte[] clean = damagedStream();
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      byte[] ts = clean.clone();
      int flips = 1 + random.nextInt(50);
      for (int i = 0; i < flips; i++) {
        ts[random.nextInt(ts.length)] = (byte) random.nextInt(256);
      }
      int cut = random.nextInt(ts.length);
      byte[] input = random.nextBoolean() ? ts : Arrays.copyOf(ts, cut);
      try {
        demux(input, b -> b.maxPesBytes(65536), 1 + random.nextInt(400));
      } catch (MediaException expected) {
        // allowed: e.g. nothing synced in a short cut
      }
    }
  }

  @Test
  void builderIsStrict() {
    TsDemuxer.Builder b = TsDemuxer.builder().programNumber(3);
    assertThrows(IllegalStateException.class, () -> b.programNumber(4));
    assertThrows(IllegalArgumentException.class, () -> TsDemuxer.builder().programNumber(0));
    assertThrows(IllegalArgumentException.class, () -> TsDemuxer.builder().maxPesBytes(10));
    assertThrows(IllegalArgumentException.class, () -> TsDemuxer.builder().statisticsInterval(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> TsDemuxer.builder().readerFactory(null));
    TsDemuxer.Builder c = TsDemuxer.builder().maxResyncBytes(2048);
    assertThrows(IllegalStateException.class, () -> c.maxResyncBytes(4096));
  }
}
