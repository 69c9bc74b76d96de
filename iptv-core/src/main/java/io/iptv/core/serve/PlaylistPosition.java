package io.iptv.core.serve;

import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;

/**
 * Where a live media playlist's edge is, read from its text: what a blocking playlist reload compares the
 * request's delivery directives with (RFC 8216bis §6.2.5.2). Only the few tags needed are read; anything
 * unreadable leaves the defaults. Immutable.
 *
 * @param targetDurationSeconds EXT-X-TARGETDURATION (0 if absent)
 * @param mediaSequence EXT-X-MEDIA-SEQUENCE
 * @param segments complete segments listed, skipped ones (EXT-X-SKIP) included
 * @param trailingParts EXT-X-PART tags after the last segment: parts of the segment in progress
 * @param endList whether EXT-X-ENDLIST is present
 * @param preloadHintUri the EXT-X-PRELOAD-HINT TYPE=PART URI, or null
 */
record PlaylistPosition(long targetDurationSeconds, long mediaSequence, long segments, int trailingParts,
    boolean endList, String preloadHintUri) {

  /** Reads {@code body}. */
  static PlaylistPosition scan(ByteSlice body) {
    String text = new String(body.toByteArray(), StandardCharsets.UTF_8);
    long target = 0;
    long sequence = 0;
    long segments = 0;
    int parts = 0;
    boolean end = false;
    String hint = null;
    int from = 0;
    int n = text.length();
    while (from < n) {
      int eol = text.indexOf('\n', from);
      if (eol < 0) {
        eol = n;
      }
      String line = text.substring(from, eol).strip();
      from = eol + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (!line.startsWith("#")) {
        segments++;
        parts = 0;
      } else if (line.startsWith("#EXT-X-PART:")) {
        parts++;
      } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
        target = number(line.substring(22), 0);
      } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        sequence = number(line.substring(22), 0);
      } else if (line.startsWith("#EXT-X-SKIP:")) {
        segments += number(HlsAttributes.value(line, "SKIPPED-SEGMENTS"), 0);
      } else if (line.equals("#EXT-X-ENDLIST")) {
        end = true;
      } else if (line.startsWith("#EXT-X-PRELOAD-HINT:") && line.contains("TYPE=PART")) {
        hint = HlsAttributes.value(line, "URI");
      }
    }
    return new PlaylistPosition(target, sequence, segments, parts, end, hint);
  }

  /** The Media Sequence Number of the last complete segment (−1 before the first). */
  long lastMsn() {
    return mediaSequence + segments - 1;
  }

  /** Whether the playlist holds segment {@code msn}, or its part {@code part} (≥ 0), or something later. */
  boolean contains(long msn, int part) {
    if (endList || msn <= lastMsn()) {
      return true;
    }
    return part >= 0 && msn == lastMsn() + 1 && part < trailingParts;
  }

  private static long number(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
