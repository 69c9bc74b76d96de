package io.iptv.segmenter.pkg;

import io.iptv.segmenter.hls.BandwidthCalculator;
import io.iptv.segmenter.hls.ByteRange;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one rendition's I-frame-only Media Playlist (RFC 8216 §4.3.3.6 {@code EXT-X-I-FRAMES-ONLY}):
 * per keyframe an {@code EXTINF} (time to the next keyframe, §4.3.3.6) and an {@code EXT-X-BYTERANGE} into the
 * media segment that holds it. It lists the keyframes of exactly the segments the normal playlist lists: when a
 * segment leaves the live window, its keyframes leave too, and {@code EXT-X-MEDIA-SEQUENCE} /
 * {@code EXT-X-DISCONTINUITY-SEQUENCE} count the I-frame entries that left.
 *
 * <p>Not thread-safe (one per {@link RenditionWriter}).
 */
final class IFramePlaylistWindow {
  private final MediaPlaylist.PlaylistType type;
  private final ArrayDeque<List<MediaSegment>> perSegment = new ArrayDeque<>();
  private long mediaSequence;
  private long discontinuitySequence;

  IFramePlaylistWindow(MediaPlaylist.PlaylistType type) {
    this.type = type;
  }

  /**
   * Adds the keyframes of one segment.
   *
   * @param uri the segment's URI
   * @param map the EXT-X-MAP the keyframes need (fMP4 init segment; TS: the segment's own PAT/PMT packets)
   * @param discontinuity whether the segment starts a discontinuity
   * @param frames the keyframes with their durations, in presentation order
   */
  void addSegment(String uri, MediaInitialization map, boolean discontinuity, List<Frame> frames) {
    List<MediaSegment> entries = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      entries.add(MediaSegment.builder(f.duration(), uri)
          .discontinuity(discontinuity && i == 0)
          .byteRange(new ByteRange(f.length(), f.offset()))
          .map(map)
          .build());
    }
    perSegment.addLast(entries);
  }

  /** Drops the keyframes of the oldest segment (it left the normal playlist's window). */
  void removeOldestSegment() {
    List<MediaSegment> gone = perSegment.pollFirst();
    if (gone == null) {
      return;
    }
    for (MediaSegment s : gone) {
      mediaSequence++;
      if (s.discontinuity()) {
        discontinuitySequence++;
      }
    }
  }

  /**
   * Durations and byte-range lengths of the listed I-frames (bandwidth): every one for VOD and EVENT, the
   * window's for LIVE, so a LIVE packager's memory stays bounded.
   */
  List<BandwidthCalculator.SegmentSize> sizes() {
    List<BandwidthCalculator.SegmentSize> out = new ArrayList<>();
    for (List<MediaSegment> segment : perSegment) {
      for (MediaSegment s : segment) {
        out.add(new BandwidthCalculator.SegmentSize(s.duration(), s.byteRange().length()));
      }
    }
    return out;
  }

  /** Whether no keyframe is listed. */
  boolean isEmpty() {
    return perSegment.stream().allMatch(List::isEmpty);
  }

  /** A snapshot as a playlist; {@code targetDuration} 0 computes it from the entries. */
  MediaPlaylist playlist(int targetDuration, boolean endList) {
    List<MediaSegment> all = new ArrayList<>();
    perSegment.forEach(all::addAll);
    MediaPlaylist.Builder b = MediaPlaylist.builder()
        .mediaSequence(mediaSequence)
        .discontinuitySequence(discontinuitySequence)
        .playlistType(type)
        .iFramesOnly(true)
        .independentSegments(true)
        .endList(endList)
        .addSegments(all);
    if (targetDuration > 0) {
      b.targetDuration(targetDuration);
    }
    return b.build();
  }

  /**
   * One keyframe in a segment.
   *
   * @param duration until the next keyframe (or the segment's end)
   * @param offset first byte in the segment
   * @param length bytes
   */
  record Frame(Duration duration, long offset, long length) {}
}
