package io.iptv.segmenter.chunk;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.MediaPlaylist;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Cuts one program's {@link StreamEvent}s into {@link Chunk}s on one timeline: the chunking stage of a
 * packaging pipeline (after Shaka Packager's {@code ChunkingHandler}).
 *
 * <p><b>Cuts.</b> Only the lead track (the first video track, else the first audio track) decides cuts, by
 * {@link ChunkingPolicy}'s consistent rule; a cut is always at a lead keyframe (for audio every frame is
 * one), never elsewhere. Video before the first keyframe of a period cannot be decoded and is dropped
 * (counted in {@link #samplesDropped()}).
 *
 * <p><b>One timeline.</b> The other tracks' samples go to the chunk their timestamp belongs to (audio by
 * PTS, video by DTS), however the source interleaves them: a sample at or after the next cut candidate
 * waits until the lead track decides the cut, and a finished chunk is held until every track has passed its
 * end (or the lead is {@link ChunkingPolicy#maxInterleave90k()} past it). The first chunk starts at the
 * earliest sample of any track, so audio and video start together. A period after the first in which the lead
 * track never reaches a keyframe (the input stopped again right after it resumed) is dropped whole; with
 * low-latency placement, the other tracks' samples of a new period are therefore placed (published as parts)
 * only once its lead has started. No sample is lost or duplicated:
 * {@code samplesIn == samplesOut + samplesDropped}; a sample that arrives after its chunk was emitted goes
 * to the oldest open chunk (counted in {@link #samplesLate()}).
 *
 * <p><b>Discontinuities.</b> A {@link StreamEvent.Discontinuity} ends the current chunk and starts a new
 * period; the first chunk of the new period has {@link Chunk#discontinuity()} set. A sample that arrives
 * after the event but whose timestamp is nearer the old timeline goes to the old period.
 *
 * <p><b>Requested cuts.</b> {@link #cutAt(long)} asks for a segment to start at the first lead keyframe at or
 * after a presentation time (an SCTE-35 splice point), even if the current segment is shorter than the target;
 * the segment after it returns to the regular boundaries. Other tracks' samples are routed by the requested
 * time as by a regular boundary. At most {@value #MAX_REQUESTED_CUTS} requests are pending (older ones are
 * dropped first); requests in the past are discarded when the lead track passes them.
 *
 * <p>Ignored events: {@code TimedMetadata}, {@code SpliceCue} (the caller turns cues into {@link #cutAt}).
 * Memory: the samples of at most a few chunks (the open one, ones waiting for lagging tracks, one held for tail
 * merging).
 *
 * <p>Not thread-safe: feed it from one thread; the sink is called on that thread.
 *
 * <pre>{@code
 * Chunker chunker = new Chunker(ChunkingPolicy.of(Duration.ofSeconds(6)), chunk -> mux(chunk));
 * input.readAll(chunker::onEvent);   // ends with EndOfStream, which flushes
 * }</pre>
 */
public final class Chunker {
  /** Receives finished chunks in order. */
  @FunctionalInterface
  public interface Sink {
    /** Accepts one chunk. */
    void accept(Chunk chunk) throws MediaException;
  }

  /**
   * Observes each sample as it is placed into a chunk that is still being filled, before the chunk is
   * emitted: low-latency packaging builds partial segments from these (RFC 8216bis §4.4.4.9). Chunks are
   * identified by an id increasing in emission order; a chunk without samples is never observed nor emitted.
   * Called on the feeding thread; must not throw.
   */
  @FunctionalInterface
  public interface PlacementListener {
    /** {@code sample} now belongs to the chunk {@code chunkId}. */
    void placed(long chunkId, MediaSample sample);

    /**
     * As {@link #placed(long, MediaSample)}, also saying whether the chunk starts a new period (its
     * {@link Chunk#discontinuity()}); the default ignores it.
     */
    default void placed(long chunkId, boolean discontinuity, MediaSample sample) {
      placed(chunkId, sample);
    }
  }

  private final ChunkingPolicy policy;
  private final Sink sink;
  private final PlacementListener placement;
  /**
   * With low-latency placement: other tracks' samples of a new period that came before its lead track's first
   * keyframe, not placed yet (placing publishes them as parts). Placed when the lead starts; dropped with the
   * period if it never does, as without placement.
   */
  private final List<MediaSample> heldForLead = new ArrayList<>();
  private long nextPendingId;
  private final Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
  private final Map<Integer, TrackState> states = new HashMap<>();
  private final ArrayDeque<Pending> open = new ArrayDeque<>();
  private final List<MediaSample> undecided = new ArrayList<>();
  /** Requested cut times (PTS), ascending; bounded by MAX_REQUESTED_CUTS. */
  private final TreeSet<Long> requestedCuts = new TreeSet<>();
  private boolean cutAtNextKeyframe;

  private int leadTrack = -1;
  private int period;
  private StreamEvent.Discontinuity lastDiscontinuity;
  private boolean leadStarted;
  private boolean leadEverStarted;
  private boolean anySample;
  private long leadLatest90k = Timestamps.NO_TIMESTAMP;
  private long leadLatestPts90k = Timestamps.NO_TIMESTAMP;
  private long leadPeriodFirst90k = Timestamps.NO_TIMESTAMP;
  private Pending held;
  private long maxRoundedSeconds;
  private long nextSequence;
  private boolean ended;

  private long samplesIn;
  private long samplesOut;
  private long samplesDropped;
  private long samplesLate;

  /** A chunker that cuts by {@code policy} and hands chunks to {@code sink}. */
  public Chunker(ChunkingPolicy policy, Sink sink) {
    this(policy, sink, null);
  }

  /** A chunker that also reports where each sample is placed (null: nobody). */
  public Chunker(ChunkingPolicy policy, Sink sink, PlacementListener placement) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.placement = placement;
  }

  /** Consumes one event; {@link StreamEvent.EndOfStream} flushes everything. */
  public void onEvent(StreamEvent event) throws MediaException {
    if (ended) {
      return;
    }
    if (event instanceof MediaSample sample) {
      onSample(sample);
    } else if (event instanceof StreamEvent.TrackAdded added) {
      formats.put(added.format().trackId(), added.format());
      promoteLateVideoLead(added.format());
    } else if (event instanceof StreamEvent.TrackChanged changed) {
      formats.put(changed.format().trackId(), changed.format());
    } else if (event instanceof StreamEvent.Discontinuity discontinuity) {
      onDiscontinuity(discontinuity);
    } else if (event instanceof StreamEvent.EndOfStream) {
      finish();
    }
  }

  /** Flushes all chunks (as {@link StreamEvent.EndOfStream} does). Idempotent. */
  public void finish() throws MediaException {
    if (ended) {
      return;
    }
    ended = true;
    closeCurrentPeriod();
    drain();
    if (held != null) {
      Pending h = held;
      held = null;
      emit(h);
    }
  }

  /** Most requested cuts that may be pending at once. */
  public static final int MAX_REQUESTED_CUTS = 64;

  /**
   * Requests that a segment start at the first lead keyframe whose PTS is at or after {@code pts90k}
   * (unwrapped, on the program timeline); {@link Timestamps#NO_TIMESTAMP} means at the next lead keyframe
   * (an immediate splice). A time the lead track has already passed (a late cue) also cuts at the next lead
   * keyframe, as soon as possible.
   *
   * @return true if the cut will be at {@code pts90k} (or its keyframe), false if it was late
   */
  public boolean cutAt(long pts90k) {
    if (pts90k == Timestamps.NO_TIMESTAMP) {
      cutAtNextKeyframe = true;
      return true;
    }
    if (leadLatestPts90k != Timestamps.NO_TIMESTAMP && pts90k <= leadLatestPts90k) {
      cutAtNextKeyframe = true;
      return false;
    }
    requestedCuts.add(pts90k);
    while (requestedCuts.size() > MAX_REQUESTED_CUTS) {
      requestedCuts.pollFirst();
    }
    return true;
  }

  /** Withdraws a cut requested with {@link #cutAt(long)} that has not happened yet. */
  public void cancelCut(long pts90k) {
    requestedCuts.remove(pts90k);
  }

  /** The lead track's id, or -1 before the first sample. */
  public int leadTrackId() {
    return leadTrack;
  }

  /** Samples received. */
  public long samplesIn() {
    return samplesIn;
  }

  /** Samples emitted in chunks. */
  public long samplesOut() {
    return samplesOut;
  }

  /** Samples dropped: video before the first keyframe of a period. */
  public long samplesDropped() {
    return samplesDropped;
  }

  /** Samples that arrived after their chunk was emitted (put into the next open chunk). */
  public long samplesLate() {
    return samplesLate;
  }

  private void onSample(MediaSample s) throws MediaException {
    samplesIn++;
    anySample = true;
    if (leadTrack < 0) {
      leadTrack = chooseLead(s.trackId());
    }
    int p = period;
    TrackState state = states.computeIfAbsent(s.trackId(), id -> new TrackState(isVideo(id)));
    // Only a track's first samples after a discontinuity may still belong to the old period: once it has a
    // sample in the new one, its later samples do too (each track's timestamps are monotonic within a period).
    // Without this, after an encoder restart every sample nearer the old timeline's end than the new start
    // (the whole middle of a long new run) went to the old period and the new period's segments stalled.
    if (s.trackId() != leadTrack && state.period < period && belongsToOldPeriod(s)) {
      p = period - 1;
    }
    state.observe(s, p);
    if (s.trackId() == leadTrack) {
      if (p == period) {
        leadLatest90k = s.dts90k();
        leadLatestPts90k = Math.max(leadLatestPts90k == Timestamps.NO_TIMESTAMP ? Long.MIN_VALUE
            : leadLatestPts90k, s.pts90k());
        if (leadPeriodFirst90k == Timestamps.NO_TIMESTAMP) {
          leadPeriodFirst90k = s.dts90k();
        }
      }
      onLeadSample(s, state);
    } else {
      routeOther(s, p, state);
    }
    drain();
    releaseHeld();
  }

  /**
   * Emits the chunk held for tail merging as soon as it can no longer be merged: the chunk after it already
   * spans half a target duration, and only a shorter last chunk of a period is merged ({@link #finalizeChunk}).
   * Without this a held chunk stayed in memory until the next one was finished as well: the samples of two
   * whole segments (16 s of video with 8 s segments, 20 of the 42 MB live in a 56 MB heap). The chunks, their
   * order and their contents are the same.
   */
  private void releaseHeld() throws MediaException {
    if (held == null) {
      return;
    }
    Pending next = open.peekFirst();
    if (next != null && next.start90k != Timestamps.NO_TIMESTAMP && next.maxEnd90k != Long.MIN_VALUE
        && !shortEnoughToMerge(next.maxEnd90k - next.start90k)) {
      Pending h = held;
      held = null;
      emit(h);
    }
  }

  private void onLeadSample(MediaSample s, TrackState state) {
    Pending current = current();
    if (!leadStarted) {
      if (!s.keyframe()) {
        samplesDropped++;
        return;
      }
      leadStarted = true;
      leadEverStarted = true;
      current.boundary90k = policy.nextBoundary(s.pts90k());
      consumeRequestedCuts(s.pts90k());
      current.add(s, state.frameDuration90k());
      List<MediaSample> held = new ArrayList<>(heldForLead);
      heldForLead.clear();
      for (MediaSample h : held) {
        routeOther(h, period, states.get(h.trackId()));
      }
      return;
    }
    if (s.keyframe() && s.pts90k() >= boundary(current)) {
      boolean requested = consumeRequestedCuts(s.pts90k());
      current.end90k = s.pts90k();
      current.closed = true;
      Pending next = new Pending(period, false);
      next.start90k = s.pts90k();
      next.boundary90k = policy.nextBoundary(s.pts90k());
      next.requestedStart = requested;
      open.addLast(next);
      List<MediaSample> waiting = new ArrayList<>(undecided);
      undecided.clear();
      for (MediaSample w : waiting) {
        TrackState ws = states.get(w.trackId());
        if (ws.timeOf(w) < s.pts90k()) {
          current.add(w, ws.frameDuration90k());
        } else if (ws.timeOf(w) >= boundary(next)) {
          undecided.add(w);
        } else {
          next.add(w, ws.frameDuration90k());
        }
      }
      next.add(s, state.frameDuration90k());
      return;
    }
    current.add(s, state.frameDuration90k());
  }

  /** Where {@code seg} ends at the earliest: its regular boundary, or an earlier requested cut. */
  private long boundary(Pending seg) {
    if (seg.boundary90k == Timestamps.NO_TIMESTAMP) {
      return Timestamps.NO_TIMESTAMP;
    }
    if (cutAtNextKeyframe && seg == open.peekLast()) {
      return Long.MIN_VALUE;
    }
    Long requested = requestedCuts.isEmpty() ? null : requestedCuts.first();
    return requested != null && requested < seg.boundary90k ? requested : seg.boundary90k;
  }

  /** Drops the requests satisfied by a segment starting at {@code pts90k}; returns whether there were any. */
  private boolean consumeRequestedCuts(long pts90k) {
    boolean any = cutAtNextKeyframe;
    cutAtNextKeyframe = false;
    while (!requestedCuts.isEmpty() && requestedCuts.first() <= pts90k) {
      requestedCuts.pollFirst();
      any = true;
    }
    return any;
  }

  private void routeOther(MediaSample s, int p, TrackState state) {
    if (placement != null && p == period && !leadStarted && leadEverStarted) {
      heldForLead.add(s); // not published as parts of a period that may never get a picture
      return;
    }
    long time = state.timeOf(s);
    for (Pending seg : open) {
      if (seg.period != p) {
        continue;
      }
      if (!seg.closed) {
        if (leadStarted && p == period && seg.boundary90k != Timestamps.NO_TIMESTAMP && time >= boundary(seg)) {
          undecided.add(s);
        } else {
          seg.add(s, state.frameDuration90k());
        }
        return;
      }
      if (seg.lastOfPeriod || time < seg.end90k) {
        seg.add(s, state.frameDuration90k());
        return;
      }
    }
    // Its chunk was already emitted: keep the sample (never lose one) in the oldest open chunk.
    samplesLate++;
    Pending target = open.isEmpty() ? current() : open.peekFirst();
    target.add(s, state.frameDuration90k());
  }

  private void onDiscontinuity(StreamEvent.Discontinuity d) throws MediaException {
    if (!anySample) {
      return;
    }
    closeCurrentPeriod();
    period++;
    lastDiscontinuity = d;
    leadStarted = false;
    leadPeriodFirst90k = Timestamps.NO_TIMESTAMP;
    leadLatest90k = Timestamps.NO_TIMESTAMP;
    leadLatestPts90k = Timestamps.NO_TIMESTAMP;
    requestedCuts.clear(); // times of the old timeline mean nothing on the new one
    cutAtNextKeyframe = false;
    open.addLast(new Pending(period, true));
    drain();
  }

  private void closeCurrentPeriod() {
    Pending current = open.peekLast();
    if (current == null || current.closed) {
      return;
    }
    for (MediaSample w : undecided) {
      current.add(w, states.get(w.trackId()).frameDuration90k());
    }
    undecided.clear();
    if (!current.samples.isEmpty() && !leadStarted && leadEverStarted && placement == null) {
      // The lead never reached a keyframe in this period (an input that stopped again right after it resumed):
      // what came is audio without a picture, a segment the video rendition could not have.
      samplesDropped += current.samples.size();
      current.samples.clear();
    }
    samplesDropped += heldForLead.size(); // the same with placement: those samples were never placed
    heldForLead.clear();
    if (current.samples.isEmpty()) {
      open.removeLast();
      return;
    }
    current.closed = true;
    current.lastOfPeriod = true;
  }

  private boolean belongsToOldPeriod(MediaSample s) {
    StreamEvent.Discontinuity d = lastDiscontinuity;
    if (d == null || d.lastTimestamp90k() == Timestamps.NO_TIMESTAMP
        || d.nextTimestamp90k() == Timestamps.NO_TIMESTAMP) {
      return false;
    }
    long t = s.dts90k();
    return Math.abs(t - d.lastTimestamp90k()) < Math.abs(t - d.nextTimestamp90k());
  }

  private Pending current() {
    Pending last = open.peekLast();
    if (last == null || last.closed) {
      last = new Pending(period, period > 0 && nextSequence + open.size() > 0);
      open.addLast(last);
    }
    return last;
  }

  private void drain() throws MediaException {
    while (!open.isEmpty()) {
      Pending first = open.peekFirst();
      if (!first.closed || (!ended && !progressedPast(first))) {
        return;
      }
      open.removeFirst();
      finalizeChunk(first);
    }
  }

  private boolean progressedPast(Pending seg) {
    long end = seg.lastOfPeriod ? seg.maxEnd90k : seg.end90k;
    boolean all = true;
    for (TrackState state : states.values()) {
      if (state.period <= seg.period && state.latest90k < end) {
        all = false;
        break;
      }
    }
    if (all) {
      return true;
    }
    if (seg.period < period) {
      return leadLatest90k != Timestamps.NO_TIMESTAMP
          && leadLatest90k - leadPeriodFirst90k >= policy.maxInterleave90k();
    }
    return leadLatest90k != Timestamps.NO_TIMESTAMP && leadLatest90k >= end + policy.maxInterleave90k();
  }

  private void finalizeChunk(Pending seg) throws MediaException {
    if (seg.samples.isEmpty()) {
      return;
    }
    if (!policy.mergeShortTail()) {
      emit(seg);
      return;
    }
    if (held != null) {
      if (seg.lastOfPeriod && !seg.requestedStart && held.period == seg.period
          && shortEnoughToMerge(seg.duration90k())
          && mergeFits(held, seg)) {
        held.absorb(seg);
        seg = held;
      } else {
        emit(held);
      }
      held = null;
    }
    if (seg.lastOfPeriod) {
      emit(seg);
    } else {
      held = seg;
    }
  }

  /**
   * Whether a last chunk of a period this long may be merged into the one before it (under half a segment); a
   * chunk that grows past it can no longer be merged ({@link #releaseHeld}).
   */
  private boolean shortEnoughToMerge(long duration90k) {
    return duration90k * 2 < policy.segmentDuration90k();
  }

  private boolean mergeFits(Pending first, Pending tail) {
    long limit = Math.max(maxRoundedSeconds, roundedSeconds(first.duration90k()));
    limit = Math.max(limit, roundedSeconds(policy.segmentDuration90k()));
    return roundedSeconds(first.duration90k() + tail.duration90k()) <= limit;
  }

  private void emit(Pending seg) throws MediaException {
    long start = seg.start();
    long duration = Math.max(0, seg.end() - start);
    List<MediaSample> ordered = new ArrayList<>(seg.samples);
    ordered.sort(Comparator.comparingLong(MediaSample::dts90k)); // stable: keeps decode order per track
    Chunk chunk = new Chunk(nextSequence++, seg.period, seg.discontinuity, start, duration, ordered);
    samplesOut += ordered.size();
    maxRoundedSeconds = Math.max(maxRoundedSeconds, roundedSeconds(duration));
    sink.accept(chunk);
  }

  private static long roundedSeconds(long ticks90k) {
    return MediaPlaylist.roundedSeconds(Timestamps.toDuration(ticks90k));
  }

  /**
   * A video track announced after another track's samples began becomes the lead, as long as nothing has been
   * cut yet: the MPEG-TS demuxer announces a video track only once its first picture is complete (it needs the
   * SPS), so a stream that starts with audio first chose audio as the lead, cut on the audio grid and started
   * video segments between keyframes (no SPS/PPS, undecodable until the next IDR). The samples that waited
   * for the old lead's decision go back to the open chunk; the first video keyframe sets its boundary.
   */
  private void promoteLateVideoLead(TrackFormat format) {
    if (format.type() != TrackType.VIDEO || leadTrack < 0 || isVideo(leadTrack) || period != 0
        || nextSequence != 0 || held != null || open.size() != 1 || open.peekFirst().closed) {
      return;
    }
    Pending current = open.peekFirst();
    leadTrack = format.trackId();
    leadStarted = false;
    leadPeriodFirst90k = Timestamps.NO_TIMESTAMP;
    leadLatest90k = Timestamps.NO_TIMESTAMP;
    leadLatestPts90k = Timestamps.NO_TIMESTAMP;
    current.boundary90k = Timestamps.NO_TIMESTAMP;
    for (MediaSample waiting : undecided) {
      current.add(waiting, states.get(waiting.trackId()).frameDuration90k());
    }
    undecided.clear();
  }

  private int chooseLead(int firstSampleTrack) {
    for (TrackType type : new TrackType[] {TrackType.VIDEO, TrackType.AUDIO}) {
      for (TrackFormat f : formats.values()) {
        if (f.type() == type) {
          return f.trackId();
        }
      }
    }
    return firstSampleTrack;
  }

  private boolean isVideo(int trackId) {
    TrackFormat f = formats.get(trackId);
    return f != null && f.type() == TrackType.VIDEO;
  }

  /** Per-track progress on the timeline. */
  private static final class TrackState {
    final boolean video;
    int period = -1;
    long latest90k = Long.MIN_VALUE;
    long lastDts90k = Timestamps.NO_TIMESTAMP;
    long frameDuration90k;

    TrackState(boolean video) {
      this.video = video;
    }

    /** Audio and data by PTS, video by DTS (decode order). */
    long timeOf(MediaSample s) {
      return video ? s.dts90k() : s.pts90k();
    }

    void observe(MediaSample s, int samplePeriod) {
      if (samplePeriod == period && lastDts90k != Timestamps.NO_TIMESTAMP) {
        long delta = s.dts90k() - lastDts90k;
        if (delta > 0 && delta < Timestamps.TICKS_PER_SECOND) {
          frameDuration90k = delta;
        }
      }
      if (samplePeriod >= period) {
        if (samplePeriod > period) {
          latest90k = Long.MIN_VALUE;
        }
        period = samplePeriod;
        lastDts90k = s.dts90k();
        latest90k = Math.max(latest90k, timeOf(s));
      }
    }

    long frameDuration90k() {
      return frameDuration90k;
    }
  }

  /** A chunk being filled or waiting for lagging tracks. */
  private final class Pending {
    final long id = nextPendingId++;
    final int period;
    final boolean discontinuity;
    final List<MediaSample> samples = new ArrayList<>();
    long start90k = Timestamps.NO_TIMESTAMP;
    long boundary90k = Timestamps.NO_TIMESTAMP;
    long end90k = Timestamps.NO_TIMESTAMP;
    long minPts90k = Long.MAX_VALUE;
    long maxEnd90k = Long.MIN_VALUE;
    boolean closed;
    boolean lastOfPeriod;
    /** Whether the chunk starts at a requested cut (never merged into the one before). */
    boolean requestedStart;

    Pending(int period, boolean discontinuity) {
      this.period = period;
      this.discontinuity = discontinuity;
    }

    void add(MediaSample s, long frameDuration90k) {
      samples.add(s);
      if (placement != null) {
        placement.placed(id, discontinuity, s);
      }
      minPts90k = Math.min(minPts90k, s.pts90k());
      maxEnd90k = Math.max(maxEnd90k, s.pts90k() + frameDuration90k);
    }

    void absorb(Pending tail) {
      samples.addAll(tail.samples);
      minPts90k = Math.min(minPts90k, tail.minPts90k);
      maxEnd90k = Math.max(maxEnd90k, tail.maxEnd90k);
      end90k = tail.end90k;
      lastOfPeriod = tail.lastOfPeriod;
    }

    long start() {
      return start90k != Timestamps.NO_TIMESTAMP ? start90k : minPts90k;
    }

    long end() {
      return lastOfPeriod ? maxEnd90k : end90k;
    }

    long duration90k() {
      return end() - start();
    }
  }
}
