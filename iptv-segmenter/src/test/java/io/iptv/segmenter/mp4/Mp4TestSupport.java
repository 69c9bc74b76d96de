package io.iptv.segmenter.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.ts.TsMuxer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helpers: make MP4s with ffmpeg, read them with {@link Mp4Demuxer}, compare with ffprobe. */
final class Mp4TestSupport {
  private Mp4TestSupport() {}

  /** Output of a finished tool run. */
  record ToolRun(int exitCode, String stdout, String stderr) {}

  /** One ffprobe packet. */
  record Packet(int stream, long pts, long dts, boolean keyframe, int size) {}

  /** One ffprobe stream: index, codec name, time base denominator (numerator 1). */
  record Stream(int index, String codec, long timescale) {}

  static ToolRun run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new ToolRun(process.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Runs ffmpeg with {@code args} (after {@code -v error -y}) and checks that it succeeded. */
  static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ExternalTools.requireFfmpeg(), "-nostdin", "-v", "error", "-y"));
    command.addAll(List.of(args));
    ToolRun run = run(command);
    assertEquals(0, run.exitCode(), () -> "ffmpeg failed: " + run.stderr());
  }

  /** Every event {@link Mp4Demuxer} produces for {@code file}. */
  static List<StreamEvent> demux(Path file) throws MediaException {
    List<StreamEvent> events = new ArrayList<>();
    try (Mp4Demuxer demuxer = Mp4Demuxer.open(file)) {
      demuxer.readAll(events::add);
    }
    return events;
  }

  static List<TrackFormat> formats(List<StreamEvent> events) {
    return events.stream().filter(StreamEvent.TrackAdded.class::isInstance)
        .map(e -> ((StreamEvent.TrackAdded) e).format()).toList();
  }

  static List<MediaSample> samples(List<StreamEvent> events, int trackId) {
    return events.stream().filter(MediaSample.class::isInstance).map(MediaSample.class::cast)
        .filter(s -> s.trackId() == trackId).toList();
  }

  static List<Stream> ffprobeStreams(Path file) throws IOException, InterruptedException {
    ToolRun run = run(List.of(ExternalTools.requireFfprobe(), "-v", "error", "-show_entries",
        "stream=index,codec_name,time_base", "-of", "csv=p=0", file.toString()));
    assertEquals("", run.stderr());
    List<Stream> streams = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.trim().split(",");
        streams.add(new Stream(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2].substring(2))));
      }
    }
    return streams;
  }

  static List<Packet> ffprobePackets(Path file) throws IOException, InterruptedException {
    ToolRun run = run(List.of(ExternalTools.requireFfprobe(), "-v", "error", "-show_entries",
        "packet=stream_index,pts,dts,flags,size", "-of", "csv=p=0", file.toString()));
    assertEquals("", run.stderr());
    List<Packet> packets = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.trim().split(",");
        packets.add(new Packet(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
            f[4].contains("K"), Integer.parseInt(f[3])));
      }
    }
    return packets;
  }

  /**
   * Checks every sample of every track against ffprobe's packets of the MP4: count, PTS and DTS (rescaled
   * from the stream's time base, plus one timeline offset common to all tracks), keyframe flag and size
   * (ADTS adds 7 bytes; 4-byte NAL lengths become 4-byte start codes). Returns the common offset.
   */
  static long assertMatchesFfprobe(Path file, List<StreamEvent> events) throws IOException, InterruptedException {
    List<TrackFormat> formats = formats(events);
    List<Stream> streams = ffprobeStreams(file);
    List<Packet> packets = ffprobePackets(file);
    assertEquals(streams.size(), formats.size(), "one track per ffprobe stream");
    Long offset = null;
    long minTimestamp = Long.MAX_VALUE;
    for (int i = 0; i < streams.size(); i++) {
      Stream stream = streams.get(i);
      TrackFormat format = formats.get(i);
      List<MediaSample> ours = samples(events, format.trackId());
      List<Packet> theirs = packets.stream().filter(p -> p.stream() == stream.index()).toList();
      assertEquals(theirs.size(), ours.size(), "sample count of " + stream);
      int extra = format.codec() == io.iptv.core.media.Codec.AAC ? 7 : 0;
      for (int j = 0; j < ours.size(); j++) {
        MediaSample s = ours.get(j);
        Packet p = theirs.get(j);
        long pts = Timestamps.rescale(p.pts(), stream.timescale(), 90_000);
        long dts = Timestamps.rescale(p.dts(), stream.timescale(), 90_000);
        if (offset == null) {
          offset = s.dts90k() - dts;
        }
        String where = stream + " sample " + j;
        assertEquals(dts + offset, s.dts90k(), where + " dts");
        assertEquals(pts + offset, s.pts90k(), where + " pts");
        assertEquals(p.keyframe(), s.keyframe(), where + " keyframe");
        assertEquals(p.size() + extra, s.sizeBytes(), where + " size");
        minTimestamp = Math.min(minTimestamp, Math.min(s.pts90k(), s.dts90k()));
      }
    }
    assertTrue(offset != null && offset >= 0, "offset " + offset);
    assertTrue(offset == 0 || minTimestamp == 0, "the offset is the smallest that avoids negative timestamps");
    return offset;
  }

  /** Checks that samples come out in decode order across tracks. */
  static void assertDtsOrder(List<StreamEvent> events) {
    long last = Long.MIN_VALUE;
    for (StreamEvent e : events) {
      if (e instanceof MediaSample s) {
        assertTrue(s.dts90k() >= last, "dts " + s.dts90k() + " after " + last);
        last = s.dts90k();
      }
    }
  }

  /**
   * Muxes the events into one MPEG-TS file with {@link TsMuxer}, checks that ffmpeg decodes it without a
   * message, and returns the number of video frames ffprobe decodes.
   */
  static int muxAndDecode(List<StreamEvent> events, Path ts) throws IOException, InterruptedException {
    TsMuxer muxer = TsMuxer.builder().build();
    for (TrackFormat format : formats(events)) {
      muxer.addTrack(format);
    }
    muxer.startSegment();
    for (StreamEvent e : events) {
      if (e instanceof MediaSample s) {
        muxer.write(s);
      }
    }
    Files.write(ts, muxer.finishSegment().bytes().toByteArray());
    ToolRun decode = run(List.of(ExternalTools.requireFfmpeg(), "-nostdin", "-v", "error", "-i", ts.toString(),
        "-f", "null", "-"));
    assertEquals("", decode.stderr(), "ffmpeg decodes our TS without errors");
    ToolRun frames = run(List.of(ExternalTools.requireFfprobe(), "-v", "error", "-select_streams", "v:0",
        "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", ts.toString()));
    assertEquals("", frames.stderr());
    return Integer.parseInt(frames.stdout().trim().split("\\s+")[0].replace(",", ""));
  }
}
