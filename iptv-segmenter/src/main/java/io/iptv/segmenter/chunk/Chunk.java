package io.iptv.segmenter.chunk;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.MediaSample;
import java.util.List;

/**
 * One segment's worth of samples of a program, as cut by a {@link Chunker}: every track's samples whose
 * timestamps fall into {@code [start90k, start90k + duration90k)}, ordered by decode time (stable: decode
 * order within a track is kept). Immutable.
 *
 * <pre>{@code
 * chunker = new Chunker(policy, chunk -> {
 *   muxer.startSegment();
 *   for (MediaSample s : chunk.samples()) { muxer.write(s); }
 *   store(chunk.sequence(), muxer.finishSegment());
 * });
 * }</pre>
 *
 * @param sequence 0 for the first chunk of the stream, then +1 per chunk
 * @param period the number of discontinuities before this chunk (its discontinuity sequence)
 * @param discontinuity whether a discontinuity precedes this chunk (the first of a new period, not the
 *     first chunk of the stream)
 * @param start90k presentation start on the unwrapped timeline
 * @param duration90k duration (the start of the next chunk of the same period, or the end of the last sample)
 * @param samples the samples, in decode-time order
 */
public record Chunk(long sequence, int period, boolean discontinuity, long start90k, long duration90k,
    List<MediaSample> samples) {
  /** Validates and copies. */
  public Chunk {
    samples = List.copyOf(samples);
    Preconditions.requireArgument(duration90k >= 0, "negative chunk duration %d", duration90k);
  }
}
