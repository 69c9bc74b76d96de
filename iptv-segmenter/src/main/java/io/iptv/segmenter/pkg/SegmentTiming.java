package io.iptv.segmenter.pkg;

/**
 * Where one segment of a packaged program lies on its timeline: what ABR renditions must share.
 *
 * @param sequence media sequence number
 * @param discontinuitySequence the period (number of discontinuities before it)
 * @param start90k start on the unwrapped 90 kHz timeline
 * @param duration90k duration in 90 kHz ticks
 */
public record SegmentTiming(long sequence, int discontinuitySequence, long start90k, long duration90k) {}
