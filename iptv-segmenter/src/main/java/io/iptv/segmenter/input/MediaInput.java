package io.iptv.segmenter.input;

import io.iptv.core.MediaException;
import io.iptv.core.pipeline.Emitter;

/**
 * A media file read as the library's event stream: TrackAdded events, then samples in decode order
 * (interleaved by DTS across tracks), on the unwrapped 90 kHz timeline, with payloads in elementary-stream
 * form (see {@link io.iptv.core.media.Codec}), ending with EndOfStream.
 *
 * <p>Implementations stream: memory stays bounded whatever the file size. Not thread-safe.
 *
 * <pre>{@code
 * try (MediaInput input = MediaInputs.open(Path.of("movie.mp4"))) {
 *   input.readAll(event -> packager.accept(event));
 * }
 * }</pre>
 */
public interface MediaInput extends AutoCloseable {
  /** Reads the whole input, emitting every event in order. Call once. */
  void readAll(Emitter out) throws MediaException;

  /** Releases the file. Idempotent. */
  @Override
  void close() throws MediaException;
}
