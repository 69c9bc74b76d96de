package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Low-Latency HLS media playlist (RFC 8216bis §4.4.3.7, §4.4.4.9, §4.4.5.2): a {@link MediaPlaylist} with
 * the Partial Segments of its most recent segments and of the segment being produced, a preload hint for
 * the next part, the server's delivery capabilities and the other renditions' reports. Written by
 * {@link LowLatencyPlaylistWriter}, read by {@link LowLatencyPlaylistParser}. Immutable.
 *
 * <p>{@code parts} maps a parent segment's Media Sequence Number to its parts in order; the key
 * {@code mediaSequence + segments.size() + skippedSegments} (one past the last complete segment) holds the
 * parts of the segment still being produced. {@code skippedSegments} is 0 for a full playlist; a delta
 * update ({@code EXT-X-SKIP}, §4.4.5.2) has {@code base.segments()} without the skipped first ones.
 *
 * <pre>{@code
 * LowLatencyPlaylist ll = new LowLatencyPlaylist(media, Duration.ofMillis(500), parts, "part-00043.2.m4s",
 *     ServerControl.forTargets(Duration.ofMillis(500), media.targetDuration()), List.of(), 0);
 * String text = LowLatencyPlaylistWriter.write(ll, false);
 * }</pre>
 *
 * @param base the playlist without the low-latency tags (all its segments, or the unskipped ones of a delta)
 * @param partTarget EXT-X-PART-INF:PART-TARGET
 * @param parts parts by parent Media Sequence Number (sorted)
 * @param preloadHintUri the URI of the next part (EXT-X-PRELOAD-HINT:TYPE=PART), or null
 * @param serverControl EXT-X-SERVER-CONTROL
 * @param renditionReports EXT-X-RENDITION-REPORT tags for the other renditions
 * @param skippedSegments EXT-X-SKIP:SKIPPED-SEGMENTS, 0 for none
 */
public record LowLatencyPlaylist(MediaPlaylist base, Duration partTarget, Map<Long, List<PartialSegment>> parts,
    String preloadHintUri, ServerControl serverControl, List<RenditionReport> renditionReports,
    int skippedSegments) {

  /** Validates and copies. */
  public LowLatencyPlaylist {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(partTarget, "partTarget");
    Objects.requireNonNull(serverControl, "serverControl");
    Preconditions.requireArgument(partTarget.toMillis() > 0, "partTarget must be positive: %s", partTarget);
    Preconditions.requireArgument(skippedSegments >= 0, "skippedSegments %d < 0", skippedSegments);
    TreeMap<Long, List<PartialSegment>> copy = new TreeMap<>();
    parts.forEach((msn, list) -> copy.put(msn, List.copyOf(list)));
    parts = java.util.Collections.unmodifiableMap(copy);
    renditionReports = List.copyOf(renditionReports);
  }

  /** The Media Sequence Number of the segment being produced (one past the last complete one). */
  public long nextMediaSequence() {
    return base.mediaSequence() + skippedSegments + base.segments().size();
  }

  /**
   * EXT-X-SERVER-CONTROL (RFC 8216bis §4.4.3.8).
   *
   * @param canBlockReload CAN-BLOCK-RELOAD=YES
   * @param partHoldBack PART-HOLD-BACK (at least 3 × PART-TARGET), or null
   * @param canSkipUntil CAN-SKIP-UNTIL (at least 6 × TARGETDURATION), or null when delta updates are not offered
   */
  public record ServerControl(boolean canBlockReload, Duration partHoldBack, Duration canSkipUntil) {
    /** The values this library serves: blocking reload, 3 × part target hold-back, skip until 6 × target. */
    public static ServerControl forTargets(Duration partTarget, int targetDurationSeconds) {
      return new ServerControl(true, partTarget.multipliedBy(3),
          Duration.ofSeconds(6L * targetDurationSeconds));
    }
  }

  /**
   * EXT-X-RENDITION-REPORT (RFC 8216bis §4.4.5.4): where another rendition's live edge is.
   *
   * @param uri the other rendition's media playlist, relative to this one
   * @param lastMsn LAST-MSN: its last segment's (or segment in progress) Media Sequence Number
   * @param lastPart LAST-PART: its last part's index within {@code lastMsn}, or -1 for none
   */
  public record RenditionReport(String uri, long lastMsn, int lastPart) {}
}
