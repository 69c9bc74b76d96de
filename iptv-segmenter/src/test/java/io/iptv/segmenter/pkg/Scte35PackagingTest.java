package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.CueMarker;
import io.iptv.segmenter.hls.DateRange;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.ts.TsDemuxer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCTE-35 through the packager, end to end: a clip made by ffmpeg, remuxed with an SCTE-35 PID carrying
 * splice_insert and time_signal sections built by {@link Scte35TestStream}, demuxed and packaged. Break 1: OUT on
 * a keyframe with break_duration and an explicit IN 6 s later; break 2: OUT between keyframes, 2 s auto-return;
 * a time_signal "program start" as SCTE35-CMD. Needs ffmpeg (skipped without it, failed with CI=true).
 */
class Scte35PackagingTest {
  private static final Instant CLOCK = Instant.parse("2024-01-01T00:00:00Z");
  private static final long EVENT_1 = 1001;
  private static final long EVENT_2 = 1002;

  @TempDir static Path work;
  static byte[] input;
  static long out1;
  static long in1;
  static long out2;
  static long out2Keyframe;
  static long cmdPts;
  static byte[] out1Section;
  static byte[] in1Section;
  static byte[] out2Section;
  static byte[] cmdSection;

  @BeforeAll
  static void makeInput() throws Exception {
    Path clip = Scte35TestStream.generate(work, 24);
    Scte35TestStream.Clip demuxed = Scte35TestStream.demux(Files.readAllBytes(clip));
    List<Long> keys = demuxed.keyframes();
    assertTrue(keys.size() >= 20, "keyframes: " + keys);
    out1 = keys.get(4);
    in1 = keys.get(10);
    out2Keyframe = keys.get(14);
    long between = keys.get(13) + 7 * 3600; // 7 frames after a keyframe: not one
    assertTrue(demuxed.otherFrames().contains(between), "a non-keyframe at " + between);
    out2 = between;
    cmdPts = keys.get(1);
    out1Section = Scte35TestStream.spliceInsert(EVENT_1, true, out1, in1 - out1, false);
    in1Section = Scte35TestStream.spliceInsert(EVENT_1, false, in1, -1, false);
    out2Section = Scte35TestStream.spliceInsert(EVENT_2, true, out2, 2 * 90_000, true);
    cmdSection = Scte35TestStream.timeSignal(cmdPts, 77, 0x10); // Program Start
    input = Scte35TestStream.remux(demuxed, List.of(
        new Scte35TestStream.Insert(cmdPts - 90_000, cmdSection),
        new Scte35TestStream.Insert(out1 - 180_000, out1Section),
        new Scte35TestStream.Insert(in1 - 180_000, in1Section),
        new Scte35TestStream.Insert(out2 - 180_000, out2Section)));
    Files.write(work.resolve("with-scte35.ts"), input);
  }

  static HlsPackager packager(HlsPlaylistType type, SegmentSink sink, Set<AdMarkerStyle> styles) {
    HlsPackager.Builder b = HlsPackager.builder().segmentDuration(Duration.ofSeconds(4)).playlistType(type)
        .clock(InstantSource.fixed(CLOCK)).adMarkers(styles);
    if (type == HlsPlaylistType.LIVE) {
      b.listSize(3);
    }
    return b.build(sink);
  }

  static HlsPackager run(HlsPackager packager) throws Exception {
    TsDemuxer demuxer = TsDemuxer.builder().build(packager);
    demuxer.feed(input, 0, input.length);
    demuxer.finish();
    packager.finish();
    return packager;
  }

  static MediaPlaylist parse(ByteSlice bytes) throws Exception {
    return HlsPlaylistParser.builder().build().parseMedia(bytes.toByteArray());
  }

