package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import io.iptv.core.time.Timestamps;

/**
 * What a track's edit list ({@code elst}, ISO/IEC 14496-12 §8.6.6) does to its timeline, reduced to the
 * part that matters when every sample is kept: leading empty edits delay the track, the first non-empty
 * edit's {@code media_time} says which media time is presented first.
 *
 * <p>A sample with media composition time {@code ct} is presented at {@code ct + shift} (track timescale),
 * where {@code shift = delay − media_time} and the delay (in movie timescale in the box) is rescaled to the
 * track timescale once, as FFmpeg's mov demuxer does. Later edits (cuts, dwells, repeats) are ignored: all
 * samples are delivered on that one shifted timeline. Immutable.
 *
 * @param delayMovie sum of the leading empty edits ({@code media_time == -1}), movie timescale
 * @param mediaTime media_time of the first non-empty edit (0 without one), track timescale
 * @param editCount number of entries in the box (0 without an edit list)
 */
record EditList(long delayMovie, long mediaTime, int editCount) {
  /** No edit list: the media timeline is the presentation timeline. */
  static final EditList NONE = new EditList(0, 0, 0);

  /** The shift from media to presentation time in track timescale. */
  long shift(long movieTimescale, long trackTimescale) {
    long delay = delayMovie == 0 ? 0 : Timestamps.rescale(delayMovie, movieTimescale, trackTimescale);
    return delay - mediaTime;
  }

  /** Parses an {@code elst} payload. */
  static EditList parse(ByteCursor c) throws MediaException {
    int version = c.readUnsignedByte(); // version (8)
    c.skip(3); // flags (24)
    long count = c.readUnsignedInt(); // entry_count (32)
    Boxes.checkEntries(c, count, version == 1 ? 20 : 12, "elst");
    long delay = 0;
    for (long i = 0; i < count; i++) {
      long segmentDuration = version == 1 ? c.readLong() : c.readUnsignedInt(); // segment_duration
      long mediaTime = version == 1 ? c.readLong() : c.readInt(); // media_time (signed)
      c.skip(4); // media_rate_integer (16), media_rate_fraction (16)
      if (mediaTime == -1) {
        if (segmentDuration < 0 || delay > Long.MAX_VALUE / 4 - segmentDuration) {
          throw MediaException.malformed("elst empty edit duration out of range: " + segmentDuration);
        }
        delay += segmentDuration;
        continue;
      }
      if (mediaTime < 0) {
        throw MediaException.malformed("elst media_time " + mediaTime + " is negative");
      }
      return new EditList(delay, mediaTime, (int) count);
    }
    return new EditList(delay, 0, (int) count);
  }
}
