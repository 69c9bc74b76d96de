package io.iptv.segmenter.ts;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;

import io.iptv.core.MediaException;
import io.iptv.core.media.StreamEvent.Discontinuity;
import io.iptv.core.time.PtsUnwrapper;

/**
 * The timeline of the selected program: one {@link PtsUnwrapper} shared by its PTS, DTS and PCR (ISO/IEC
 * 13818-1 §2.4.3.7), detection of timestamp jumps, and the discontinuity events.
 *
 * <p>Jumps are watched on two sources, the PCR and the DTS of the first video (else audio) stream: a value
 * going backwards, or forwards by more than {@link #JUMP_THRESHOLD_90K}, is a jump. A splice moves both
 * sources, a little apart in the stream, so each event carries a generation: the first source to jump (or
 * the first discontinuity_indicator) starts a new generation and emits one {@link Discontinuity}; the other
 * source then acknowledges it silently when it jumps to near the same place. Not thread-safe.
 */
final class ProgramTimeline {
  /** Forward jump on one source that counts as a discontinuity: 10 s. */
  static final long JUMP_THRESHOLD_90K = 10 * 90_000L;
  /** Packets within which discontinuity_indicators of several PIDs are one event. */
  static final long SIGNALLED_EVENT_PACKETS = 10_000;

  /** One watched timestamp source. */
  static final class Source {
    long last90k = NO_TIMESTAMP;
    int generation;
    /** Continuous time seen on this source, in its own units (27 MHz for PCR, 90 kHz for DTS). */
    long span;
  }

  final PtsUnwrapper clock = new PtsUnwrapper();
  final Source pcr = new Source();
  final Source dts = new Source();
  private int generation;
  private long eventNext90k = NO_TIMESTAMP;
  private long last90k = NO_TIMESTAMP;
  private int signalledEvents;
  private long signalledAtPacket;
  long discontinuities;

  /** Unwraps a timestamp of a stream that is not watched for jumps. */
  long unwrap(long raw33) {
    long value = clock.unwrap(raw33);
    last90k = value;
    return value;
  }

  /**
   * Unwraps a value of a watched source and checks it for a jump.
   *
   * @param signalled whether the packet carried discontinuity_indicator (then the jump was announced)
   * @return the unwrapped value
   */
  long onWatched(Source source, long raw33, boolean signalled, DiscontinuityPlacer out) throws MediaException {
    long value = clock.unwrap(raw33);
    long previous = source.last90k;
    boolean jump = previous != NO_TIMESTAMP && (value < previous || value - previous > JUMP_THRESHOLD_90K);
    if (eventNext90k == NO_TIMESTAMP && source.generation < generation) {
      eventNext90k = value; // first value after a signalled discontinuity
    }
    if (jump) {
      boolean known = source.generation < generation
          && (eventNext90k == NO_TIMESTAMP || Math.abs(value - eventNext90k) <= JUMP_THRESHOLD_90K);
      if (!known && !signalled) {
        generation++;
        eventNext90k = value;
        discontinuities++;
        out.schedule(new Discontinuity(Discontinuity.Reason.TIMESTAMP_JUMP, previous, value));
      }
      source.generation = generation;
    } else if (previous != NO_TIMESTAMP) {
      source.span += value - previous;
    }
    source.last90k = value;
    last90k = value;
    return value;
  }

  /**
   * A discontinuity_indicator on {@code context}'s PID: emits one {@link Discontinuity} per event, however
   * many PIDs of the program carry the indicator (those within {@link #SIGNALLED_EVENT_PACKETS} packets of
   * the first one that had not yet seen this event belong to it).
   *
   * @param packetIndex index of the packet in the stream
   */
  void onSignalled(PidContext context, long packetIndex, DiscontinuityPlacer out) throws MediaException {
    if (context.signalledGeneration < signalledEvents && packetIndex - signalledAtPacket <= SIGNALLED_EVENT_PACKETS) {
      context.signalledGeneration = signalledEvents; // another PID already announced this event
      return;
    }
    signalledEvents++;
    signalledAtPacket = packetIndex;
    context.signalledGeneration = signalledEvents;
    generation++;
    eventNext90k = NO_TIMESTAMP;
    discontinuities++;
    out.schedule(new Discontinuity(Discontinuity.Reason.SIGNALLED, last90k, NO_TIMESTAMP));
  }
}
