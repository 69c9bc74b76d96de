package io.iptv.examples.demo;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's bundled clip ({@code /demo/demo-clip.ts}, made by {@code make-demo-clip.sh}) read once into memory
 * as the library's events, trimmed to a whole loop: every track keeps the samples of
 * {@code [its first pts, first pts + loopDuration90k)}, where the loop lasts as long as the video (frame count
 * times frame interval), so that the clip repeated with timestamps shifted by {@link #loopDuration90k()}
 * continues without gap or overlap.
 *
 * <p>Immutable and thread-safe (samples share immutable bytes).
 *
 * <pre>{@code
 * DemoClip clip = DemoClip.load();
 * clip.loopDuration90k();   // 720000 (8 s)
 * }</pre>
 *
 * @param tracks the tracks' formats, in {@code TrackAdded} order
 * @param samples the samples of one loop in decode order
 * @param loopDuration90k how far each repetition is shifted, 90 kHz
 */
public record DemoClip(List<TrackFormat> tracks, List<MediaSample> samples, long loopDuration90k) {
  /** The classpath resource of the bundled clip. */
  public static final String RESOURCE = "/demo/demo-clip.ts";

  /** Copies the lists. */
  public DemoClip {
    tracks = List.copyOf(tracks);
    samples = List.copyOf(samples);
  }

  /** Reads the bundled clip. */
  public static DemoClip load() throws IOException {
    Path temp = Files.createTempFile("iptv-demo-clip", ".ts");
    try (InputStream in = DemoClip.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("missing classpath resource " + RESOURCE);
      }
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      return read(temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Reads a clip file (MPEG-TS or MP4) with a video track. */
  public static DemoClip read(Path file) throws MediaException {
    List<TrackFormat> tracks = new ArrayList<>();
    List<MediaSample> all = new ArrayList<>();
    try (MediaInput input = MediaInputs.open(file)) {
      input.readAll(event -> {
        if (event instanceof StreamEvent.TrackAdded added) {
          tracks.add(added.format());
        } else if (event instanceof MediaSample sample) {
          all.add(sample);
        }
      });
    }
    TrackFormat video = tracks.stream().filter(t -> t.type() == TrackType.VIDEO).findFirst()
        .orElseThrow(() -> MediaException.malformed("demo clip has no video track"));
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int frames = 0;
    for (MediaSample s : all) {
      if (s.trackId() == video.trackId()) {
        first = Math.min(first, s.pts90k());
        last = Math.max(last, s.pts90k());
        frames++;
      }
    }
    if (frames < 2) {
      throw MediaException.malformed("demo clip needs at least two video frames");
    }
    // N frames span N intervals: (last - first) covers N - 1 of them.
    long loop90k = Math.round((double) (last - first) * frames / (frames - 1));
    Map<Integer, Long> firstPts = new HashMap<>();
    for (MediaSample s : all) {
      firstPts.merge(s.trackId(), s.pts90k(), Math::min);
    }
    List<MediaSample> trimmed = new ArrayList<>(all.size());
    for (MediaSample s : all) {
      if (s.pts90k() - firstPts.get(s.trackId()) < loop90k) {
        trimmed.add(s);
      }
    }
    return new DemoClip(tracks, trimmed, loop90k);
  }

  /** {@code sample} of repetition {@code loop} (0-based): timestamps shifted by {@code loop} loop durations. */
  public MediaSample shifted(MediaSample sample, long loop) {
    long offset = loop * loopDuration90k;
    return new MediaSample(sample.trackId(), sample.pts90k() + offset, sample.dts90k() + offset, sample.keyframe(),
        sample.data());
  }
}
