package io.iptv.core.pipeline;

import io.iptv.core.MediaException;
import io.iptv.core.media.StreamEvent;

/**
 * Receives the events a stage produces, in order, on the stage's thread.
 *
 * <p>An emitter may throw {@link MediaException} to stop the producer (for example when a downstream muxer
 * rejects a sample); the producer passes it on to its caller.
 *
 * <pre>{@code
 * List<StreamEvent> events = new ArrayList<>();
 * TsDemuxer demuxer = TsDemuxer.builder().build(events::add);
 * }</pre>
 */
@FunctionalInterface
public interface Emitter {
  /** Accepts one event. */
  void emit(StreamEvent event) throws MediaException;
}
