package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads back and checks a packaged HLS directory (test helper). */
final class HlsOutput {
  private HlsOutput() {}

  static MultivariantPlaylist master(Path dir) throws IOException, MediaException {
    return HlsPlaylistParser.builder().build().parseMultivariant(Files.readAllBytes(dir.resolve("master.m3u8")));
  }

  static MediaPlaylist media(Path file) throws IOException, MediaException {
    return HlsPlaylistParser.builder().build().parseMedia(Files.readAllBytes(file));
  }

  /** All media playlist paths referenced by the master. */
  static List<Path> mediaPlaylists(Path dir) throws IOException, MediaException {
    List<Path> out = new ArrayList<>();
    MultivariantPlaylist m = master(dir);
    for (MultivariantPlaylist.Variant v : m.variants()) {
      out.add(dir.resolve(v.uri()));
    }
    for (MultivariantPlaylist.Rendition r : m.renditions()) {
      if (r.uri() != null) {
        out.add(dir.resolve(r.uri()));
      }
    }
    return out;
  }

  /** Demuxes one file or byte array into events. */
  static List<StreamEvent> demux(byte[] ts) throws MediaException {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer d = TsDemuxer.builder().build(events::add);
    d.feed(ts, 0, ts.length);
    d.finish();
    return events;
  }

  /** Per-track sample counts. */
  static Map<Integer, Integer> countsByTrack(List<StreamEvent> events) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (StreamEvent e : events) {
      if (e instanceof MediaSample s) {
        counts.merge(s.trackId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Presentation span (min PTS to max PTS + one frame) of all samples, in 90 kHz. */
  static long span90k(List<StreamEvent> events) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    Map<Integer, Long> lastDts = new HashMap<>();
    Map<Integer, Long> delta = new HashMap<>();
    Map<Integer, Long> maxPts = new HashMap<>();
    for (StreamEvent e : events) {
      if (e instanceof MediaSample s) {
        min = Math.min(min, s.pts90k());
        Long last = lastDts.put(s.trackId(), s.dts90k());
        if (last != null && s.dts90k() > last) {
          delta.put(s.trackId(), s.dts90k() - last);
        }
        maxPts.merge(s.trackId(), s.pts90k(), Math::max);
      }
    }
    for (Map.Entry<Integer, Long> e : maxPts.entrySet()) {
      max = Math.max(max, e.getValue() + delta.getOrDefault(e.getKey(), 0L));
    }
    return max - min;
  }

  /** Asserts every rounded EXTINF ≤ TARGETDURATION and, for VOD, TARGETDURATION is the smallest that fits. */
  static void assertTargetDurationRule(MediaPlaylist p) {
    long maxRounded = 1;
    for (MediaSegment s : p.segments()) {
      long rounded = MediaPlaylist.roundedSeconds(s.duration());
      assertTrue(rounded <= p.targetDuration(), s.uri() + " rounded " + rounded + " > " + p.targetDuration());
      maxRounded = Math.max(maxRounded, rounded);
    }
    if (p.playlistType() == MediaPlaylist.PlaylistType.VOD) {
      assertEquals(maxRounded, p.targetDuration(), "VOD target duration is computed from the segments");
    }
  }

  /** Every segment of a playlist with video starts with a video keyframe. */
  static void assertSegmentsStartWithKeyframes(Path playlistFile, MediaPlaylist p) throws Exception {
    for (MediaSegment s : p.segments()) {
      List<StreamEvent> events = demux(Files.readAllBytes(playlistFile.resolveSibling(s.uri())));
      Map<Integer, TrackType> types = new HashMap<>();
      for (StreamEvent e : events) {
        if (e instanceof StreamEvent.TrackAdded t) {
          types.put(t.format().trackId(), t.format().type());
        }
      }
      for (StreamEvent e : events) {
        if (e instanceof MediaSample sample && types.get(sample.trackId()) == TrackType.VIDEO) {
          assertTrue(sample.keyframe(), s.uri() + " does not start with a keyframe");
          break;
        }
      }
    }
  }

  /** Runs {@code ffmpeg -v error -i master -f null -} and returns what it printed. */
  static String ffmpegErrors(Path playlist) throws IOException, InterruptedException {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i", playlist.toString(), "-map", "0",
        "-f", "null", "-").redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "ffmpeg failed: " + text);
    return text;
  }
}
