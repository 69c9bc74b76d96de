package io.iptv.core.media;

/** The kind of content a track carries. */
public enum TrackType {
  /** Pictures. */
  VIDEO,
  /** Sound. */
  AUDIO,
  /** Subtitles or captions. */
  TEXT,
  /** Timed metadata (ID3) or signalling (SCTE-35). */
  METADATA,
  /** Anything the library does not interpret; reported, never decoded. */
  UNKNOWN
}
