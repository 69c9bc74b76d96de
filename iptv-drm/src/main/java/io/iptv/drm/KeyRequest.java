package io.iptv.drm;

import io.iptv.core.media.TrackType;
import java.util.Objects;

/**
 * What a {@link KeyProvider} is asked for: the key of one channel (content id), track type and crypto period.
 * Immutable.
 *
 * <pre>{@code
 * KeyRequest request = new KeyRequest("news", TrackType.VIDEO, 7);
 * }</pre>
 *
 * @param channel the channel or content id (the {@code /{channel}/} of the URL layout)
 * @param trackType the track type the key protects (whole-segment AES-128: the segment's main type)
 * @param cryptoPeriod the crypto period, {@code >= 0} (see {@link KeyRotation})
 */
public record KeyRequest(String channel, TrackType trackType, long cryptoPeriod) {
  /** Validates. */
  public KeyRequest {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(trackType, "trackType");
    if (cryptoPeriod < 0) {
      throw new IllegalArgumentException("negative crypto period " + cryptoPeriod);
    }
  }
}
