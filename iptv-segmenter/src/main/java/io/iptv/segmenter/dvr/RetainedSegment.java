package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaSegment;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One segment a packager still keeps in its sink: what a catch-up or timeshift playlist, and a restarted
 * packager, need to list it again. Immutable.
 *
 * <pre>{@code
 * RetainedSegment s = new RetainedSegment(42, "seg-00042.ts", 180_000, pdt, false, 3, 412_000, null);
 * s.end();   // pdt + 2 s
 * }</pre>
 *
 * @param sequence the media sequence number
 * @param uri the segment's URI relative to its rendition playlist
 * @param duration90k the EXTINF duration, 90 kHz
 * @param programDateTime its {@code EXT-X-PROGRAM-DATE-TIME}, or null when the packager writes none
 * @param discontinuity whether {@code EXT-X-DISCONTINUITY} precedes it
 * @param discontinuitySequence the number of discontinuity tags before this segment in the whole stream
 *     (not counting its own): a playlist starting with it has this {@code EXT-X-DISCONTINUITY-SEQUENCE}
 *     (RFC 8216 §4.3.3.3)
 * @param bytes the segment's size
 * @param key the {@code EXT-X-KEY} in force for it (URI as written in its playlist), or null when clear
 * @param initUri fMP4: the init segment it needs ({@code EXT-X-MAP} URI relative to its playlist; a restarted
 *     packager or a slate may have switched it), or null (MPEG-TS, or the rendition's {@code init.mp4})
 */
public record RetainedSegment(long sequence, String uri, long duration90k, OffsetDateTime programDateTime,
    boolean discontinuity, long discontinuitySequence, long bytes, HlsKey key, String initUri) {

  /** A segment without an init segment of its own (MPEG-TS, or the rendition's only {@code init.mp4}). */
  public RetainedSegment(long sequence, String uri, long duration90k, OffsetDateTime programDateTime,
      boolean discontinuity, long discontinuitySequence, long bytes, HlsKey key) {
    this(sequence, uri, duration90k, programDateTime, discontinuity, discontinuitySequence, bytes, key, null);
  }

  /** Validates. */
  public RetainedSegment {
    Objects.requireNonNull(uri, "uri");
    Preconditions.requireArgument(sequence >= 0 && discontinuitySequence >= 0, "negative sequence");
    Preconditions.requireArgument(duration90k >= 0 && bytes >= 0, "negative duration or size");
    Preconditions.requireArgument(!uri.isEmpty() && uri.indexOf('|') < 0 && uri.indexOf('\n') < 0,
        "invalid uri '%s'", uri);
    Preconditions.requireArgument(initUri == null || initUri.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*"), "invalid init uri '%s'",
        initUri);
  }

  /** The wall-clock end (PDT + duration), or null without PDT. */
  public Instant end() {
    return programDateTime == null ? null
        : programDateTime.toInstant().plus(Timestamps.toDuration(duration90k));
  }

  /** The wall-clock start, or null without PDT. */
  public Instant start() {
    return programDateTime == null ? null : programDateTime.toInstant();
  }

  /** As a playlist entry (with its {@code EXT-X-MAP} when {@link #initUri} is set). */
  public MediaSegment toMediaSegment() {
    return MediaSegment.builder(Timestamps.toDuration(duration90k), uri)
        .discontinuity(discontinuity)
        .programDateTime(programDateTime)
        .key(key)
        .map(initUri == null ? null : new MediaInitialization(initUri, null))
        .build();
  }
}
