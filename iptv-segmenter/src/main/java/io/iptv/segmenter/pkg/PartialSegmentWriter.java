package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.serve.LowLatencyNames;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.chunk.Chunker;
import io.iptv.segmenter.fmp4.BoxWriter;
import io.iptv.segmenter.fmp4.FragmentWriter;
import io.iptv.segmenter.fmp4.Fmp4Track;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistWriter;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.PartialSegment;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Low-Latency HLS partial segments for an {@link HlsPackager} with CMAF renditions (RFC 8216bis §4.4.4.9):
 * observes each sample as the {@link Chunker} places it into the segment being filled, cuts the rendition's
 * samples into parts of at most the part target, writes each part as one {@code moof} + {@code mdat}
 * fragment to the sink as soon as the sample after it arrives, and rewrites that rendition's playlist (full
 * and {@link LowLatencyNames#deltaName delta}) with the new part, the preload hint for the next and the
 * other renditions' reports. When the segment is complete its bytes are the concatenation of its parts, so
 * the same bytes serve part and segment requests.
 *
 * <p>A segment gets parts only if the rendition's track was known from its first sample on (the first
 * segment or two of a stream, written before the CMAF track exists, have none). Parts are listed for the
 * segments in the last three target durations (§4.4.3.7 allows removing older ones) and deleted from the
 * sink when their segment leaves the live window.
 *
 * <p>Not thread-safe: the packager's thread only.
 */
final class PartialSegmentWriter implements Chunker.PlacementListener {
  private final Duration partTarget;
  private final long partTarget90k;
  private final int targetDuration;
  private final String playlistFileName;
  private final int listSize;
  private final SegmentSink sink;
  private final NumberReservation reservation;
  private final ArrayDeque<Placement> placements = new ArrayDeque<>();
  private final TreeMap<Long, Long> sequenceByChunk = new TreeMap<>();
  private final Map<Integer, Long> lastChunkByTrack = new HashMap<>();
  private final Map<RenditionWriter, TrackParts> states = new LinkedHashMap<>();
  private long nextSequence;
  /** The stream is ending: no part follows the segment being finished, so none is hinted. */
  private boolean finishing;

  private record Placement(long chunkId, boolean discontinuity, MediaSample sample) {}

  /** Makes a restart continue past a number before anything is published under it (the channel state). */
  interface NumberReservation {
    /** Called before the first part of segment {@code next - 1} is written. */
    void reserve(long next) throws MediaException;
  }

  PartialSegmentWriter(Duration partTarget, long firstMediaSequence, int targetDuration, String playlistFileName,
      int listSize, SegmentSink sink, NumberReservation reservation) {
    this.partTarget = partTarget;
    this.partTarget90k = Timestamps.fromDuration(partTarget);
    this.nextSequence = firstMediaSequence;
    this.targetDuration = targetDuration;
    this.playlistFileName = playlistFileName;
    this.listSize = listSize;
    this.sink = sink;
    this.reservation = reservation;
  }

  @Override
  public void placed(long chunkId, MediaSample sample) {
    placements.addLast(new Placement(chunkId, false, sample));
  }

  @Override
  public void placed(long chunkId, boolean discontinuity, MediaSample sample) {
    placements.addLast(new Placement(chunkId, discontinuity, sample));
  }

  /**
   * Numbers the segments from {@code firstMediaSequence} (a restarted packager continuing its restored
   * state); only before the first sample is placed.
   */
  void continueFrom(long firstMediaSequence) {
    Preconditions.requireState(sequenceByChunk.isEmpty() && placements.isEmpty(), "parts are already numbered");
    nextSequence = firstMediaSequence;
  }

  /** The part file name for part {@code index} of segment {@code sequence}. */
  static String partName(long sequence, int index) {
    return String.format(Locale.ROOT, "part-%05d.%d.m4s", sequence, index);
  }

