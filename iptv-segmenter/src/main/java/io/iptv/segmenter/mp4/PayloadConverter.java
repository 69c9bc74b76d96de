package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;

/**
 * Turns one MP4 sample into the elementary-stream form {@link io.iptv.core.media.Codec} defines (Annex B
 * for H.264/HEVC, ADTS for AAC, as-is for AC-3/E-AC-3). Implementations are stateless.
 */
@FunctionalInterface
interface PayloadConverter {
  /** Passes sync frames through (AC-3, E-AC-3). */
  PayloadConverter PASSTHROUGH = (sample, length) -> ByteSlice.copyOf(sample, 0, length);

  /** Converts {@code sample[0..length)} into a new immutable slice. */
  ByteSlice convert(byte[] sample, int length) throws MediaException;
}
