package io.iptv.segmenter.es;

import io.iptv.core.io.ByteSlice;

/**
 * Takes back the bytes of samples that a demuxer lent from a pool ({@link SampleBufferPool} for MPEG-TS video
 * access units, {@link io.iptv.segmenter.input.PayloadArrays} for MP4 payloads), once the consumer no longer
 * reads them, so that a long batch job reuses a few megabytes of arrays instead of allocating one per sample. A
 * recycler
 * recognises only the very slices it lent (by identity) and ignores anything else, so several can be chained.
 *
 * <p>Thread-safe implementations: the packaging thread recycles while the demuxing thread lends.
 *
 * <pre>{@code
 * SampleRecycler recycler = tsPool.andThen(mp4Arrays);
 * for (MediaSample s : chunk.samples()) {
 *   recycler.recycle(s.data());   // after every rendition copied the chunk into its segment
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SampleRecycler {
  /**
   * Takes {@code data} back if this recycler lent it and did not take it back yet; otherwise does nothing. Call
   * it only when nothing reads {@code data} any more: its array then carries later samples.
   *
   * @return whether {@code data} was recognised
   */
  boolean recycle(ByteSlice data);

  /** This recycler, then {@code next} for what this one did not recognise. */
  default SampleRecycler andThen(SampleRecycler next) {
    return data -> recycle(data) || next.recycle(data);
  }
}
