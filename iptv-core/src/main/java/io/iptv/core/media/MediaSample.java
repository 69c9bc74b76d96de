package io.iptv.core.media;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.time.Timestamps;
import java.util.Objects;

/**
 * One access unit (a video picture, an audio frame, a metadata item) of one track, with its timestamps on
 * the unwrapped 64-bit 90 kHz timeline of its program (see {@link io.iptv.core.time.PtsUnwrapper}).
 *
 * <p>A missing DTS equals the PTS. The payload keeps the elementary-stream form of the codec (see
 * {@link Codec}). Immutable and thread-safe; it is itself a {@link StreamEvent}, so the hot path allocates
 * one object per sample.
 *
 * <pre>{@code
 * if (event instanceof MediaSample s && s.keyframe()) {
 *   System.out.println(s.trackId() + " key at " + Timestamps.toDuration(s.pts90k()));
 * }
 * }</pre>
 *
 * @param trackId the track ({@link TrackFormat#trackId()})
 * @param pts90k presentation time, 90 kHz, unwrapped
 * @param dts90k decode time, 90 kHz, unwrapped (equals {@code pts90k} when the source has none)
 * @param keyframe whether decoding can start here (IDR/IRAP, recovery point, every audio frame)
 * @param data the payload
 */
public record MediaSample(int trackId, long pts90k, long dts90k, boolean keyframe, ByteSlice data)
    implements StreamEvent {

  /** Validates. */
  public MediaSample {
    Objects.requireNonNull(data, "data");
    if (pts90k == Timestamps.NO_TIMESTAMP || dts90k == Timestamps.NO_TIMESTAMP) {
      throw new IllegalArgumentException("sample of track " + trackId + " without timestamp");
    }
  }

  /** Payload size in bytes. */
  public int sizeBytes() {
    return data.length();
  }
}