  static List<MediaSample> samples(ByteSlice segment) throws Exception {
    List<StreamEvent> events = HlsOutput.demux(segment.toByteArray());
    Map<Integer, TrackType> types = new HashMap<>();
    List<MediaSample> out = new ArrayList<>();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.TrackAdded t) {
        types.put(t.format().trackId(), t.format().type());
      } else if (e instanceof MediaSample s) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void segmentsStartAtTheSplicePointsAndTheBreaksAreRecorded() throws Exception {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = run(packager(HlsPlaylistType.VOD, sink, EnumSet.of(AdMarkerStyle.DATERANGE)));
    List<AdBreak> breaks = packager.adBreaks();
    assertEquals(2, breaks.size(), breaks.toString());
    AdBreak b1 = breaks.get(0);
    assertEquals(out1, b1.splicePts90k());
    assertEquals(out1, b1.outSegmentStart90k(), "keyframe on the splice point: the segment starts there");
    assertEquals(0, b1.outOffset90k());
    assertEquals(in1, b1.returnPts90k());
    AdBreak b2 = breaks.get(1);
    assertEquals(out2, b2.splicePts90k());
    assertEquals(out2Keyframe, b2.outSegmentStart90k(), "no keyframe on the splice point: the next one");
    assertEquals(out2Keyframe - out2, b2.outOffset90k());

    MediaPlaylist playlist = parse(sink.get("stream/index.m3u8"));
    long first = playlist.mediaSequence();
    // first sample of the OUT segment is the keyframe at the splice point; no audio before it
    List<MediaSample> outSamples = samples(sink.get("stream/" + playlist.segments()
        .get((int) (b1.outSequence() - first)).uri()));
    assertEquals(out1, outSamples.get(0).pts90k());
    assertTrue(outSamples.get(0).keyframe());
    assertTrue(outSamples.stream().allMatch(s -> s.pts90k() >= out1), "nothing before the splice point");
    // the return segment starts at the IN splice point; the segment before it ends there
    List<MediaSample> inSamples = samples(sink.get("stream/" + playlist.segments()
        .get((int) (b1.inSequence() - first)).uri()));
    assertEquals(in1, inSamples.get(0).pts90k());
    List<MediaSample> before = samples(sink.get("stream/" + playlist.segments()
        .get((int) (b1.inSequence() - first - 1)).uri()));
    assertTrue(before.stream().allMatch(s -> s.pts90k() < in1), "nothing after the return in the break");
    assertEquals(2, b1.inSequence() - b1.outSequence(), "the break lasts 2 segments");
    // break 2: cut at the keyframe after the splice, return at the keyframe after splice + 2 s
    List<MediaSample> out2Samples = samples(sink.get("stream/" + playlist.segments()
        .get((int) (b2.outSequence() - first)).uri()));
    assertEquals(out2Keyframe, out2Samples.get(0).pts90k());
    long in2 = b2.inSequence() - first;
    assertTrue(samples(sink.get("stream/" + playlist.segments().get((int) in2).uri())).get(0).pts90k()
        >= out2 + 2 * 90_000);
    HlsOutput.assertTargetDurationRule(playlist);
  }

  @Test
  void dateRangesCarryTheSectionsAndTheSplicePointsDates() throws Exception {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = run(packager(HlsPlaylistType.VOD, sink, EnumSet.of(AdMarkerStyle.DATERANGE)));
    String text = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:"), "DATERANGE needs PDT (turned on for VOD):\n" + text);
    assertFalse(text.contains("#EXT-X-CUE"), "CUE style not asked for");
    MediaPlaylist playlist = parse(sink.get("stream/index.m3u8"));
    long first = playlist.mediaSequence();
    AdBreak b1 = packager.adBreaks().get(0);
    AdBreak b2 = packager.adBreaks().get(1);

    MediaSegment outSegment = playlist.segments().get((int) (b1.outSequence() - first));
    DateRange out = only(outSegment.dateRanges());
    assertArrayEquals(out1Section, out.scte35Out().toByteArray(), "SCTE35-OUT is the section as received");
    assertEquals(outSegment.programDateTime().toInstant(), out.startDate().toInstant(),
        "START-DATE = the OUT segment's PDT when it starts on the splice point");
    assertEquals(Duration.ofNanos((in1 - out1) * 100_000 / 9), out.plannedDuration());
    assertNull(out.scte35In());

    MediaSegment inSegment = playlist.segments().get((int) (b1.inSequence() - first));
    DateRange in = only(inSegment.dateRanges());
    assertEquals(out.id(), in.id());
    assertEquals(out.startDate(), in.startDate());
    assertArrayEquals(in1Section, in.scte35In().toByteArray());
    assertEquals(inSegment.programDateTime().toInstant(), in.endDate().toInstant(), "END-DATE = return");
    assertEquals(Duration.ofNanos((in1 - out1) * 100_000 / 9), in.duration());
    for (long seq = b1.outSequence() + 1; seq < b1.inSequence(); seq++) {
      assertTrue(playlist.segments().get((int) (seq - first)).dateRanges().isEmpty());
    }

    MediaSegment out2Segment = playlist.segments().get((int) (b2.outSequence() - first));
    DateRange o2 = only(out2Segment.dateRanges());
    assertArrayEquals(out2Section, o2.scte35Out().toByteArray());
    long lateMicros = (out2Keyframe - out2) * 100 / 9;
    long gapMillis = ChronoUnit.MILLIS.between(o2.startDate(), out2Segment.programDateTime());
    assertTrue(Math.abs(gapMillis - lateMicros / 1000.0) <= 1.0,
        "START-DATE is the splice point, " + lateMicros + " µs before the segment; got " + gapMillis + " ms");
    DateRange i2 = only(playlist.segments().get((int) (b2.inSequence() - first)).dateRanges());
    assertNull(i2.scte35In(), "auto return: there is no IN section");
    assertEquals(Duration.ofSeconds(2), i2.duration());

    List<DateRange> commands = playlist.segments().stream().flatMap(s -> s.dateRanges().stream())
        .filter(d -> d.scte35Cmd() != null).toList();
    assertEquals(1, commands.size());
    assertArrayEquals(cmdSection, commands.get(0).scte35Cmd().toByteArray());
    // the section bytes are written as hex
    assertTrue(text.contains("SCTE35-OUT=" + DateRange.hex(ByteSlice.wrap(out1Section))));
  }

