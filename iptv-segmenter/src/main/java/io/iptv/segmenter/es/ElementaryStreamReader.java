package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;

/**
 * Turns the reassembled payload units of one elementary stream into {@link io.iptv.core.media.MediaSample}s
 * (and format events): the third level of TS parsing, after packets and PES/section reassembly.
 *
 * <p>Call order: any number of {@link #consume}, with {@link #seek} after lost data, then {@link #flush} once
 * at end of stream. A reader emits {@code TrackAdded} with its {@link TrackFormat} before its first sample
 * and {@code TrackChanged} when the format changes. It must tolerate any content (only
 * {@link MediaException} may escape), keep bounded memory, and copy whatever it keeps of {@code data},
 * which the caller reuses. Not thread-safe: one reader per PID, on the demuxer's thread.
 *
 * <pre>{@code
 * ElementaryStreamReader reader = ElementaryStreamReaders.create(info, programClock);
 * reader.consume(pesPayload, 0, length, pts90k, dts90k, randomAccess, emitter);
 * reader.flush(emitter);
 * }</pre>
 */
public interface ElementaryStreamReader {

  /** How the TS layer must reassemble this stream's packets. */
  enum PayloadFormat {
    /** PES packets (ISO/IEC 13818-1 §2.4.3.6): {@link #consume} gets one PES payload each time. */
    PES,
    /** PSI-style sections (SCTE-35): {@link #consume} gets one whole section each time, without timestamps. */
    SECTIONS
  }

  /** How this reader's payload is framed in the transport stream. */
  default PayloadFormat payloadFormat() {
    return PayloadFormat.PES;
  }

  /**
   * Consumes one complete payload unit.
   *
   * @param data buffer holding the unit; only valid during this call
   * @param offset start of the unit in {@code data}
   * @param length length of the unit
   * @param pts90k the PES PTS on the program's unwrapped timeline, or {@code Timestamps.NO_TIMESTAMP}
   * @param dts90k the PES DTS (equal to {@code pts90k} when absent), or {@code Timestamps.NO_TIMESTAMP}
   * @param randomAccess the adaptation field's random_access_indicator of the unit's first packet
   * @param out receives the events
   */
  void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess, Emitter out)
      throws MediaException;

  /**
   * Drops partial state after data was lost (continuity gap); the next unit starts afresh. The TS layer
   * calls {@link #flush} first, so units completed from intact payloads are not lost; a reader must stay
   * usable after {@code flush} followed by {@code seek}, and keep what it learned of the format.
   */
  void seek();

  /** Emits whatever is pending (the last access unit) at end of stream. */
  void flush(Emitter out) throws MediaException;

  /** The format emitted so far, or {@code null} before the reader knew it. */
  TrackFormat format();
}
