package io.iptv.segmenter.dash;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.internal.Preconditions;
import java.util.List;
import java.util.Objects;

/**
 * The SCTE-35 {@code EventStream} of a Period (ISO/IEC 23009-1 §5.10.2; SCTE 214-1 §6.7 and DASH-IF IOP
 * §10.14.4.2): scheme {@code urn:scte:scte35:2014:xml+bin}, each event carrying a whole splice_info_section in
 * {@code <scte35:Signal><scte35:Binary>base64</scte35:Binary></scte35:Signal>} (namespace
 * {@code http://www.scte.org/schemas/35/2016}). Immutable.
 *
 * <pre>{@code
 * new Scte35EventStream(90_000, List.of(new Scte35EventStream.Event(540_000, 2_700_000, 1, cue.section())));
 * }</pre>
 *
 * @param timescale EventStream@timescale
 * @param events the events, in presentation order
 */
public record Scte35EventStream(long timescale, List<Event> events) {
  /** The scheme of SCTE-35 sections carried as base64 binary in XML. */
  public static final String SCHEME_ID_URI = "urn:scte:scte35:2014:xml+bin";
  /** The SCTE-35 XML namespace used for {@code Signal} and {@code Binary}. */
  public static final String NAMESPACE = "http://www.scte.org/schemas/35/2016";

  /** Validates and copies. */
  public Scte35EventStream {
    Preconditions.requireArgument(timescale > 0, "timescale %d", timescale);
    events = List.copyOf(events);
  }

  /**
   * One event.
   *
   * @param presentationTime Event@presentationTime: in {@code timescale}, relative to the Period start
   * @param duration Event@duration in {@code timescale}, or -1 when unknown (attribute left out)
   * @param id Event@id (unique in the stream)
   * @param section the splice_info_section
   */
  public record Event(long presentationTime, long duration, long id, ByteSlice section) {
    /** Validates. */
    public Event {
      Objects.requireNonNull(section, "section");
      Preconditions.requireArgument(presentationTime >= 0, "negative presentationTime %d", presentationTime);
    }
  }
}
