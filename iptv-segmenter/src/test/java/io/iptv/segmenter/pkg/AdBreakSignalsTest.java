package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.DateRange;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cue handling of {@link AdBreakSignals} through an {@link HlsPackager} fed synthetic AAC (every frame a
 * keyframe, so cuts land within one frame of the splice point): immediate splices, time_signal start/end pairs,
 * repeated and cancelled cues, an early return, a discontinuity inside a break.
 */
class AdBreakSignalsTest {
  private static final int AUDIO = 0x101;
  private static final long FRAME = 1920; // 1024 samples at 48 kHz
  private static final long S = 90_000;

  /** Feeds frames from 0 to {@code end90k}; {@code cues} are emitted before the first frame at/after their key. */
  private static HlsPackager run(InMemorySegmentSink sink, long end90k, Map<Long, List<StreamEvent>> cues)
      throws MediaException {
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(4))
        .clock(InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z")))
        .adMarkers(EnumSet.of(AdMarkerStyle.DATERANGE, AdMarkerStyle.CUE)).build(sink);
    packager.emit(new StreamEvent.TrackAdded(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(48_000).channels(2)
        .build()));
    TreeMap<Long, List<StreamEvent>> pending = new TreeMap<>(cues);
    long offset = 0;
    for (long t = 0; t < end90k; t += FRAME) {
      while (!pending.isEmpty() && pending.firstKey() <= t) {
        for (StreamEvent e : pending.pollFirstEntry().getValue()) {
          if (e instanceof StreamEvent.Discontinuity) {
            offset += 1000 * S;
          }
          packager.emit(e);
        }
      }
      packager.emit(new MediaSample(AUDIO, t + offset, t + offset, true, ByteSlice.wrap(new byte[] {1, 2, 3})));
    }
    packager.emit(new StreamEvent.EndOfStream());
    return packager;
  }

  private static SpliceCue insert(long eventId, boolean out, long pts, long duration, int tag) {
    return new SpliceCue(0x1F0, SpliceCue.Command.SPLICE_INSERT, pts, eventId, out, false, duration, duration >= 0,
        List.of(), section(tag));
  }

  private static SpliceCue signal(long eventId, long pts, int typeId, int tag) {
    return new SpliceCue(0x1F0, SpliceCue.Command.TIME_SIGNAL, pts, eventId, typeId == 0x34, false, -1, false,
        List.of(typeId), section(tag));
  }

  private static ByteSlice section(int tag) {
    return ByteSlice.wrap(new byte[] {(byte) 0xFC, 0x30, (byte) tag});
  }

  private static MediaPlaylist playlist(InMemorySegmentSink sink) throws MediaException {
    return HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
  }

  private static long start(HlsPackager p, long sequence) {
    return p.timings().stream().filter(t -> t.sequence() == sequence).findFirst().orElseThrow().start90k();
  }

