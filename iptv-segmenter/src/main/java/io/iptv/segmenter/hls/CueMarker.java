package io.iptv.segmenter.hls;

import java.time.Duration;
import java.util.Objects;

/**
 * One of the widely used (non-RFC) ad-break tags written before a segment: {@code EXT-X-CUE-OUT} on the first
 * segment of a break, {@code EXT-X-CUE-OUT-CONT} on each following segment inside it, {@code EXT-X-CUE-IN} on
 * the first segment after it. Players that do not know them ignore them (RFC 8216 §6.3.1). Immutable.
 *
 * <pre>{@code
 * CueMarker.out(Duration.ofSeconds(30));                            // #EXT-X-CUE-OUT:DURATION=30.000
 * CueMarker.cont(Duration.ofSeconds(6), Duration.ofSeconds(30));    // #EXT-X-CUE-OUT-CONT:ElapsedTime=6.000,Duration=30.000
 * CueMarker.in();                                                   // #EXT-X-CUE-IN
 * }</pre>
 *
 * @param kind which tag
 * @param elapsed CONT: time from the start of the break to the start of the segment; otherwise null
 * @param duration OUT and CONT: the break duration, or null when not known
 */
public record CueMarker(Kind kind, Duration elapsed, Duration duration) {
  /** The three tags. */
  public enum Kind {
    /** {@code EXT-X-CUE-OUT}: the break starts with this segment. */
    OUT,
    /** {@code EXT-X-CUE-OUT-CONT}: the segment is inside the break. */
    CONT,
    /** {@code EXT-X-CUE-IN}: the break ended; this segment is back on the network. */
    IN
  }

  /** Validates. */
  public CueMarker {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.CONT) {
      Objects.requireNonNull(elapsed, "elapsed");
    }
  }

  /** {@code EXT-X-CUE-OUT}, with the break duration or null. */
  public static CueMarker out(Duration duration) {
    return new CueMarker(Kind.OUT, null, duration);
  }

  /** {@code EXT-X-CUE-OUT-CONT}. */
  public static CueMarker cont(Duration elapsed, Duration duration) {
    return new CueMarker(Kind.CONT, elapsed, duration);
  }

  /** {@code EXT-X-CUE-IN}. */
  public static CueMarker in() {
    return new CueMarker(Kind.IN, null, null);
  }
}
