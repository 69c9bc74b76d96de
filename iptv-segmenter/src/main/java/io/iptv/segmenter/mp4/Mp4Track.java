package io.iptv.segmenter.mp4;

import io.iptv.core.media.TrackFormat;

/**
 * One supported track of an MP4 file: its format, timescale, edit-list shift, sample table and fragment
 * defaults. Immutable.
 *
 * @param setup format and payload conversion
 * @param timescale the media timescale ({@code mdhd})
 * @param shift media-to-presentation shift in track timescale (see {@link EditList#shift})
 * @param table the samples listed in {@code moov} (empty for fragmented files)
 * @param defaults the fragment defaults ({@code trex})
 */
record Mp4Track(TrackSetup setup, long timescale, long shift, SampleTable table, TrackDefaults defaults) {
  /** The track id ({@code tkhd} track_ID). */
  int trackId() {
    return setup.format().trackId();
  }

  /** The announced format. */
  TrackFormat format() {
    return setup.format();
  }
}
