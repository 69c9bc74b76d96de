package io.iptv.segmenter.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.FfprobePackets;
import io.iptv.core.testing.ToolRun;
import io.iptv.core.time.PtsUnwrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generates short clips with ffmpeg into a temporary directory, feeds each elementary stream's PES
 * payloads (cut by {@link TestPesExtractor}) to the reader and compares every sample (pts, dts, size,
 * keyframe flag, CRC-32 of the data) with {@code ffprobe -show_packets -show_data_hash CRC32}; also checks
 * the reported format against ffprobe's stream parameters. Each clip is fed twice: whole PES payloads, and
 * every PES split into three calls at odd positions (only the first carrying the timestamps), which must
 * not change the output.
 */
class FfprobeComparisonTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("h264", List.of("-c:v", "libx264", "-g", "25"), 0, Codec.H264),
        Arguments.of("aac", List.of("-c:v", "libx264", "-g", "25", "-c:a", "aac"), 1, Codec.AAC),
        Arguments.of("h265", List.of("-c:v", "libx265", "-g", "25", "-x265-params", "log-level=error"), 0, Codec.H265),
        Arguments.of("ac3", List.of("-c:v", "libx264", "-c:a", "ac3"), 1, Codec.AC3),
        Arguments.of("eac3", List.of("-c:v", "libx264", "-c:a", "eac3"), 1, Codec.EAC3),
        Arguments.of("mp2", List.of("-c:v", "libx264", "-c:a", "mp2", "-ar", "44100"), 1, Codec.MPEG_AUDIO),
        Arguments.of("mp3", List.of("-c:v", "libx264", "-c:a", "libmp3lame", "-ar", "22050"), 1, Codec.MP3),
        Arguments.of("mpeg2", List.of("-c:v", "mpeg2video", "-g", "12", "-bf", "2"), 0, Codec.MPEG2_VIDEO),
        Arguments.of("h264_bframes_aac_stereo", List.of("-c:v", "libx264", "-g", "50", "-bf", "3",
            "-c:a", "aac", "-ac", "2", "-ar", "44100"), 1, Codec.AAC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void samplesMatchFfprobe(String name, List<String> codecArgs, int streamIndex, Codec codec) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    String ffprobe = ExternalTools.requireFfprobe();
    Path clip = dir.resolve(name + ".ts");
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "3"));
    command.addAll(codecArgs);
    command.addAll(List.of("-f", "mpegts", clip.toString()));
    ToolRun.of(command).requireSuccess();

    TestPesExtractor.Clip ts = TestPesExtractor.extract(Files.readAllBytes(clip));
    int pid = new ArrayList<>(ts.streamTypes().keySet()).get(streamIndex);
    List<TestPesExtractor.Pes> pes = ts.of(pid);
    String expected = FfprobePackets.probe(clip).packets().stream().filter(p -> p.streamIndex() == streamIndex)
        .map(FfprobeComparisonTest::line).collect(Collectors.joining("\n"));

    List<StreamEvent> whole = feed(pid, ts.streamTypes().get(pid), codec, pes, false);
    assertEquals(expected, lines(whole), name + ": samples differ from ffprobe");
    List<StreamEvent> split = feed(pid, ts.streamTypes().get(pid), codec, pes, true);
    assertEquals(expected, lines(split), name + ": split feeding changed the output");

    TrackFormat format = ((StreamEvent.TrackAdded) whole.get(0)).format();
    String probed = ToolRun.of(List.of(ffprobe, "-v", "error", "-select_streams", String.valueOf(streamIndex),
        "-show_entries", "stream=width,height,sample_rate,channels,r_frame_rate", "-of", "default=nw=1",
        clip.toString())).requireSuccess().stdoutText();
    if (codec.type() == io.iptv.core.media.TrackType.VIDEO) {
      assertEquals(probed.contains("width=" + format.width()) && probed.contains("height=" + format.height())
          && probed.contains("r_frame_rate=" + (int) format.frameRate() + "/1"), true, probed + " vs " + format);
    } else {
      assertEquals(probed.contains("sample_rate=" + format.sampleRate())
          && probed.contains("channels=" + format.channels()), true, probed + " vs " + format);
    }
    assertNotNull(format.codecString());
  }

  private static List<StreamEvent> feed(int pid, int streamType, Codec codec, List<TestPesExtractor.Pes> pes,
      boolean split) throws MediaException {
    ElementaryStreamReader reader = ElementaryStreamReaders.create(
        new EsInfo(1, pid, streamType, codec, null, ByteSlice.empty()), new PtsUnwrapper());
    assertNotNull(reader);
    List<StreamEvent> events = new ArrayList<>();
    for (TestPesExtractor.Pes p : pes) {
      byte[] d = p.payload();
      if (!split || d.length < 10) {
        reader.consume(d, 0, d.length, p.pts90k(), p.dts90k(), p.randomAccess(), events::add);
      } else {
        int a = 1 + d.length / 3;
        int b = d.length - 2;
        byte[] copy = d.clone();
        reader.consume(copy, 0, a, p.pts90k(), p.dts90k(), p.randomAccess(), events::add);
        reader.consume(copy, a, b - a, Long.MIN_VALUE, Long.MIN_VALUE, false, events::add);
        reader.consume(copy, b, d.length - b, Long.MIN_VALUE, Long.MIN_VALUE, false, events::add);
      }
    }
    reader.flush(events::add);
    assertFalse(events.isEmpty());
    return events;
  }

  /** An ffprobe packet in the form of {@link #lines}: pts dts size K|_ crc32 (missing timestamps: MIN_VALUE). */
  private static String line(FfprobePackets.Packet p) {
    return (p.pts() == null ? Long.MIN_VALUE : p.pts()) + " " + (p.dts() == null ? Long.MIN_VALUE : p.dts()) + " "
        + p.size() + " " + (p.keyframe() ? "K" : "_") + " " + String.format("%08x", p.crc32());
  }

  private static String lines(List<StreamEvent> events) {
    return events.stream().filter(e -> e instanceof MediaSample).map(e -> (MediaSample) e)
        .map(s -> s.pts90k() + " " + s.dts90k() + " " + s.sizeBytes() + " " + (s.keyframe() ? "K" : "_") + " "
            + String.format("%08x", s.data().crc32()))
        .collect(Collectors.joining("\n"));
  }
}
