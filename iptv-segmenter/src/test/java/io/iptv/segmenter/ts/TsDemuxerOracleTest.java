package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.iptv.core.media.Codec;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.testing.ByteSplits;
import io.iptv.core.testing.DumpAsserts;
import io.iptv.core.testing.FfprobePackets;
import io.iptv.core.testing.TestMedia;
import io.iptv.core.time.PtsUnwrapper;
import io.iptv.core.time.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the demuxer's samples with ffprobe's packets for every committed clip (the oracle), and with the
 * golden dumps under {@code src/test/resources/dumps/ts/} (the regression record).
 *
 * <p>ffprobe's timestamps are normalised to the demuxer's timeline: libavformat shows values before a 2^33
 * wrap as negative numbers, the demuxer puts the first value of a program in period 0 and counts on. Both
 * are brought to 33 bits and unwrapped with {@link PtsUnwrapper} in file order.
 */
class TsDemuxerOracleTest {
  /** ffmpeg codec name → our codec. */
  private static final Map<String, Codec> CODECS = Map.of(
      "h264", Codec.H264, "hevc", Codec.H265, "mpeg2video", Codec.MPEG2_VIDEO, "aac", Codec.AAC,
      "ac3", Codec.AC3, "eac3", Codec.EAC3, "mp2", Codec.MPEG_AUDIO, "mp3", Codec.MP3);

  /** Feeds a clip as one buffer. */
  private static final ByteSplits WHOLE = ByteSplits.aligned(Integer.MAX_VALUE);

  /** Every clip with the default program, plus the second program of the two-program clip. */
  static Stream<Arguments> selections() {
    List<Arguments> selections = new ArrayList<>();
    for (String clip : TestMedia.TS_CLIPS) {
      selections.add(Arguments.of(clip, DemuxRun.DEFAULT_PROGRAM));
    }
    selections.add(Arguments.of("two_programs.ts", 2));
    return selections.stream();
  }

