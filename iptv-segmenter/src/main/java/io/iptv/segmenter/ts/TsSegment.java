package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import java.util.List;
import java.util.Objects;

/**
 * One finished MPEG-TS segment of a {@link TsMuxer}: its bytes and where its keyframes are. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * muxer.startSegment();
 * for (MediaSample s : samples) { muxer.write(s); }
 * TsSegment segment = muxer.finishSegment();
 * store.put("seg42.ts", segment.bytes());
 * }</pre>
 *
 * @param bytes the whole segment, a multiple of 188 bytes, starting with PAT and PMT
 * @param psiLength bytes of PAT and PMT at the start (for {@code EXT-X-MAP} with a byte range)
 * @param keyframes the keyframe access units of the video tracks, in the order written
 */
public record TsSegment(ByteSlice bytes, int psiLength, List<KeyframeRange> keyframes) {
  /** Validates and copies. */
  public TsSegment {
    Objects.requireNonNull(bytes, "bytes");
    keyframes = List.copyOf(keyframes);
  }
}
