package io.iptv.core.media;

import io.iptv.core.io.ByteSlice;
import java.util.List;
import java.util.Objects;

/**
 * An SCTE-35 splice announcement (ANSI/SCTE 35 §9): an ad break starts or ends, or a segmentation point.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * if (event instanceof SpliceCue cue && cue.outOfNetwork()) {
 *   scheduleCut(cue.splicePts90k(), cue.breakDuration90k());
 * }
 * }</pre>
 *
 * @param trackId the SCTE-35 track (PID) it came from
 * @param command the splice command type
 * @param splicePts90k when the splice happens on the program's unwrapped timeline (pts_time plus
 *     pts_adjustment), or {@link io.iptv.core.time.Timestamps#NO_TIMESTAMP} for "immediate" or none
 * @param eventId splice_event_id (splice_insert), or the first segmentation_event_id (time_signal), or -1
 * @param outOfNetwork true when leaving the network feed (a break starts)
 * @param cancel true when the event is cancelled
 * @param breakDuration90k break_duration (or segmentation_duration) in 90 kHz ticks, or -1 when absent
 * @param autoReturn the break_duration's auto_return flag
 * @param segmentationTypeIds segmentation_type_id of each segmentation_descriptor, in order
 * @param section the whole splice_info_section as received, for pass-through (EXT-X-DATERANGE SCTE35-CMD)
 */
public record SpliceCue(
    int trackId,
    Command command,
    long splicePts90k,
    long eventId,
    boolean outOfNetwork,
    boolean cancel,
    long breakDuration90k,
    boolean autoReturn,
    List<Integer> segmentationTypeIds,
    ByteSlice section) implements StreamEvent {

  /** splice_command_type values (SCTE 35 Table 7). */
  public enum Command {
    /** splice_null (0x00): a heartbeat. */
    SPLICE_NULL,
    /** splice_schedule (0x04). */
    SPLICE_SCHEDULE,
    /** splice_insert (0x05). */
    SPLICE_INSERT,
    /** time_signal (0x06), meaning carried by segmentation descriptors. */
    TIME_SIGNAL,
    /** bandwidth_reservation (0x07). */
    BANDWIDTH_RESERVATION,
    /** private_command (0xFF) or anything else. */
    OTHER
  }

  /** Validates and copies. */
  public SpliceCue {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(section, "section");
    segmentationTypeIds = List.copyOf(segmentationTypeIds);
  }
}
