package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsMuxer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test input with SCTE-35: an H.264 + AAC clip made by ffmpeg at test time (keyframe every second), demuxed
 * and remuxed by the library's {@link TsMuxer} with an SCTE-35 PID (stream_type 0x86, 'CUEI') carrying
 * splice_info_sections from {@link io.iptv.core.testing.Scte35Sections}, each written before its splice point.
 */
final class Scte35TestStream {
  static final int SCTE35_TRACK = 0x1F0;

  private Scte35TestStream() {}

  /** A section to insert: written before the first sample whose DTS reaches {@code at90k}. */
  record Insert(long at90k, byte[] section) {}

  /** The demuxed clip: formats and samples in stream order. */
  record Clip(List<TrackFormat> formats, List<MediaSample> samples) {
    /** PTS of the video keyframes, ascending. */
    List<Long> keyframes() {
      int video = formats.stream().filter(f -> f.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
      return samples.stream().filter(s -> s.trackId() == video && s.keyframe()).map(MediaSample::pts90k).sorted()
          .toList();
    }

    /** PTS of video frames that are not keyframes, ascending. */
    List<Long> otherFrames() {
      int video = formats.stream().filter(f -> f.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
      return samples.stream().filter(s -> s.trackId() == video && !s.keyframe()).map(MediaSample::pts90k)
          .sorted().toList();
    }
  }

  /** ffmpeg: {@code seconds} of 320x180 25 fps H.264 (GOP 25, closed) + 48 kHz AAC as MPEG-TS. */
  static Path generate(Path dir, int seconds) throws Exception {
    Path ts = dir.resolve("clip.ts");
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", ts.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
    assertEquals(0, p.exitValue(), log);
    return ts;
  }

  static Clip demux(byte[] ts) throws MediaException {
    List<TrackFormat> formats = new ArrayList<>();
    List<MediaSample> samples = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(e -> {
      if (e instanceof StreamEvent.TrackAdded a) {
        formats.add(a.format());
      } else if (e instanceof MediaSample s) {
        samples.add(s);
      }
    });
    demuxer.feed(ts, 0, ts.length);
    demuxer.finish();
    return new Clip(formats, samples);
  }

  /** The clip remuxed as one TS with an SCTE-35 PID carrying {@code inserts}. */
  static byte[] remux(Clip clip, List<Insert> inserts) throws MediaException {
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    for (TrackFormat f : clip.formats()) {
      if (f.type() == TrackType.VIDEO || f.type() == TrackType.AUDIO) {
        muxer.addTrack(f);
      }
    }
    muxer.addTrack(TrackFormat.builder(SCTE35_TRACK, Codec.SCTE35).build());
    List<Insert> pending = new ArrayList<>(inserts);
    pending.sort(Comparator.comparingLong(Insert::at90k));
    muxer.startSegment();
    for (MediaSample s : clip.samples()) {
      while (!pending.isEmpty() && s.dts90k() >= pending.get(0).at90k()) {
        muxer.writeSection(SCTE35_TRACK, ByteSlice.wrap(pending.remove(0).section()));
      }
      muxer.write(s);
    }
    for (Insert i : pending) {
      muxer.writeSection(SCTE35_TRACK, ByteSlice.wrap(i.section()));
    }
    return muxer.finishSegment().bytes().toByteArray();
  }

  static byte[] spliceInsert(long eventId, boolean outOfNetwork, long pts90k, long duration90k, boolean autoReturn) {
    return io.iptv.core.testing.Scte35Sections.spliceInsert(eventId, outOfNetwork, pts90k, duration90k, autoReturn);
  }

  static byte[] timeSignal(long pts90k, long segmentationEventId, int segmentationTypeId) {
    return io.iptv.core.testing.Scte35Sections.timeSignal(pts90k, segmentationEventId, segmentationTypeId);
  }

  static void write(Path file, byte[] bytes) throws Exception {
    Files.write(file, bytes);
  }
}
