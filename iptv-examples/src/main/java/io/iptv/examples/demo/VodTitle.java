package io.iptv.examples.demo;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import io.iptv.segmenter.pkg.InMemorySegmentSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A VOD title made from a {@link DemoClip} repeated {@code loops} times, packaged once into memory with
 * {@link HlsPlaylistType#VOD}. Immutable after {@link #of}; thread-safe.
 *
 * <pre>{@code
 * VodTitle vod = VodTitle.of(clip, 3, Duration.ofSeconds(2));   // 24 s
 * }</pre>
 */
public final class VodTitle {
  private final InMemorySegmentSink sink;
  private final int loops;
  private final long duration90k;
  private final int segments;

  private VodTitle(InMemorySegmentSink sink, int loops, long duration90k, int segments) {
    this.sink = sink;
    this.loops = loops;
    this.duration90k = duration90k;
    this.segments = segments;
  }

  /** Packages {@code loops} repetitions of {@code clip}. */
  public static VodTitle of(DemoClip clip, int loops, Duration segmentDuration) throws MediaException {
    return of(clip, loops, segmentDuration, p -> { });
  }

  /**
   * Packages {@code loops} repetitions of {@code clip}; {@code packaging} adds settings (segment format, DASH
   * manifest, encryption, …) after the title's own (segment duration, VOD, listener).
   */
  public static VodTitle of(DemoClip clip, int loops, Duration segmentDuration,
      Consumer<HlsPackager.Builder> packaging) throws MediaException {
    if (loops < 1) {
      throw new IllegalArgumentException("loops must be positive: " + loops);
    }
    InMemorySegmentSink sink = new InMemorySegmentSink();
    int[] segments = new int[1];
    HlsPackager.Builder builder = HlsPackager.builder()
        .segmentDuration(segmentDuration)
        .playlistType(HlsPlaylistType.VOD)
        .listener((name, duration, bytes) -> segments[0]++);
    packaging.accept(builder);
    HlsPackager packager = builder.build(sink);
    for (TrackFormat format : clip.tracks()) {
      packager.emit(new StreamEvent.TrackAdded(format));
    }
    for (int loop = 0; loop < loops; loop++) {
      for (var sample : clip.samples()) {
        packager.emit(clip.shifted(sample, loop));
      }
    }
    packager.emit(new StreamEvent.EndOfStream());
    return new VodTitle(sink, loops, loops * clip.loopDuration90k(), segments[0]);
  }

  /** What the title serves: master.m3u8, stream/index.m3u8 and the segments. */
  public ResourceLoader loader() {
    return key -> {
      ByteSlice bytes = sink.get(key.name());
      return bytes == null ? null : ServedResource.of(key, bytes);
    };
  }

  /** Counters for {@code /status}. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", "ready");
    status.put("loops", loops);
    status.put("durationSeconds", Timestamps.toSeconds(duration90k));
    status.put("segments", segments);
    return status;
  }
}
