package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.core.media.TrackType;
import io.iptv.segmenter.hls.BandwidthCalculator;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.hls.LiveWindow;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlanner;
import io.iptv.segmenter.ts.TsMuxer;
import io.iptv.segmenter.ts.TsSegment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One rendition of an {@link HlsPackager}: a subset of the program's tracks muxed into its own TS segments
 * and Media Playlist under {@code dir/}. Every rendition of a packager gets the same chunks, so their
 * segment boundaries, sequence numbers and discontinuity sequences are identical. Not thread-safe.
 */
final class RenditionWriter {
  private final String dir;
  private final List<TrackFormat> tracks;
  private final Set<Integer> trackIds = new HashSet<>();
  private final boolean audioOnlyRendition;
  private final TsMuxer muxer = TsMuxer.builder().build();
  private final LiveWindow window;
  private final List<BandwidthCalculator.SegmentSize> sizes = new ArrayList<>();
  private final ArrayDeque<Expiring> expiring = new ArrayDeque<>();

  RenditionWriter(String dir, List<TrackFormat> tracks, boolean audioOnlyRendition, LiveWindow window) {
    this.dir = dir;
    this.tracks = List.copyOf(tracks);
    this.audioOnlyRendition = audioOnlyRendition;
    this.window = window;
    for (TrackFormat t : tracks) {
      trackIds.add(t.trackId());
      muxer.addTrack(t);
    }
  }

  String playlistName(String playlistFileName) {
    return dir + "/" + playlistFileName;
  }

  /** Muxes the rendition's share of {@code chunk}; returns the segment bytes. */
  TsSegment mux(Chunk chunk) throws MediaException {
    if (chunk.discontinuity()) {
      muxer.markDiscontinuity();
    }
    muxer.startSegment();
    for (MediaSample s : chunk.samples()) {
      if (trackIds.contains(s.trackId())) {
        muxer.write(s);
      }
    }
    return muxer.finishSegment();
  }

  /** Lists a written segment; returns the names of segments whose grace period ended. */
  List<String> append(String uri, Chunk chunk, OffsetDateTime programDateTime, long bytes, long now90k,
      long grace90k, HlsKey key) {
    Duration duration = Timestamps.toDuration(chunk.duration90k());
    sizes.add(new BandwidthCalculator.SegmentSize(duration, bytes));
    MediaSegment segment = MediaSegment.builder(duration, uri)
        .discontinuity(chunk.discontinuity())
        .programDateTime(programDateTime)
        .key(key)
        .build();
    for (MediaSegment gone : window.add(segment)) {
      expiring.addLast(new Expiring(dir + "/" + gone.uri(), now90k + grace90k));
    }
    List<String> delete = new ArrayList<>();
    while (!expiring.isEmpty() && expiring.peekFirst().deleteAt90k <= now90k) {
      delete.add(expiring.removeFirst().name);
    }
    return delete;
  }

  MediaPlaylist playlist(int targetDuration, boolean endList) {
    return window.playlist(targetDuration, endList);
  }

  MultivariantPlanner.Rendition summary(String playlistUri, int targetDuration) {
    return new MultivariantPlanner.Rendition(playlistUri, tracks, audioOnlyRendition, targetDuration, sizes);
  }

  /** The types of the rendition's tracks. */
  Set<TrackType> trackTypes() {
    Set<TrackType> types = java.util.EnumSet.noneOf(TrackType.class);
    for (TrackFormat t : tracks) {
      types.add(t.type());
    }
    return types;
  }

  String dir() {
    return dir;
  }

  List<TrackFormat> tracks() {
    return tracks;
  }

  boolean audioOnlyRendition() {
    return audioOnlyRendition;
  }

  private record Expiring(String name, long deleteAt90k) {}
}
