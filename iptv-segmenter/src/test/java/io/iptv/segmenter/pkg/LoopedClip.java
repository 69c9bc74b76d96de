package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A committed test clip read into memory and trimmed to a whole loop (video frames × frame interval), so that
 * repetitions shifted by {@link #loop90k} continue without gap: a live source of any length for tests.
 */
final class LoopedClip {
  final List<TrackFormat> tracks = new ArrayList<>();
  final List<MediaSample> samples = new ArrayList<>();
  final long loop90k;
  final long firstDts90k;

  private LoopedClip(String clip) throws MediaException {
    List<MediaSample> all = new ArrayList<>();
    try (MediaInput input = MediaInputs.open(TestMedia.path(clip))) {
      input.readAll(event -> {
        if (event instanceof StreamEvent.TrackAdded added) {
          tracks.add(added.format());
        } else if (event instanceof MediaSample s) {
          all.add(s);
        }
      });
    }
    int video = tracks.stream().filter(t -> t.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int frames = 0;
    for (MediaSample s : all) {
      if (s.trackId() == video) {
        first = Math.min(first, s.pts90k());
        last = Math.max(last, s.pts90k());
        frames++;
      }
    }
    loop90k = Math.round((double) (last - first) * frames / (frames - 1));
    Map<Integer, Long> firstPts = new HashMap<>();
    for (MediaSample s : all) {
      firstPts.merge(s.trackId(), s.pts90k(), Math::min);
    }
    long minDts = Long.MAX_VALUE;
    for (MediaSample s : all) {
      if (s.pts90k() - firstPts.get(s.trackId()) < loop90k) {
        samples.add(s);
        minDts = Math.min(minDts, s.dts90k());
      }
    }
    firstDts90k = minDts;
  }

  static LoopedClip of(String clip) throws MediaException {
    return new LoopedClip(clip);
  }

  /** The {@code i}-th sample of the endless stream. */
  MediaSample sample(long i) {
    MediaSample s = samples.get((int) (i % samples.size()));
    long offset = (i / samples.size()) * loop90k;
    return new MediaSample(s.trackId(), s.pts90k() + offset, s.dts90k() + offset, s.keyframe(), s.data());
  }

  /** Emits the track formats, then {@code loops} repetitions at once. */
  void feed(Emitter out, int loops) throws MediaException {
    for (TrackFormat f : tracks) {
      out.emit(new StreamEvent.TrackAdded(f));
    }
    for (long i = 0; i < (long) loops * samples.size(); i++) {
      out.emit(sample(i));
    }
  }
}
