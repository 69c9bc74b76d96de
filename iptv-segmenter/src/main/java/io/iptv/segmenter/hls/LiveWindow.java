package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment list of one growing Media Playlist: VOD and EVENT keep every segment, a live playlist keeps
 * the last {@code listSize} (a sliding window) and counts what leaves it. Keeps {@code EXT-X-MEDIA-SEQUENCE}
 * (RFC 8216 §4.3.3.2: the sequence number of the first listed segment) and
 * {@code EXT-X-DISCONTINUITY-SEQUENCE} (§4.3.3.3: the number of discontinuity tags that have left the
 * window) in step with the list.
 *
 * <p>Not thread-safe: one writer thread; the {@link MediaPlaylist} snapshots it returns are immutable.
 *
 * <pre>{@code
 * LiveWindow window = LiveWindow.sliding(6, 0);
 * List<MediaSegment> removed = window.add(segment);   // delete removed ones after a grace period
 * String text = PlaylistWriter.defaults().write(window.playlist(6, false));
 * }</pre>
 */
public final class LiveWindow {
  private final MediaPlaylist.PlaylistType type;
  private final int listSize;
  private final ArrayDeque<MediaSegment> segments = new ArrayDeque<>();
  private long mediaSequence;
  private long discontinuitySequence;

  private LiveWindow(MediaPlaylist.PlaylistType type, int listSize, long firstMediaSequence) {
    Preconditions.requireArgument(firstMediaSequence >= 0, "firstMediaSequence %d < 0", firstMediaSequence);
    this.type = type;
    this.listSize = listSize;
    this.mediaSequence = firstMediaSequence;
  }

  /** A live sliding window of {@code listSize} segments (no EXT-X-PLAYLIST-TYPE). */
  public static LiveWindow sliding(int listSize, long firstMediaSequence) {
    Preconditions.requireArgument(listSize >= 1, "listSize %d < 1", listSize);
    return new LiveWindow(null, listSize, firstMediaSequence);
  }

  /** A list that keeps everything, for VOD or EVENT playlists. */
  public static LiveWindow growing(MediaPlaylist.PlaylistType type, long firstMediaSequence) {
    Preconditions.requireArgument(type != null, "type");
    return new LiveWindow(type, Integer.MAX_VALUE, firstMediaSequence);
  }

  /**
   * A window continuing a previous run (restart): lists {@code segments} again, numbered from
   * {@code mediaSequence} with {@code discontinuitySequence} for the first of them.
   *
   * @param type null for a live sliding window, else VOD or EVENT (keeps everything)
   */
  public static LiveWindow restored(MediaPlaylist.PlaylistType type, int listSize, long mediaSequence,
      long discontinuitySequence, List<MediaSegment> segments) {
    Preconditions.requireArgument(listSize >= 1, "listSize %d < 1", listSize);
    Preconditions.requireArgument(discontinuitySequence >= 0, "discontinuitySequence %d < 0", discontinuitySequence);
    LiveWindow window = new LiveWindow(type, type == null ? listSize : Integer.MAX_VALUE, mediaSequence);
    window.discontinuitySequence = discontinuitySequence;
    window.segments.addAll(segments);
    while (window.segments.size() > window.listSize) {
      MediaSegment gone = window.segments.removeFirst();
      window.mediaSequence++;
      if (gone.discontinuity()) {
        window.discontinuitySequence++;
      }
    }
    return window;
  }

  /** Appends a segment and returns those that left the window (oldest first). */
  public List<MediaSegment> add(MediaSegment segment) {
    segments.addLast(segment);
    List<MediaSegment> removed = new ArrayList<>();
    while (segments.size() > listSize) {
      MediaSegment gone = segments.removeFirst();
      mediaSequence++;
      if (gone.discontinuity()) {
        discontinuitySequence++;
      }
      removed.add(gone);
    }
    return removed;
  }

  /** The number of segments listed. */
  public int size() {
    return segments.size();
  }

  /**
   * A snapshot as a playlist.
   *
   * @param targetDuration the fixed target duration, or 0 to compute it from the segments (VOD)
   * @param endList whether to append {@code EXT-X-ENDLIST}
   */
  public MediaPlaylist playlist(int targetDuration, boolean endList) {
    MediaPlaylist.Builder b = MediaPlaylist.builder()
        .mediaSequence(mediaSequence)
        .discontinuitySequence(discontinuitySequence)
        .playlistType(type)
        .independentSegments(true)
        .endList(endList)
        .addSegments(new ArrayList<>(segments));
    if (targetDuration > 0) {
      b.targetDuration(targetDuration);
    }
    return b.build();
  }
}
