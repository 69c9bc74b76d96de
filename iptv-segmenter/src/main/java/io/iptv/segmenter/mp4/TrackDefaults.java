package io.iptv.segmenter.mp4;

/**
 * Per-track sample defaults for fragments, from {@code trex} (ISO/IEC 14496-12 §8.8.3), overridden per
 * fragment by {@code tfhd}.
 *
 * @param duration default_sample_duration
 * @param size default_sample_size
 * @param flags default_sample_flags
 */
record TrackDefaults(long duration, long size, int flags) {
  /** No {@code trex}: zero defaults. */
  static final TrackDefaults NONE = new TrackDefaults(0, 0, 0);
}
