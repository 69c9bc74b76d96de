package io.iptv.core.serve;

import java.util.Map;

/** Content types by file extension for the resources this library serves. Internal. */
final class ContentTypes {
  static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
  static final String DASH_MANIFEST = "application/dash+xml";
  static final String OCTET_STREAM = "application/octet-stream";

  private static final Map<String, String> SEGMENT_TYPES = Map.of(
      "ts", "video/mp2t",           // RFC 8216 §3.2
      "m4s", "video/iso.segment",   // RFC 8216 §3.3 / ISO/IEC 23009-1 Annex C
      "mp4", "video/mp4",
      "m4a", "audio/mp4",
      "m4v", "video/mp4",
      "aac", "audio/aac",           // RFC 8216 §3.4 packed audio
      "ac3", "audio/ac3",
      "ec3", "audio/eac3",
      "vtt", "text/vtt",            // RFC 8216 §3.5
      "webvtt", "text/vtt");

  private ContentTypes() {}

  static boolean isSegmentExtension(String extension) {
    return SEGMENT_TYPES.containsKey(extension);
  }

  /** The content type of {@code key}. */
  static String of(ResourceKey key) {
    switch (key.kind()) {
      case MULTIVARIANT:
      case PLAYLIST:
        return HLS_PLAYLIST;
      case MANIFEST:
        return DASH_MANIFEST;
      case KEY:
        return OCTET_STREAM;
      case LICENSE:
        return "application/json";
      default:
        return SEGMENT_TYPES.getOrDefault(key.extension(), OCTET_STREAM);
    }
  }
}
