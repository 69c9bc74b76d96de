package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaPlaylist;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of one rendition that a live packager keeps available: the live window plus, with a DVR
 * (timeshift) window, everything up to {@code window} of media time back, bounded also by {@code maxBytes}.
 * A segment that leaves it is deleted after a grace period ({@code segmentRetention}) so that players and
 * CDNs still reading the last playlist that listed it get no 404 (hlsjs#1214).
 *
 * <p>Bounds, oldest first: a segment is evicted while the segments after it still cover {@code window}, or
 * while the total size exceeds {@code maxBytes}; the newest {@code minSegments} (the live window) are never
 * evicted, so the timeshift playlist always contains the live playlist.
 *
 * <p>Threading: one packager thread calls {@link #add}; any thread may read {@link #segments()} and
 * {@link #playlist} (an immutable snapshot swapped atomically).
 *
 * <pre>{@code
 * DvrWindow dvr = DvrWindow.builder().window(Duration.ofHours(2)).maxBytes(4L << 30).minSegments(6).build();
 * for (String name : dvr.add(segment, packaged90k, grace90k)) { sink.delete("stream/" + name); }
 * MediaPlaylist timeshift = dvr.playlist(6);   // no PLAYLIST-TYPE, sliding
 * }</pre>
 */
public final class DvrWindow {
  private final long window90k;
  private final long maxBytes;
  private final int minSegments;
  private final MediaInitialization map;
  private final ArrayDeque<RetainedSegment> segments = new ArrayDeque<>();
  private final ArrayDeque<Expiring> expiring = new ArrayDeque<>();
  private long duration90k;
  private long totalBytes;
  private volatile List<RetainedSegment> snapshot = List.of();

  private DvrWindow(Builder b) {
    this.window90k = Timestamps.fromDuration(b.window);
    this.maxBytes = b.maxBytes;
    this.minSegments = b.minSegments;
    this.map = b.map;
  }

  /** Starts configuring a window. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lists segments again after a restart (oldest first); they count against the bounds like new ones. Call
   * before the first {@link #add}.
   */
  public void restore(List<RetainedSegment> retained) {
    Preconditions.requireState(segments.isEmpty(), "restore before the first segment");
    for (RetainedSegment s : retained) {
      segments.addLast(s);
      duration90k += s.duration90k();
      totalBytes += s.bytes();
    }
    snapshot = List.copyOf(segments);
  }

  /**
   * Appends a new segment and returns the names (relative to the rendition) whose grace period has ended
   * and that can be deleted now.
   *
   * @param now90k the packaged media time so far (grows across discontinuities)
   * @param grace90k how long an evicted segment stays readable
   */
  public List<String> add(RetainedSegment segment, long now90k, long grace90k) {
    segments.addLast(segment);
    duration90k += segment.duration90k();
    totalBytes += segment.bytes();
    while (segments.size() > minSegments) {
      RetainedSegment first = segments.peekFirst();
      boolean coveredWithout = duration90k - first.duration90k() >= window90k;
      boolean overBytes = totalBytes > maxBytes;
      if (!coveredWithout && !overBytes) {
        break;
      }
      segments.removeFirst();
      duration90k -= first.duration90k();
      totalBytes -= first.bytes();
      expiring.addLast(new Expiring(first.uri(), now90k + grace90k));
    }
    snapshot = List.copyOf(segments);
    List<String> delete = new ArrayList<>();
    while (!expiring.isEmpty() && expiring.peekFirst().deleteAt90k() <= now90k) {
      delete.add(expiring.removeFirst().uri());
    }
    return delete;
  }

  /** The retained segments, oldest first (a snapshot; any thread). */
  public List<RetainedSegment> segments() {
    return snapshot;
  }

  /** Segments evicted but not yet deleted (their grace period runs). */
  public List<String> expiring() {
    List<String> out = new ArrayList<>();
    for (Expiring e : expiring) {
      out.add(e.uri());
    }
    return out;
  }

  /** The init segment every entry needs (fMP4), or null. */
  public MediaInitialization map() {
    return map;
  }

  /**
   * The timeshift playlist: every retained segment, no {@code EXT-X-PLAYLIST-TYPE} (it slides), media and
   * discontinuity sequence of its first segment (RFC 8216 §4.3.3.2, §4.3.3.3).
   */
  public MediaPlaylist playlist(int targetDuration) {
    return CatchupPlaylists.playlistOf(snapshot, map, targetDuration, null, false);
  }

  /** Total bytes of the retained segments. */
  public long bytes() {
    long sum = 0;
    for (RetainedSegment s : snapshot) {
      sum += s.bytes();
    }
    return sum;
  }

  private record Expiring(String uri, long deleteAt90k) {}

  /** Configures a {@link DvrWindow}. Each setting once; not thread-safe. */
  public static final class Builder {
    private Duration window = Duration.ZERO;
    private long maxBytes = Long.MAX_VALUE;
    private int minSegments = 1;
    private MediaInitialization map;

    private Builder() {}

    /** Media time kept behind the live edge (default 0: only the live window). */
    public Builder window(Duration value) {
      Preconditions.requireArgument(!value.isNegative(), "window %s < 0", value);
      window = value;
      return this;
    }

    /** Upper bound of the retained bytes (default unbounded); the newest {@code minSegments} always stay. */
    public Builder maxBytes(long value) {
      Preconditions.requireArgument(value > 0, "maxBytes %d <= 0", value);
      maxBytes = value;
      return this;
    }

    /** Segments never evicted: the live window (default 1). */
    public Builder minSegments(int value) {
      Preconditions.requireArgument(value >= 1, "minSegments %d < 1", value);
      minSegments = value;
      return this;
    }

    /** The EXT-X-MAP of fMP4 renditions (default none). */
    public Builder map(MediaInitialization value) {
      map = value;
      return this;
    }

    /** Builds the window. */
    public DvrWindow build() {
      return new DvrWindow(this);
    }
  }
}