  private static DateRange only(List<DateRange> ranges) {
    assertEquals(1, ranges.size(), ranges.toString());
    return ranges.get(0);
  }

  @Test
  void cueTagsMarkOutContinuationAndIn() throws Exception {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = run(packager(HlsPlaylistType.VOD, sink, EnumSet.of(AdMarkerStyle.CUE)));
    String text = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertFalse(text.contains("#EXT-X-DATERANGE"));
    MediaPlaylist playlist = parse(sink.get("stream/index.m3u8"));
    long first = playlist.mediaSequence();
    AdBreak b1 = packager.adBreaks().get(0);
    AdBreak b2 = packager.adBreaks().get(1);
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    Duration elapsed = Duration.ZERO;
    for (int i = 0; i < playlist.segments().size(); i++) {
      MediaSegment s = playlist.segments().get(i);
      long seq = first + i;
      String want = "";
      for (AdBreak b : List.of(b1, b2)) {
        if (seq == b.outSequence()) {
          want = "OUT";
          elapsed = Duration.ZERO;
        } else if (seq > b.outSequence() && seq < b.inSequence()) {
          want = "CONT";
        } else if (seq == b.inSequence()) {
          want = "IN";
        }
      }
      expected.add(want);
      actual.add(s.cueMarkers().isEmpty() ? "" : s.cueMarkers().get(0).kind().name());
      if (want.equals("CONT")) {
        assertEquals(elapsed.toMillis(), s.cueMarkers().get(0).elapsed().toMillis(), "ElapsedTime of " + seq);
      }
      if (!want.isEmpty()) {
        elapsed = elapsed.plus(s.duration());
      }
    }
    assertEquals(expected, actual);
    assertTrue(expected.contains("CONT"), expected.toString());
    CueMarker out = playlist.segments().get((int) (b1.outSequence() - first)).cueMarkers().get(0);
    assertEquals(Duration.ofNanos((in1 - out1) * 100_000 / 9).toMillis(), out.duration().toMillis());
    assertTrue(text.contains("#EXT-X-CUE-OUT:DURATION=6.000\n"), text);
    assertTrue(text.contains("#EXT-X-CUE-OUT-CONT:ElapsedTime="), text);
    assertTrue(text.contains("#EXT-X-CUE-IN\n"), text);
  }

