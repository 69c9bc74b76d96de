package io.iptv.segmenter.mp4;

import io.iptv.core.media.TrackFormat;

/**
 * A decoded sample description: the track format announced to consumers and how its samples are turned
 * into elementary-stream form.
 *
 * @param format the track format
 * @param converter the sample payload conversion
 */
record TrackSetup(TrackFormat format, PayloadConverter converter) {}