  /** Processes the samples placed so far: cuts and publishes the parts they complete. */
  void drain(List<RenditionWriter> renditions) throws MediaException {
    while (!placements.isEmpty()) {
      Placement p = placements.removeFirst();
      long sequence = sequenceByChunk.computeIfAbsent(p.chunkId(), id -> nextSequence++);
      int trackId = p.sample().trackId();
      Long previousChunk = lastChunkByTrack.put(trackId, p.chunkId());
      RenditionWriter r = renditionOf(renditions, trackId);
      if (r == null || r.format() != SegmentFormat.FMP4 || r.fmp4Track() == null) {
        continue;
      }
      TrackParts state = states.get(r);
      if (state == null) {
        state = new TrackParts(r, r.fmp4Track(), sequence);
        states.put(r, state);
        if (previousChunk != null && previousChunk == p.chunkId()) {
          state.chunkId = p.chunkId(); // joined mid-segment: that segment gets no parts
          state.sequence = sequence;
          continue;
        }
      }
      add(state, p, sequence, renditions);
    }
  }

  private void add(TrackParts state, Placement p, long sequence, List<RenditionWriter> renditions)
      throws MediaException {
    long chunkId = p.chunkId();
    MediaSample s = p.sample();
    if (chunkId != state.chunkId) {
      if (state.active && !state.pending.isEmpty()) {
        state.segments.get(state.sequence).lastPartWritten = true; // the hint moves to the next segment
        closePart(state, s.dts90k(), renditions);
      }
      state.chunkId = chunkId;
      state.sequence = sequence;
      state.active = true;
      SegmentParts seg = new SegmentParts();
      seg.discontinuity = p.discontinuity();
      state.segments.put(sequence, seg);
      if (p.discontinuity()) {
        // a new period with other parameter sets (a slate) needs its init before its first part is listed
        ByteSlice init = state.rendition.switchInit(sequence, s);
        if (init != null) {
          write(state.rendition.dir() + "/" + state.rendition.initName(sequence), init);
        }
      }
    } else if (!state.active) {
      return;
    }
    if (!state.pending.isEmpty()) {
      long first = state.pending.get(0).dts90k();
      long last = state.pending.get(state.pending.size() - 1).dts90k();
      long frame = Math.max(0, s.dts90k() - last);
      if (s.dts90k() + frame - first > partTarget90k) {
        closePart(state, s.dts90k(), renditions);
      }
    }
    state.pending.add(s);
  }

  private void closePart(TrackParts state, long nextDts90k, List<RenditionWriter> renditions) throws MediaException {
    SegmentParts seg = state.segments.get(state.sequence);
    state.out.reset();
    FragmentWriter.Fragment f = state.fragments.write(state.out, ++state.fragmentSequence, state.pending,
        nextDts90k);
    ByteSlice bytes = state.out.toSlice();
    int index = seg.parts.size();
    String name = partName(state.sequence, index);
    if (index == 0) {
      reservation.reserve(state.sequence + 1);
    }
    Duration duration = Timestamps.toDuration(state.track.toTicks90k(f.duration()));
    seg.parts.add(new PartialSegment(duration, name, state.pending.get(0).keyframe(), null));
    seg.bytes.add(bytes);
    seg.samples += state.pending.size();
    state.pending.clear();
    write(state.rendition.dir() + "/" + name, bytes);
    writePlaylist(state.rendition, renditions);
  }

  /**
   * The bytes to publish for {@code rendition}'s segment {@code sequence}: the concatenation of its parts
   * (flushing the last one), or {@code written} when the segment has no parts or they do not hold exactly
   * the chunk's samples.
   */
  ByteSlice segmentBytes(RenditionWriter rendition, long sequence, Chunk chunk, ByteSlice written,
      List<RenditionWriter> renditions) throws MediaException {
    drain(renditions);
    TrackParts state = states.get(rendition);
    if (state == null) {
      return written;
    }
    SegmentParts seg = state.segments.get(sequence);
    if (seg == null) {
      return written;
    }
    if (state.sequence == sequence && state.active && !state.pending.isEmpty()) {
      seg.lastPartWritten = true;
      closePart(state, Timestamps.NO_TIMESTAMP, renditions);
    }
    seg.complete = true;
    int own = 0;
    for (MediaSample s : chunk.samples()) {
      if (rendition.tracks().get(0).trackId() == s.trackId()) {
        own++;
      }
    }
    if (own != seg.samples || seg.parts.isEmpty()) {
      return written; // a late sample went elsewhere: the parts stay listed, the segment is written whole
    }
    int total = 0;
    for (ByteSlice b : seg.bytes) {
      total += b.length();
    }
    byte[] out = new byte[total];
    int at = 0;
    for (ByteSlice b : seg.bytes) {
      b.copyTo(out, at);
      at += b.length();
    }
    seg.bytes.clear(); // the sink has them; only the playlist entries stay
    return ByteSlice.wrap(out);
  }

