package io.iptv.segmenter.chunk;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.time.Timestamps;
import java.time.Duration;

/**
 * Where a {@link Chunker} cuts: the consistent-chunking rule and its tolerances. Immutable.
 *
 * <p><b>Rule.</b> A segment ends at the first keyframe of the lead track (the first video track, else the
 * first audio track, whose every frame is a keyframe) at or after the next multiple of
 * {@code segmentDuration} on the program timeline, counted from the fixed origin 0 of the unwrapped 90 kHz
 * timeline. Because the origin does not depend on where an input starts, renditions whose keyframes are
 * aligned get identical cuts, sequence numbers and discontinuity sequences (Shaka Packager's
 * {@code ChunkingHandler} does the same with {@code timestamp / segment_duration}).
 *
 * <p><b>Tail.</b> With {@code mergeShortTail}, the last segment of a period (before end of stream or a
 * discontinuity) that is shorter than half the segment duration is merged into the one before it when the
 * merged duration, rounded, is not above the target so far (shaka#1496: no tiny trailing segments). This
 * holds one finished segment back, so it is meant for VOD.
 *
 * <pre>{@code
 * ChunkingPolicy policy = ChunkingPolicy.of(Duration.ofSeconds(6)).withMergeShortTail(true);
 * }</pre>
 *
 * @param segmentDuration90k the target segment duration in 90 kHz ticks
 * @param mergeShortTail whether to merge a short last segment of a period into the previous one
 * @param maxInterleave90k how long a segment waits for lagging tracks (audio muxed late) before it is
 *     closed anyway; samples that arrive later still go to the oldest open segment (never lost)
 */
public record ChunkingPolicy(long segmentDuration90k, boolean mergeShortTail, long maxInterleave90k) {
  /** Validates. */
  public ChunkingPolicy {
    Preconditions.requireArgument(segmentDuration90k >= Timestamps.TICKS_PER_SECOND / 10,
        "segment duration %d ticks is below 100 ms", segmentDuration90k);
    Preconditions.requireArgument(maxInterleave90k >= 0, "negative maxInterleave");
  }

  /** The rule for {@code segmentDuration}, no tail merging, 5 s interleave tolerance. */
  public static ChunkingPolicy of(Duration segmentDuration) {
    return new ChunkingPolicy(Timestamps.fromDuration(segmentDuration), false, 5 * Timestamps.TICKS_PER_SECOND);
  }

  /** A copy with tail merging switched on or off. */
  public ChunkingPolicy withMergeShortTail(boolean value) {
    return new ChunkingPolicy(segmentDuration90k, value, maxInterleave90k);
  }

  /** The first cut candidate after {@code time90k}: the next multiple of the segment duration. */
  public long nextBoundary(long time90k) {
    return (Math.floorDiv(time90k, segmentDuration90k) + 1) * segmentDuration90k;
  }
}