  @ParameterizedTest(name = "{0} program {1}")
  @MethodSource("selections")
  void samplesMatchFfprobePackets(String clip, int program) throws Exception {
    FfprobePackets probe = FfprobePackets.probe(TestMedia.path(clip));
    DemuxRun run = DemuxRun.of(TestMedia.bytes(clip), program, WHOLE);
    List<FfprobePackets.Stream> streams = probe.streamsOfProgram(expectedProgram(program));
    Map<Integer, List<String>> expected = ffprobeLines(probe, streams);

    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(pidsWithTracks(run)),
        clip + ": tracks of the selected program");
    List<Executable> checks = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : expected.entrySet()) {
      int pid = e.getKey();
      List<String> ours = run.samples(pid).stream().map(SampleDump::sample).toList();
      checks.add(() -> assertSameLines(clip, pid, e.getValue(), ours));
    }
    assertAll(clip, checks);
  }

  @ParameterizedTest(name = "{0} program {1}")
  @MethodSource("selections")
  void trackFormatsMatchFfprobeStreams(String clip, int program) throws Exception {
    FfprobePackets probe = FfprobePackets.probe(TestMedia.path(clip));
    DemuxRun run = DemuxRun.of(TestMedia.bytes(clip), program, WHOLE);
    Map<Integer, TrackFormat> formats = lastFormats(run);
    List<Executable> checks = new ArrayList<>();
    for (FfprobePackets.Stream stream : probe.streamsOfProgram(expectedProgram(program))) {
      checks.add(() -> {
        TrackFormat f = formats.get(stream.pid());
        String where = clip + " PID 0x" + Integer.toHexString(stream.pid());
        assertEquals(CODECS.get(stream.codecName()), f == null ? null : f.codec(), where + " codec");
        if (stream.codecType().equals("video")) {
          assertEquals(stream.width() + "x" + stream.height(), f.width() + "x" + f.height(), where + " size");
        } else if (stream.codecType().equals("audio")) {
          assertEquals(stream.sampleRate(), f.sampleRate(), where + " sample rate");
          assertEquals(stream.channels(), f.channels(), where + " channels");
        }
        assertEquals(stream.language(), f.language(), where + " language");
      });
    }
    assertAll(clip, checks);
  }

  @ParameterizedTest(name = "{0} program {1}")
  @MethodSource("selections")
  void cleanClipShowsNoDamage(String clip, int program) throws Exception {
    byte[] ts = TestMedia.bytes(clip);
    TsStatistics s = DemuxRun.of(ts, program, WHOLE).statistics();
    int packetSize = TestMedia.isM2ts(clip) ? 192 : 188;
    assertAll(clip,
        () -> assertEquals(packetSize, s.packetSize(), "packetSize"),
        () -> assertEquals(ts.length, s.bytesIn(), "bytesIn"),
        () -> assertEquals(ts.length / packetSize, s.packets(), "packets"),
        () -> assertEquals(0, s.syncLosses(), "syncLosses"),
        () -> assertEquals(0, s.bytesSkipped(), "bytesSkipped"),
        () -> assertEquals(0, s.truncatedBytes(), "truncatedBytes"),
        () -> assertEquals(0, s.teiPackets(), "teiPackets"),
        () -> assertEquals(0, s.ccErrors(), "ccErrors"),
        () -> assertEquals(0, s.pesDropped(), "pesDropped"),
        () -> assertEquals(clip.contains("pts_wrap") ? 1 : 0, s.timestampWraps(), "timestampWraps"),
        () -> assertEquals(0, s.discontinuities(), "discontinuities"));
  }

  @ParameterizedTest(name = "{0} program {1}")
  @MethodSource("selections")
  void dumpMatchesGolden(String clip, int program) throws Exception {
    DemuxRun run = DemuxRun.of(TestMedia.bytes(clip), program, WHOLE);
    String name = program == DemuxRun.DEFAULT_PROGRAM ? clip : clip + ".program" + program;
    DumpAsserts.assertMatchesGolden("dumps/ts/" + name + ".dump", SampleDump.dump(run));
  }

  /** ffprobe's packets per PID (in PMT order) as dump lines on the demuxer's timeline. */
  static Map<Integer, List<String>> ffprobeLines(FfprobePackets probe, List<FfprobePackets.Stream> streams) {
    Map<Integer, List<String>> lines = new LinkedHashMap<>();
    for (FfprobePackets.Stream stream : streams) {
      lines.put(stream.pid(), new ArrayList<>());
    }
    PtsUnwrapper unwrapper = new PtsUnwrapper();
    for (FfprobePackets.Packet p : probe.packets()) {
      List<String> pidLines = lines.get(p.pid());
      if (pidLines == null) {
        continue;
      }
      Long pts = p.pts() == null ? null : unwrapper.unwrap(Math.floorMod(p.pts(), Timestamps.WRAP_90K));
      Long dts = p.dts() == null ? pts : Long.valueOf(unwrapper.unwrap(Math.floorMod(p.dts(), Timestamps.WRAP_90K)));
      pidLines.add(SampleDump.sample(p.pid(), pts == null ? -1 : pts, dts == null ? -1 : dts, p.keyframe(),
          p.size(), p.crc32()));
    }
    return lines;
  }

  static void assertSameLines(String clip, int pid, List<String> ffprobe, List<String> ours) {
    if (ffprobe.equals(ours)) {
      return;
    }
    int i = 0;
    while (i < ffprobe.size() && i < ours.size() && ffprobe.get(i).equals(ours.get(i))) {
      i++;
    }
    String message = String.format("%s PID 0x%x: ffprobe has %d packets, demuxer emitted %d samples;"
            + " first difference at sample #%d:%n  ffprobe: %s%n  ours:    %s",
        clip, pid, ffprobe.size(), ours.size(), i,
        i < ffprobe.size() ? ffprobe.get(i) : "<none>", i < ours.size() ? ours.get(i) : "<none>");
    fail(message);
  }

  private static int expectedProgram(int program) {
    // Every clip's first program carries video, so the default selection is program 1.
    return program == DemuxRun.DEFAULT_PROGRAM ? 1 : program;
  }

  private static List<Integer> pidsWithTracks(DemuxRun run) {
    return run.events().stream()
        .filter(StreamEvent.TrackAdded.class::isInstance)
        .map(e -> ((StreamEvent.TrackAdded) e).format().trackId())
        .toList();
  }

  private static Map<Integer, TrackFormat> lastFormats(DemuxRun run) {
    Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
    for (StreamEvent e : run.events()) {
      if (e instanceof StreamEvent.TrackAdded t) {
        formats.put(t.format().trackId(), t.format());
      } else if (e instanceof StreamEvent.TrackChanged t) {
        formats.put(t.format().trackId(), t.format());
      }
    }
    return formats;
  }
}
