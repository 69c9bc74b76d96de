package io.iptv.segmenter.pkg;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.chunk.Chunker;
import io.iptv.segmenter.dash.Scte35EventStream;
import io.iptv.segmenter.hls.CueMarker;
import io.iptv.segmenter.hls.DateRange;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SCTE-35 stage of an {@link HlsPackager}: turns {@link SpliceCue}s into segment cuts (via
 * {@link Chunker#cutAt(long)}), and the resulting segments into ad-break signalling for HLS and DASH.
 *
 * <p><b>Breaks.</b> An OUT is a splice_insert with out_of_network_indicator = 1, or a time_signal whose first
 * segmentation_descriptor starts a break or an opportunity (ANSI/SCTE 35 Table 23, see
 * {@link SpliceCue#outOfNetwork()}). A segment starts at its splice point (the first lead keyframe at or after
 * it; an immediate splice, or a cue that arrives after its splice point, at the next keyframe: see
 * {@link AdBreak#outOffset90k()}). The return is at splice point + break_duration (or
 * segmentation_duration) when given, or at the splice point of the IN: a splice_insert with
 * out_of_network_indicator = 0, or a time_signal whose segmentation_type_id ends a break (start + 1), with a
 * splice point after the OUT's (an IN before its OUT is taken as a command); an IN before the planned return
 * moves it. A cancelled event (splice_event_cancel_indicator) removes a break not
 * yet started. Cues repeated before their splice point (encoders repeat them) count once. Other cues
 * (time_signal with other descriptors, splice_schedule, private commands) become {@code SCTE35-CMD} date
 * ranges; splice_null and bandwidth_reservation are ignored.
 *
 * <p><b>HLS</b> ({@link AdMarkerStyle}): the first segment of a break gets {@code EXT-X-DATERANGE} with ID,
 * START-DATE (the splice point's date on the program-date-time timeline, before the segment's own date when
 * the keyframe came late), PLANNED-DURATION and SCTE35-OUT, and {@code EXT-X-CUE-OUT}; the segments inside
 * get {@code EXT-X-CUE-OUT-CONT}; the first segment after gets {@code EXT-X-CUE-IN} and the same ID with
 * END-DATE, DURATION and, if an IN cue was received, SCTE35-IN (a break that returns by its duration has no
 * IN section). In a sliding window a break whose first segment has left but whose segments are still listed
 * keeps its OUT date range on the first listed segment; it is forgotten when its last segment has left.
 *
 * <p><b>DASH</b>: one {@link Scte35EventStream} event per started break (presentationTime = splice point,
 * duration = to the return) and per command, with the OUT (or command) section.
 *
 * <p>Memory: the breaks and marked segments of the window (VOD and EVENT: of the stream), at most
 * {@value #MAX_PENDING} cues waiting for their splice point. Not thread-safe (the packager's thread).
 */
final class AdBreakSignals {
  static final int MAX_PENDING = 256;

  private final boolean dateRanges;
  private final boolean cues;
  private final boolean fillProgramDateTime;
  private final ArrayDeque<Break> breaks = new ArrayDeque<>();
  private final ArrayDeque<Command> commands = new ArrayDeque<>();
  private final TreeMap<Long, Markers> markers = new TreeMap<>();
  private final TreeMap<Long, OffsetDateTime> dates = new TreeMap<>();
  private long latestPts90k = Timestamps.NO_TIMESTAMP;
  private long nextCommandId;
  private long nextEventId;
  private int period;
  private boolean anySample;

  /**
   * @param styles the HLS signalling to write (empty: cues are ignored altogether)
   * @param fillProgramDateTime whether playlists lack EXT-X-PROGRAM-DATE-TIME unless a date range needs it
   */
  AdBreakSignals(Set<AdMarkerStyle> styles, boolean fillProgramDateTime) {
    this.dateRanges = styles.contains(AdMarkerStyle.DATERANGE);
    this.cues = styles.contains(AdMarkerStyle.CUE);
    this.fillProgramDateTime = fillProgramDateTime && dateRanges;
  }

  /** Whether cues are acted on at all. */
  boolean enabled() {
    return dateRanges || cues;
  }

  /** Whether chunk dates must be computed (date ranges are written). */
  boolean needsDates() {
    return dateRanges;
  }

  void onSample(MediaSample s) {
    anySample = true;
    if (latestPts90k == Timestamps.NO_TIMESTAMP || s.pts90k() > latestPts90k) {
      latestPts90k = s.pts90k();
    }
  }

  /** Acts on a cue: requests the cuts of a break or remembers a command. */
  void onCue(SpliceCue cue, Chunker chunker) {
    if (!enabled() || cue.command() == SpliceCue.Command.SPLICE_NULL
        || cue.command() == SpliceCue.Command.BANDWIDTH_RESERVATION) {
      return;
    }
    boolean breakCommand = cue.command() == SpliceCue.Command.SPLICE_INSERT
        || cue.command() == SpliceCue.Command.TIME_SIGNAL;
    if (breakCommand && cue.cancel()) {
      for (Iterator<Break> it = breaks.iterator(); it.hasNext(); ) {
        Break b = it.next();
        if (b.eventId == cue.eventId() && b.outSequence < 0) {
          chunker.cancelCut(b.outPts90k);
          if (b.inPts90k != Timestamps.NO_TIMESTAMP) {
            chunker.cancelCut(b.inPts90k);
          }
          it.remove();
        }
      }
      return;
    }
    boolean immediate = cue.splicePts90k() == Timestamps.NO_TIMESTAMP;
    long pts = immediate ? arrival() : cue.splicePts90k();
    if (breakCommand && cue.outOfNetwork()) {
      for (Break b : breaks) {
        if (b.eventId == cue.eventId() && (b.outPts90k == pts || (immediate && b.outSequence < 0))) {
          return; // a repetition
        }
      }
      Break b = new Break(cue, pts);
      b.period = period;
      chunker.cutAt(immediate ? Timestamps.NO_TIMESTAMP : pts);
      if (cue.breakDuration90k() >= 0) {
        b.inPts90k = pts + cue.breakDuration90k();
        chunker.cutAt(b.inPts90k);
      }
      breaks.addLast(b);
      while (breaks.size() > MAX_PENDING) {
        breaks.removeFirst();
      }
      return;
    }
    if (breakCommand && isReturn(cue)) {
      Break open = null;
      for (Break b : breaks) {
        if (b.inCue != null && b.eventId == cue.eventId() && (b.inPts90k == pts || immediate)) {
          return; // a repetition
        }
        if (b.inCue == null && b.inSequence < 0 && pts > b.outPts90k
            && (open == null || b.eventId == cue.eventId())) {
          open = b;
        }
      }
      if (open != null) {
        if (open.inPts90k != Timestamps.NO_TIMESTAMP && open.inPts90k != pts) {
          chunker.cancelCut(open.inPts90k);
        }
        open.inPts90k = pts;
        open.inCue = cue;
        chunker.cutAt(immediate ? Timestamps.NO_TIMESTAMP : pts);
        return;
      }
    }
    commands.addLast(new Command(nextCommandId++, pts, cue, period));
    while (commands.size() > MAX_PENDING) {
      commands.removeFirst();
    }
  }

  private long arrival() {
    return latestPts90k == Timestamps.NO_TIMESTAMP ? 0 : latestPts90k + 1;
  }

  private static boolean isReturn(SpliceCue cue) {
    if (cue.command() == SpliceCue.Command.SPLICE_INSERT) {
      return !cue.outOfNetwork();
    }
    if (cue.segmentationTypeIds().isEmpty()) {
      return false;
    }
    // segmentation_type_id (ANSI/SCTE 35 Table 23): each break/opportunity start has its end at start + 1.
    return switch (cue.segmentationTypeIds().get(0)) {
      case 0x23, 0x31, 0x33, 0x35, 0x37, 0x39, 0x3B, 0x45, 0x47 -> true;
      default -> false;
    };
  }

  /**
   * The timeline breaks (counted as the {@link Chunker} counts periods): splice times of the old timeline mean
   * nothing on the new one. When the chunks of the new period arrive, cues of an old period that were not placed
   * are dropped, and a break in progress ends at the first chunk of the new period (without an IN section).
   */
  void onDiscontinuity() {
    if (anySample) {
      period++;
    }
    latestPts90k = Timestamps.NO_TIMESTAMP;
  }

  /**
   * Places the signals on a finished chunk.
   *
   * @param programDateTime the date of the chunk start, or null when dates are not kept
   */
  void onChunk(long sequence, Chunk chunk, OffsetDateTime programDateTime) {
    if (!enabled()) {
      return;
    }
    long start = chunk.start90k();
    long end = start + chunk.duration90k();
    List<DateRange> ranges = new ArrayList<>();
    List<CueMarker> tags = new ArrayList<>();
    breaks.removeIf(b -> b.outSequence < 0 && b.period < chunk.period());
    commands.removeIf(c -> c.sequence < 0 && c.period < chunk.period());
    for (Break b : breaks) {
      if (b.outSequence < 0 && b.period > chunk.period()) {
        continue; // a cue of a later timeline
      }
      if (b.outSequence < 0) {
        if (start >= b.outPts90k) {
          b.outSequence = sequence;
          b.outSegmentStart90k = start;
          b.outDate = programDateTime == null ? null : programDateTime.minus(micros(start - b.outPts90k),
              ChronoUnit.MICROS);
          if (b.eventNumber < 0) {
            b.eventNumber = nextEventId++;
          }
          tags.add(CueMarker.out(b.planned()));
          if (b.outDate != null) {
            ranges.add(b.outRange());
          }
        }
      } else if (b.inSequence < 0) {
        if (b.period < chunk.period()) {
          b.inSequence = sequence;
          b.inPts90k = b.outSegmentStart90k + b.elapsed90k; // the media time the break lasted
          b.inCue = null;
          tags.add(CueMarker.in());
          if (b.outDate != null) {
            ranges.add(b.inRange());
          }
        } else if (b.inPts90k != Timestamps.NO_TIMESTAMP && start >= b.inPts90k) {
          b.inSequence = sequence;
          tags.add(CueMarker.in());
          if (b.outDate != null) {
            ranges.add(b.inRange());
          }
        } else {
          tags.add(CueMarker.cont(Timestamps.toDuration(b.elapsed90k), b.planned()));
        }
      }
      if (b.outSequence >= 0 && b.inSequence < 0) {
        b.elapsed90k += chunk.duration90k();
      }
    }
    for (Command c : commands) {
      if (c.sequence < 0 && c.period == chunk.period() && c.pts90k < end) {
        c.sequence = sequence;
        if (programDateTime != null) {
          OffsetDateTime date = programDateTime.plus(micros(c.pts90k - start), ChronoUnit.MICROS);
          ranges.add(DateRange.builder("SCTE35-CMD-" + c.id, date).scte35Cmd(c.cue.section()).build());
        }
      }
    }
    Markers m = new Markers(dateRanges ? ranges : List.of(), cues ? tags : List.of());
    if (!m.ranges.isEmpty() || !m.cues.isEmpty()) {
      markers.put(sequence, m);
    }
    if (fillProgramDateTime && programDateTime != null) {
      dates.put(sequence, programDateTime);
    }
  }

  /**
   * The playlist with the signals of its segments; forgets what has left the window (call once per write
   * with the main rendition's playlist first; every rendition has the same sequence numbers).
   */
  MediaPlaylist decorate(MediaPlaylist playlist) {
    if (!enabled() || playlist.segments().isEmpty()) {
      return playlist;
    }
    long first = playlist.mediaSequence();
    expireBefore(first);
    List<MediaSegment> out = new ArrayList<>(playlist.segments().size());
    boolean changed = false;
    boolean anyRange = false;
    for (int i = 0; i < playlist.segments().size(); i++) {
      MediaSegment s = playlist.segments().get(i);
      long sequence = first + i;
      Markers m = markers.get(sequence);
      List<DateRange> ranges = new ArrayList<>();
      if (i == 0 && dateRanges) {
        for (Break b : breaks) {
          // a break still listed whose OUT segment has left the window keeps its OUT date range
          if (b.outSequence >= 0 && b.outSequence < first && b.outDate != null
              && (b.inSequence < 0 || b.inSequence >= first)) {
            ranges.add(b.outRange());
          }
        }
      }
      if (m != null) {
        ranges.addAll(m.ranges);
      }
      if (!ranges.isEmpty() || m != null) {
        s = s.toBuilder().dateRanges(ranges).cueMarkers(m == null ? List.of() : m.cues).build();
        changed = true;
        anyRange |= !ranges.isEmpty();
      }
      out.add(s);
    }
    if (!changed) {
      return playlist;
    }
    if (anyRange && fillProgramDateTime) {
      for (int i = 0; i < out.size(); i++) {
        OffsetDateTime date = dates.get(first + i);
        if (out.get(i).programDateTime() == null && date != null) {
          out.set(i, out.get(i).toBuilder().programDateTime(date).build());
        }
      }
    }
    return playlist.toBuilder().clearSegments().addSegments(out).build();
  }

  private void expireBefore(long firstSequence) {
    markers.headMap(firstSequence).clear();
    dates.headMap(firstSequence).clear();
    breaks.removeIf(b -> b.inSequence >= 0 && b.inSequence < firstSequence);
    commands.removeIf(c -> c.sequence >= 0 && c.sequence < firstSequence);
  }

  /** The breaks and commands known (the window's), for DASH; times relative to {@code periodStart90k}. */
  Scte35EventStream dashEvents(long periodStart90k) {
    List<Scte35EventStream.Event> events = new ArrayList<>();
    for (Break b : breaks) {
      if (b.outSequence >= 0) {
        long duration = b.inPts90k == Timestamps.NO_TIMESTAMP ? -1 : b.inPts90k - b.outPts90k;
        events.add(new Scte35EventStream.Event(Math.max(0, b.outPts90k - periodStart90k), duration,
            b.eventNumber, b.outCue.section()));
      }
    }
    for (Command c : commands) {
      if (c.sequence >= 0) {
        events.add(new Scte35EventStream.Event(Math.max(0, c.pts90k - periodStart90k), -1, 1_000_000 + c.id,
            c.cue.section()));
      }
    }
    events.sort(Comparator.comparingLong(Scte35EventStream.Event::presentationTime));
    return new Scte35EventStream(Timestamps.TICKS_PER_SECOND, events);
  }

  /** The breaks known (the window's), oldest first. */
  List<AdBreak> adBreaks() {
    List<AdBreak> out = new ArrayList<>();
    for (Break b : breaks) {
      out.add(new AdBreak(b.id(), b.eventId, b.outPts90k, b.outSegmentStart90k, b.outSequence, b.inPts90k,
          b.inSequence));
    }
    return out;
  }

  private static long micros(long ticks90k) {
    return Math.floorDiv(ticks90k * 100, 9);
  }

  /** The signals of one segment. */
  private record Markers(List<DateRange> ranges, List<CueMarker> cues) {}

  /** A cue that is not a break: a SCTE35-CMD date range. */
  private static final class Command {
    final long id;
    final long pts90k;
    final SpliceCue cue;
    final int period;
    long sequence = -1;

    Command(long id, long pts90k, SpliceCue cue, int period) {
      this.id = id;
      this.pts90k = pts90k;
      this.cue = cue;
      this.period = period;
    }
  }

  /** One ad break from OUT to return. */
  private static final class Break {
    final SpliceCue outCue;
    final long eventId;
    final long outPts90k;
    long inPts90k = Timestamps.NO_TIMESTAMP;
    SpliceCue inCue;
    long outSequence = -1;
    long outSegmentStart90k = Timestamps.NO_TIMESTAMP;
    OffsetDateTime outDate;
    long inSequence = -1;
    long eventNumber = -1;
    /** Media time of the break's segments so far (ElapsedTime; continues over a discontinuity). */
    long elapsed90k;
    /** The timeline (discontinuity count) the OUT cue arrived on. */
    int period;

    Break(SpliceCue outCue, long outPts90k) {
      this.outCue = outCue;
      this.eventId = outCue.eventId();
      this.outPts90k = outPts90k;
    }

    String id() {
      return "SCTE35-" + eventId + "-" + outPts90k;
    }

    Duration planned() {
      return outCue.breakDuration90k() >= 0 ? Timestamps.toDuration(outCue.breakDuration90k()) : null;
    }

    DateRange outRange() {
      return DateRange.builder(id(), outDate).plannedDuration(planned()).scte35Out(outCue.section()).build();
    }

    DateRange inRange() {
      long duration90k = inPts90k - outPts90k;
      return DateRange.builder(id(), outDate)
          .endDate(outDate.plus(micros(duration90k), ChronoUnit.MICROS))
          .duration(Timestamps.toDuration(duration90k))
          .scte35In(inCue == null ? null : inCue.section())
          .build();
    }
  }
}
