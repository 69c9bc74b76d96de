package io.iptv.segmenter.dash;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.TrackFormat;
import java.util.List;
import java.util.Objects;

/**
 * One DASH Representation (ISO/IEC 23009-1 §5.3.5) backed by a CMAF track file: the same {@code init.mp4} and
 * segments an HLS rendition lists. Immutable.
 *
 * <pre>{@code
 * new DashRepresentation("stream", videoFormat, 90000, 2_500_000, "stream/init.mp4",
 *     "stream/seg-$Number%05d$.m4s", 0, 0, List.of(new DashRepresentation.Segment(0, 180000)));
 * }</pre>
 *
 * @param id the Representation@id (unique in the MPD)
 * @param format the track format (codecs, size, sample rate, language)
 * @param timescale the track timescale (SegmentTemplate@timescale)
 * @param bandwidth peak bits per second (Representation@bandwidth)
 * @param initialization the init segment URI, relative to the MPD
 * @param media the media segment URI template with {@code $Number$} or {@code $Time$} (DASH syntax, §5.3.9.4.4),
 *     relative to the MPD; {@code $Time$} is the segment's S@t, i.e. its start in {@code timescale}
 * @param startNumber the number of the first segment listed
 * @param presentationTimeOffset the track time that maps to the Period start
 * @param segments start and duration of each listed segment, in the timescale, in order
 * @param protection the track's Common Encryption, or null when it is clear
 */
public record DashRepresentation(String id, TrackFormat format, long timescale, long bandwidth,
    String initialization, String media, long startNumber, long presentationTimeOffset, List<Segment> segments,
    ContentProtection protection) {

  /** A clear Representation. */
  public DashRepresentation(String id, TrackFormat format, long timescale, long bandwidth, String initialization,
      String media, long startNumber, long presentationTimeOffset, List<Segment> segments) {
    this(id, format, timescale, bandwidth, initialization, media, startNumber, presentationTimeOffset, segments,
        null);
  }

  /** Validates and copies. */
  public DashRepresentation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(initialization, "initialization");
    Objects.requireNonNull(media, "media");
    Preconditions.requireArgument(timescale > 0, "timescale %d", timescale);
    Preconditions.requireArgument(media.contains("$Number") || media.contains("$Time"),
        "media template %s has no $Number$ or $Time$", media);
    segments = List.copyOf(segments);
  }

  /**
   * One segment on the track timeline.
   *
   * @param start earliest presentation time, in the timescale
   * @param duration in the timescale
   */
  public record Segment(long start, long duration) {}
}