  /** Arbitrary cues (as a damaged or hostile source may send) never break packaging or the playlists. */
  @Test
  void arbitraryCuesNeverBreakThePackage() throws MediaException {
    java.util.Random random = new java.util.Random(35);
    Map<Long, List<StreamEvent>> cues = new java.util.HashMap<>();
    SpliceCue.Command[] commands = SpliceCue.Command.values();
    for (int i = 0; i < 400; i++) {
      long at = random.nextInt(60) * S / 2;
      long pts = random.nextInt(8) == 0 ? Timestamps.NO_TIMESTAMP : at + (random.nextInt(40) - 10) * S / 3;
      long duration = random.nextBoolean() ? -1 : random.nextInt(20) * S / 2;
      SpliceCue cue = new SpliceCue(0x1F0, commands[random.nextInt(commands.length)], pts, random.nextInt(6),
          random.nextBoolean(), random.nextInt(10) == 0, duration, random.nextBoolean(),
          random.nextBoolean() ? List.of() : List.of(random.nextInt(0x50)), section(i & 0x7F));
      cues.computeIfAbsent(at, k -> new ArrayList<>()).add(cue);
    }
    cues.computeIfAbsent(12 * S, k -> new ArrayList<>()).add(new StreamEvent.Discontinuity(
        StreamEvent.Discontinuity.Reason.TIMESTAMP_JUMP, 12 * S - FRAME, 1012 * S));
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 30 * S, cues);
    MediaPlaylist pl = playlist(sink);
    assertTrue(pl.segments().size() > 5);
    assertTrue(p.adBreaks().size() <= AdBreakSignals.MAX_PENDING);
    for (MediaSegment s : pl.segments()) {
      for (DateRange d : s.dateRanges()) {
        assertTrue(d.endDate() == null || !d.endDate().isBefore(d.startDate()));
      }
    }
    assertEquals(p.sampleCounts().received(), p.sampleCounts().chunked());
  }

  @Test
  void immediateSpliceCutsAtTheNextFrameAndReturnsAfterItsDuration() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 20 * S, Map.of(5 * S, List.of(insert(1, true, Timestamps.NO_TIMESTAMP, 6 * S, 1))));
    AdBreak b = p.adBreaks().get(0);
    long cut = start(p, b.outSequence());
    assertTrue(cut >= 5 * S - FRAME && cut <= 5 * S + FRAME, "cut at the cue's arrival: " + cut);
    assertEquals(b.splicePts90k() + 6 * S, b.returnPts90k());
    long in = start(p, b.inSequence());
    assertTrue(in >= b.returnPts90k() && in < b.returnPts90k() + FRAME, "return at out + duration: " + in);
  }

  @Test
  void aLateCueStartsTheBreakAsSoonAsPossibleAndRecordsTheOffset() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 20 * S, Map.of(6 * S, List.of(insert(3, true, 5 * S, 4 * S, 1))));
    AdBreak b = p.adBreaks().get(0);
    long cut = start(p, b.outSequence());
    assertTrue(cut >= 6 * S && cut <= 6 * S + FRAME, "cut right after the late cue: " + cut);
    assertEquals(cut - 5 * S, b.outOffset90k());
    long in = start(p, b.inSequence());
    assertTrue(in >= 9 * S && in < 9 * S + FRAME, "the return stays at splice point + duration: " + in);
  }

  @Test
  void timeSignalStartAndEndMakeOneBreakWithBothSections() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 20 * S, Map.of(
        3 * S, List.of(signal(9, 5 * S, 0x34, 1)),
        7 * S, List.of(signal(9, 9 * S, 0x35, 2))));
    assertEquals(1, p.adBreaks().size());
    AdBreak b = p.adBreaks().get(0);
    assertEquals(9 * S, b.returnPts90k());
    MediaPlaylist pl = playlist(sink);
    DateRange out = pl.segments().get((int) b.outSequence()).dateRanges().get(0);
    DateRange in = pl.segments().get((int) b.inSequence()).dateRanges().get(0);
    assertEquals(section(1), out.scte35Out());
    assertNull(out.plannedDuration(), "no segmentation_duration: no PLANNED-DURATION");
    assertEquals(section(2), in.scte35In());
    assertEquals(out.id(), in.id());
    assertEquals(4000, in.duration().toMillis(), 25);
  }

  @Test
  void repeatedCuesCountOnceAndCancelledOnesNotAtAll() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    SpliceCue out = insert(4, true, 6 * S, 2 * S, 1);
    SpliceCue cancelled = insert(5, true, 14 * S + 1000, 2 * S, 3);
    SpliceCue cancel = new SpliceCue(0x1F0, SpliceCue.Command.SPLICE_INSERT, Timestamps.NO_TIMESTAMP, 5, false,
        true, -1, false, List.of(), section(4));
    HlsPackager p = run(sink, 24 * S, Map.of(
        2 * S, List.of(out), 3 * S, List.of(out), 4 * S, List.of(out),
        10 * S, List.of(cancelled), 12 * S, List.of(cancel)));
    assertEquals(1, p.adBreaks().size(), p.adBreaks().toString());
    assertTrue(p.timings().stream().noneMatch(t -> t.start90k() > 14 * S && t.start90k() < 16 * S),
        "the cancelled break's cut is withdrawn: " + p.timings());
    long outs = playlist(sink).segments().stream().flatMap(s -> s.dateRanges().stream())
        .filter(d -> d.scte35Out() != null).count();
    assertEquals(1, outs);
  }

  @Test
  void anEarlyReturnMovesTheEndOfTheBreak() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 24 * S, Map.of(
        2 * S, List.of(insert(7, true, 5 * S, 10 * S, 1)),
        6 * S, List.of(insert(7, false, 9 * S, -1, 2))));
    AdBreak b = p.adBreaks().get(0);
    assertEquals(9 * S, b.returnPts90k());
    long in = start(p, b.inSequence());
    assertTrue(in >= 9 * S && in < 9 * S + FRAME);
    assertTrue(p.timings().stream().noneMatch(t -> t.start90k() > 15 * S && t.start90k() < 16 * S),
        "no cut at the planned return: " + p.timings());
  }

  @Test
  void aDiscontinuityEndsABreakInProgress() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager p = run(sink, 24 * S, Map.of(
        2 * S, List.of(insert(8, true, 5 * S, -1, 1), insert(9, true, 30 * S, -1, 5)),
        10 * S, List.of(new StreamEvent.Discontinuity(StreamEvent.Discontinuity.Reason.SIGNALLED, 10 * S - FRAME,
            1010 * S))));
    assertEquals(1, p.adBreaks().size(), "the break planned on the old timeline is dropped");
    AdBreak b = p.adBreaks().get(0);
    MediaPlaylist pl = playlist(sink);
    MediaSegment in = pl.segments().get((int) b.inSequence());
    assertTrue(in.discontinuity());
    assertEquals("IN", in.cueMarkers().get(0).kind().name());
    assertNull(in.dateRanges().get(0).scte35In());
    assertEquals(5000, in.dateRanges().get(0).duration().toMillis(), 25);
    assertFalse(pl.segments().get((int) b.inSequence() + 1).cueMarkers().stream()
        .anyMatch(c -> c.kind().name().equals("CONT")));
    List<String> kinds = new ArrayList<>();
    pl.segments().forEach(s -> kinds.add(s.cueMarkers().isEmpty() ? "" : s.cueMarkers().get(0).kind().name()));
    assertTrue(kinds.contains("CONT"), kinds.toString());
  }
}