  /** The full and delta playlists of {@code rendition} (live), with its parts, hint and the others' reports. */
  void writePlaylist(RenditionWriter rendition, List<RenditionWriter> renditions) throws MediaException {
    writePlaylist(rendition, rendition.playlist(targetDuration, false), renditions);
  }

  /** Writes {@code base} (live, or ended with EXT-X-ENDLIST) as the full and delta playlists of {@code rendition}. */
  void writePlaylist(RenditionWriter rendition, MediaPlaylist base, List<RenditionWriter> renditions)
      throws MediaException {
    LowLatencyPlaylist ll = view(rendition, base, renditions);
    long next = ll.nextMediaSequence();
    TrackParts state = states.get(rendition);
    SegmentParts current = state == null ? null : state.segments.get(next);
    boolean discontinuity = current != null && current.discontinuity;
    MediaInitialization map = rendition.format() == SegmentFormat.FMP4
        ? new MediaInitialization(rendition.initName(next), null) : null;
    String path = rendition.playlistName(playlistFileName);
    write(LowLatencyNames.deltaName(path), LowLatencyPlaylistWriter.writeBytes(ll, true, discontinuity, map));
    write(path, LowLatencyPlaylistWriter.writeBytes(ll, false, discontinuity, map));
  }

  private LowLatencyPlaylist view(RenditionWriter rendition, MediaPlaylist base, List<RenditionWriter> renditions)
      throws MediaException {
    long next = base.mediaSequence() + base.segments().size();
    TrackParts state = states.get(rendition);
    TreeMap<Long, List<PartialSegment>> parts = new TreeMap<>();
    String hint = null;
    if (state != null) {
      // §4.4.3.7: parts older than three target durations from the end may go
      long keep90k = 3L * targetDuration * Timestamps.TICKS_PER_SECOND;
      long age90k = 0;
      List<MediaSegment> segments = base.segments();
      for (int i = segments.size() - 1; i >= 0 && age90k < keep90k; i--) {
        long msn = base.mediaSequence() + i;
        SegmentParts seg = state.segments.get(msn);
        if (seg != null && seg.complete && !seg.parts.isEmpty()) {
          parts.put(msn, seg.parts);
        }
        age90k += Timestamps.fromDuration(segments.get(i).duration());
      }
      SegmentParts current = state.segments.get(next);
      if (current != null && !current.complete && !current.parts.isEmpty()) {
        parts.put(next, current.parts);
      }
      hint = preloadHint(state, base, next);
      // parts files go when their segment left the window (LIVE) or, for EVENT, listSize segments after they
      // left the playlist
      long firstParts = parts.isEmpty() ? next : parts.firstKey();
      prune(state, Math.max(base.mediaSequence() - 1, firstParts - listSize));
    }
    List<LowLatencyPlaylist.RenditionReport> reports = new ArrayList<>();
    for (RenditionWriter other : renditions) {
      if (other == rendition) {
        continue;
      }
      reports.add(report(other, "../" + other.playlistName(playlistFileName)));
    }
    return new LowLatencyPlaylist(base, partTarget, parts, hint,
        LowLatencyPlaylist.ServerControl.forTargets(partTarget, targetDuration), reports, 0);
  }