  @Test
  void liveSlidingWindowKeepsABreakListedWhileItsSegmentsAre() throws Exception {
    InMemorySegmentSink vodSink = new InMemorySegmentSink();
    List<AdBreak> reference = run(packager(HlsPlaylistType.VOD, vodSink, EnumSet.of(AdMarkerStyle.DATERANGE)))
        .adBreaks();
    AdBreak b1 = reference.get(0);
    String id = "SCTE35-" + EVENT_1 + "-" + out1;
    List<MediaPlaylist> versions = new ArrayList<>();
    InMemorySegmentSink inner = new InMemorySegmentSink();
    SegmentSink recording = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) throws java.io.IOException {
        inner.write(name, bytes);
        if (name.equals("stream/index.m3u8")) {
          try {
            versions.add(parse(bytes));
          } catch (Exception e) {
            throw new java.io.IOException(e);
          }
        }
      }

      @Override
      public void delete(String name) throws java.io.IOException {
        inner.delete(name);
      }
    };
    HlsPackager live = run(packager(HlsPlaylistType.LIVE, recording,
        EnumSet.of(AdMarkerStyle.DATERANGE, AdMarkerStyle.CUE)));
    int listedWithBreak = 0;
    boolean sawOnlyInherited = false;
    for (MediaPlaylist p : versions) {
      long first = p.mediaSequence();
      long last = first + p.segments().size() - 1;
      boolean breakListed = first <= b1.inSequence() && last >= b1.outSequence();
      List<DateRange> outs = p.segments().stream().flatMap(s -> s.dateRanges().stream())
          .filter(d -> d.id().equals(id) && d.scte35Out() != null).toList();
      assertEquals(breakListed ? 1 : 0, outs.size(), "window " + first + ".." + last + ": " + outs);
      if (breakListed) {
        listedWithBreak++;
        assertNotNull(p.segments().get(0).programDateTime());
        if (first > b1.outSequence()) {
          sawOnlyInherited = true;
          assertEquals(outs.get(0), p.segments().get(0).dateRanges().get(0), "kept on the first listed segment");
        }
      }
    }
    assertTrue(listedWithBreak > 0 && sawOnlyInherited, "the window slid over the break");
    assertTrue(live.adBreaks().stream().noneMatch(b -> b.id().equals(id)), "forgotten once it left the window");
  }

  @Test
  void liveDashListsABreakWhileItsSegmentsAreInTheWindow() throws Exception {
    List<String> mpds = new ArrayList<>();
    List<MediaPlaylist> playlists = new ArrayList<>();
    InMemorySegmentSink inner = new InMemorySegmentSink();
    SegmentSink recording = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) throws java.io.IOException {
        inner.write(name, bytes);
        try {
          if (name.equals("manifest.mpd")) {
            mpds.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
          } else if (name.equals("stream/index.m3u8")) {
            playlists.add(parse(bytes));
          }
        } catch (Exception e) {
          throw new java.io.IOException(e);
        }
      }

      @Override
      public void delete(String name) throws java.io.IOException {
        inner.delete(name);
      }
    };
    HlsPackager live = HlsPackager.builder().segmentDuration(Duration.ofSeconds(4)).playlistType(HlsPlaylistType.LIVE)
        .listSize(3).segmentFormat(SegmentFormat.FMP4).dashManifestName("manifest.mpd")
        .clock(InstantSource.fixed(CLOCK)).build(recording);
    run(live);
    assertEquals(playlists.size(), mpds.size());
    String event = "<scte35:Binary>" + Base64.getEncoder().encodeToString(out1Section) + "</scte35:Binary>";
    int withEvent = 0;
    for (int i = 0; i < mpds.size(); i++) {
      MediaPlaylist p = playlists.get(i);
      boolean breakListed = p.segments().stream().flatMap(s -> s.dateRanges().stream())
          .anyMatch(d -> d.scte35Out() != null && java.util.Arrays.equals(d.scte35Out().toByteArray(), out1Section));
      assertEquals(breakListed, mpds.get(i).contains(event), "MPD " + i + " lists the break as the playlist does");
      withEvent += breakListed ? 1 : 0;
    }
    assertTrue(withEvent > 0 && withEvent < mpds.size(), "the break came and went: " + withEvent);
    assertTrue(mpds.get(0).contains("type=\"dynamic\""));
  }

  @Test
  void dashManifestHasTheScte35EventStream() throws Exception {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(4))
        .segmentFormat(SegmentFormat.FMP4).dashManifestName("manifest.mpd").clock(InstantSource.fixed(CLOCK))
        .build(sink);
    run(packager);
    String mpd = new String(sink.get("manifest.mpd").toByteArray(), StandardCharsets.UTF_8);
    assertTrue(mpd.contains("<EventStream schemeIdUri=\"urn:scte:scte35:2014:xml+bin\" timescale=\"90000\""
        + " xmlns:scte35=\"http://www.scte.org/schemas/35/2016\">"), mpd);
    // well-formed, namespace-valid XML: the scte35 prefix is declared
    javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    org.w3c.dom.Document doc = factory.newDocumentBuilder()
        .parse(new java.io.ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
    org.w3c.dom.NodeList binaries = doc.getElementsByTagNameNS("http://www.scte.org/schemas/35/2016", "Binary");
    assertEquals(3, binaries.getLength());
    assertEquals("Period", doc.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "EventStream").item(0)
        .getParentNode().getLocalName());
    long periodStart = packager.timings().get(0).start90k();
    Matcher m = Pattern.compile("<Event presentationTime=\"(\\d+)\"(?: duration=\"(\\d+)\")? id=\"(\\d+)\">"
        + "<scte35:Signal><scte35:Binary>([A-Za-z0-9+/=]+)</scte35:Binary></scte35:Signal></Event>").matcher(mpd);
    Map<Long, byte[]> events = new HashMap<>();
    Map<Long, Long> durations = new HashMap<>();
    while (m.find()) {
      long t = Long.parseLong(m.group(1));
      events.put(t, Base64.getDecoder().decode(m.group(4)));
      durations.put(t, m.group(2) == null ? -1 : Long.parseLong(m.group(2)));
    }
    assertEquals(3, events.size(), mpd);
    assertArrayEquals(out1Section, events.get(out1 - periodStart), "event at the splice point: " + events.keySet());
    assertEquals(in1 - out1, durations.get(out1 - periodStart));
    assertArrayEquals(out2Section, events.get(out2 - periodStart));
    assertArrayEquals(cmdSection, events.get(cmdPts - periodStart));
    // the HLS playlists of the same package carry the date ranges too
    assertTrue(new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8)
        .contains("SCTE35-OUT="));
  }

  @Test
  void ffmpegDecodesEverySegmentWithoutErrors() throws Exception {
    Path dir = work.resolve("hls-ts");
    HlsPackager packager = run(packager(HlsPlaylistType.VOD, DirectorySegmentSink.of(dir),
        EnumSet.of(AdMarkerStyle.DATERANGE, AdMarkerStyle.CUE)));
    MediaPlaylist playlist = HlsOutput.media(dir.resolve("stream/index.m3u8"));
    assertTrue(playlist.segments().size() >= 8);
    for (MediaSegment s : playlist.segments()) {
      assertEquals("", HlsOutput.ffmpegErrors(dir.resolve("stream").resolve(s.uri())), s.uri());
    }
    assertEquals("", HlsOutput.ffmpegErrors(dir.resolve("stream/index.m3u8")), "whole playlist");
    HlsOutput.assertSegmentsStartWithKeyframes(dir.resolve("stream/index.m3u8"), playlist);
    assertEquals(2, packager.adBreaks().size());
  }

  @Test
  void noAdMarkersIgnoresScte35() throws Exception {
    InMemorySegmentSink with = new InMemorySegmentSink();
    InMemorySegmentSink without = new InMemorySegmentSink();
    run(packager(HlsPlaylistType.VOD, with, EnumSet.of(AdMarkerStyle.CUE)));
    HlsPackager none = run(packager(HlsPlaylistType.VOD, without, Set.of()));
    String text = new String(without.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertFalse(text.contains("CUE") || text.contains("DATERANGE") || text.contains("PROGRAM-DATE-TIME"), text);
    assertTrue(none.adBreaks().isEmpty());
    assertTrue(parse(without.get("stream/index.m3u8")).segments().size()
        < parse(with.get("stream/index.m3u8")).segments().size(), "no extra cuts without ad markers");
  }

  @Test
  void dateRangeWithoutProgramDateTimeIsRefused() {
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().programDateTime(false)
        .adMarkers(EnumSet.of(AdMarkerStyle.DATERANGE)).build(new InMemorySegmentSink()));
    // the default then falls back to CUE tags
    HlsPackager.builder().programDateTime(false).build(new InMemorySegmentSink());
    assertTrue(Timestamps.NO_TIMESTAMP < 0);
  }
}