  /**
   * The EXT-X-PRELOAD-HINT (RFC 8216bis §4.4.5.3): the next part this rendition will write, which after the
   * last part of a segment is part 0 of the following one; null when the stream ends or the rendition has no
   * parts yet.
   */
  private String preloadHint(TrackParts state, MediaPlaylist base, long next) {
    if (base.endList() || !state.active) {
      return null;
    }
    SegmentParts current = state.segments.get(state.sequence);
    boolean segmentDone = current == null || current.lastPartWritten || current.complete;
    if (segmentDone && finishing) {
      return null;
    }
    long sequence = segmentDone ? state.sequence + 1 : state.sequence;
    int index = segmentDone ? 0 : current.parts.size();
    // the segment in progress, or the one after it when its parent's EXTINF is about to follow
    return sequence == next || sequence == next + 1 ? partName(sequence, index) : null;
  }

  /** The stream is ending ({@link HlsPackager#finish}): the last segment's last part gets no successor hint. */
  void finishing() {
    finishing = true;
  }

  private LowLatencyPlaylist.RenditionReport report(RenditionWriter other, String uri) {
    MediaPlaylist base = other.playlist(targetDuration, false);
    long next = base.mediaSequence() + base.segments().size();
    TrackParts state = states.get(other);
    SegmentParts current = state == null ? null : state.segments.get(next);
    if (current != null && !current.parts.isEmpty()) {
      return new LowLatencyPlaylist.RenditionReport(uri, next, current.parts.size() - 1);
    }
    SegmentParts last = state == null ? null : state.segments.get(next - 1);
    return new LowLatencyPlaylist.RenditionReport(uri, next - 1,
        last == null || last.parts.isEmpty() ? -1 : last.parts.size() - 1);
  }

  /** Forgets and deletes the parts of segments before {@code keepFrom}. */
  private void prune(TrackParts state, long keepFrom) throws MediaException {
    while (!state.segments.isEmpty() && state.segments.firstKey() < keepFrom) {
      Map.Entry<Long, SegmentParts> gone = state.segments.pollFirstEntry();
      for (PartialSegment p : gone.getValue().parts) {
        try {
          sink.delete(state.rendition.dir() + "/" + p.uri());
        } catch (IOException e) {
          throw MediaException.of(MediaException.Kind.IO, "cannot delete " + p.uri() + ": " + e.getMessage(), e);
        }
      }
    }
    while (sequenceByChunk.size() > 4L * listSize + 16) {
      sequenceByChunk.pollFirstEntry(); // chunks long emitted: no sample is placed into them any more
    }
  }

  private void write(String name, ByteSlice bytes) throws MediaException {
    try {
      sink.write(name, bytes);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot write " + name + ": " + e.getMessage(), e);
    }
  }

  private static RenditionWriter renditionOf(List<RenditionWriter> renditions, int trackId) {
    for (RenditionWriter r : renditions) {
      if (r.tracks().get(0).trackId() == trackId) {
        return r;
      }
    }
    return null;
  }

  /** One rendition's part state. */
  private static final class TrackParts {
    final RenditionWriter rendition;
    final Fmp4Track track;
    final FragmentWriter fragments;
    final BoxWriter out = new BoxWriter();
    final List<MediaSample> pending = new ArrayList<>();
    final TreeMap<Long, SegmentParts> segments = new TreeMap<>();
    long chunkId = -1;
    long sequence;
    boolean active;
    long fragmentSequence;

    TrackParts(RenditionWriter rendition, Fmp4Track track, long firstSequence) {
      this.fragmentSequence = firstSequence + 1; // after the whole segments' mfhd numbers (sequence + 1)
      this.rendition = rendition;
      this.track = track;
      this.fragments = new FragmentWriter(track);
    }
  }

  /** One segment's published parts. */
  private static final class SegmentParts {
    final List<PartialSegment> parts = new ArrayList<>();
    final List<ByteSlice> bytes = new ArrayList<>();
    int samples;
    /** Whether the segment starts a new period (EXT-X-DISCONTINUITY before its parts while in progress). */
    boolean discontinuity;
    /** Whether its last part was written (the next part is the following segment's first). */
    boolean lastPartWritten;
    boolean complete;
  }
}
