package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.mp4.Mp4Demuxer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The sample-copy path of {@link HlsFilePackager} for MP4 input and fMP4 (CMAF) output: the samples of a CMAF
 * segment are the MP4 file's own bytes (4-byte NAL lengths, raw AAC, Dolby sync frames), so a segment is its
 * {@code styp} + {@code moof} + {@code mdat} header, built by the usual writer from the samples' timing and sizes,
 * followed by regions of the input file that the sink copies within the kernel. The bytes never pass through the
 * heap, and the output is byte for byte what demuxing (MP4 → elementary stream) and muxing (back to MP4 form)
 * writes.
 *
 * <p>{@link Mp4Demuxer#openForCopy} reads the sample tables as usual (the same timestamps, edit lists and
 * interleaving), emits samples whose payloads are stand-ins of the right length, and tells this class where each
 * sample lies; the packager's chunker, gap filler and fragment writer decide everything else as usual. Per track
 * this class queues the locations in decode order (about 28 bytes per sample, for the samples not yet
 * written) and hands out a segment's regions by
 * matching the segment's samples by decode time. A sample's regions leave out its access unit delimiters and the
 * parameter sets equal to the sample entry's, as the writer does; a sample whose MP4 form is otherwise not its
 * bytes in the file ({@code SampleCopyCheck}: other NAL length sizes, a NAL unit ending in a zero byte, ...)
 * throws {@link NotCopyable}, and the caller packages the file the full way.
 *
 * <p>With sample encryption (cenc, cbcs) the sink cannot copy the bytes as they are: {@link #withBytes} reads a
 * segment's samples from the file, already in MP4 form, and the fragment writer encrypts them ({@code
 * SampleData.MP4_FORM}) — still without the demuxer's and the writer's conversions to Annex B and back (an MP4
 * → cenc job of 1 GB took about 0.75 of the time of the muxed path, with the same bytes).
 *
 * <p>Not thread-safe: {@link #feed}, {@link #regions}, {@link #withBytes} and {@link #release} run on the
 * packaging thread; the channel is read by the sink's writer threads with positional reads, until {@link #close}.
 *
 * <pre>{@code
 * try (Mp4SampleCopier copier = Mp4SampleCopier.open(input)) {
 *   packager = HlsPackager.builder()....segmentFormat(SegmentFormat.FMP4).sampleCopier(copier).build(sink);
 *   copier.feed(packager);   // the packager asks copier.regions(...) for each segment
 * }
 * }</pre>
 */
final class Mp4SampleCopier implements Mp4Demuxer.SampleCopier, AutoCloseable {
  private final Path input;
  private final FileChannel channel;
  private final Map<Integer, Locations> tracks = new HashMap<>();
  /** The samples' bytes of the last {@link #withBytes} call. */
  private byte[] staging = new byte[0];

  private Mp4SampleCopier(Path input, FileChannel channel) {
    this.input = input;
    this.channel = channel;
  }

  /** Opens {@code input} for reading (the sink copies from it until {@link #close}). */
  static Mp4SampleCopier open(Path input) throws IOException {
    return new Mp4SampleCopier(input, FileChannel.open(input, StandardOpenOption.READ));
  }

  /** The input file, for the regions; open until {@link #close}. */
  FileChannel channel() {
    return channel;
  }

  /** Demuxes the input in copy mode into {@code out} (the packager), ending with its EndOfStream. */
  void feed(Emitter out) throws MediaException {
    try (Mp4Demuxer demuxer = Mp4Demuxer.openForCopy(input, this)) {
      demuxer.readAll(out);
    }
  }

  @Override
  public void sample(int trackId, long dts90k, long[] pieces, int count) {
    tracks.computeIfAbsent(trackId, id -> new Locations()).add(dts90k, pieces, count);
  }

  @Override
  public void notCopyable(String why) {
    throw new NotCopyable(why);
  }

  /**
   * The file regions that hold, in order, the samples of {@code chunk} whose track {@code ofTrack} accepts (one
   * rendition's), adjacent ones merged. Their locations are used up; samples the packager left out before them
   * (none, for input that stays on this path) are skipped.
   */
  List<SegmentSink.FileRegion> regions(Chunk chunk, IntPredicate ofTrack) {
    List<SegmentSink.FileRegion> regions = new ArrayList<>();
    for (MediaSample s : chunk.samples()) {
      if (!ofTrack.test(s.trackId())) {
        continue;
      }
      Locations track = tracks.get(s.trackId());
      int i = track == null ? -1 : track.find(s.dts90k());
      if (i < 0 || track.length(i) != s.data().length()) {
        throw new NotCopyable("track " + s.trackId() + ": a sample at dts " + s.dts90k() + " the copier did not emit");
      }
      for (int p = track.firstPiece[i]; p < track.firstPiece[i + 1]; p++) {
        FileRegions.append(regions, track.pieces[2 * p], track.pieces[2 * p + 1]);
      }
      track.head = i + 1;
    }
    return regions;
  }

  /**
   * {@code chunk} with, instead of the stand-ins, the MP4-form bytes of the samples whose track {@code ofTrack}
   * accepts (one rendition's; the other tracks' samples are left out), read from the file: for a fragment writer
   * that encrypts them ({@code SampleData.MP4_FORM}). Their locations are used up as by {@link #regions}. The bytes
   * are in an array of this copier's that the next call reuses: use the chunk before calling again.
   */
  Chunk withBytes(Chunk chunk, IntPredicate ofTrack) throws MediaException {
    List<SegmentSink.FileRegion> regions = regions(chunk, ofTrack);
    long total = 0;
    for (SegmentSink.FileRegion r : regions) {
      total += r.length();
    }
    if (total > Integer.MAX_VALUE - 64) {
      throw new NotCopyable("a segment over 2 GB");
    }
    if (staging.length < total) {
      staging = new byte[(int) Math.min(Integer.MAX_VALUE - 64, Math.max(total, staging.length + staging.length / 2))];
    }
    ByteBuffer into = ByteBuffer.wrap(staging, 0, (int) total);
    for (SegmentSink.FileRegion r : regions) {
      long offset = r.offset();
      long end = offset + r.length();
      into.limit(into.position() + (int) r.length());
      try {
        offset = FileRegions.readFully(channel, offset, into);
        if (offset < end) {
          throw MediaException.of(MediaException.Kind.TRUNCATED, input.getFileName() + " ends at " + offset
              + ", before a sample that ends at " + end);
        }
      } catch (IOException e) {
        throw MediaException.of(MediaException.Kind.IO, "cannot read " + input.getFileName() + ": " + e.getMessage(),
            e);
      }
    }
    List<MediaSample> samples = new ArrayList<>();
    int at = 0;
    for (MediaSample s : chunk.samples()) {
      if (ofTrack.test(s.trackId())) {
        int length = s.data().length();
        samples.add(new MediaSample(s.trackId(), s.pts90k(), s.dts90k(), s.keyframe(),
            ByteSlice.wrap(staging, at, length)));
        at += length;
      }
    }
    return new Chunk(chunk.sequence(), chunk.period(), chunk.discontinuity(), chunk.start90k(),
        chunk.duration90k(), samples);
  }

  /**
   * Forgets the locations of {@code chunk}'s samples (also of tracks no rendition copies), once every rendition
   * took its regions.
   */
  void release(Chunk chunk) {
    Map<Integer, Long> last = new HashMap<>();
    for (MediaSample s : chunk.samples()) {
      last.merge(s.trackId(), s.dts90k(), Math::max);
    }
    for (Map.Entry<Integer, Long> e : last.entrySet()) {
      Locations track = tracks.get(e.getKey());
      if (track != null) {
        track.dropThrough(e.getValue());
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * One track's sample locations in decode order, from {@link #head} on not yet used: sample i is the pieces
   * {@code firstPiece[i]} to {@code firstPiece[i + 1]} (offset, length pairs in {@link #pieces}).
   */
  private static final class Locations {
    long[] dts90k = new long[256];
    int[] firstPiece = new int[257];
    long[] pieces = new long[512];
    int head;
    int count;

    void add(long dts, long[] from, int pieceCount) {
      if (count > 0 && head > count / 2) {
        compact();
      }
      if (count + 1 == dts90k.length) {
        dts90k = java.util.Arrays.copyOf(dts90k, 2 * dts90k.length);
        firstPiece = java.util.Arrays.copyOf(firstPiece, 2 * firstPiece.length);
      }
      int at = firstPiece[count];
      if (2 * (at + pieceCount) > pieces.length) {
        pieces = java.util.Arrays.copyOf(pieces, Math.max(2 * pieces.length, 2 * (at + pieceCount)));
      }
      System.arraycopy(from, 0, pieces, 2 * at, 2 * pieceCount);
      dts90k[count] = dts;
      firstPiece[++count] = at + pieceCount;
    }

    /** Drops the used samples, so that the arrays hold about a segment's worth. */
    private void compact() {
      int base = firstPiece[head];
      System.arraycopy(pieces, 2 * base, pieces, 0, 2 * (firstPiece[count] - base));
      System.arraycopy(dts90k, head, dts90k, 0, count - head);
      for (int i = head; i <= count; i++) {
        firstPiece[i - head] = firstPiece[i] - base;
      }
      count -= head;
      head = 0;
    }

    long length(int i) {
      long total = 0;
      for (int p = firstPiece[i]; p < firstPiece[i + 1]; p++) {
        total += pieces[2 * p + 1];
      }
      return total;
    }

    /** The index of the first unused sample with decode time {@code dts}, skipping earlier ones; -1 if none. */
    int find(long dts) {
      for (int i = head; i < count && dts90k[i] <= dts; i++) {
        if (dts90k[i] == dts) {
          return i;
        }
      }
      return -1;
    }

    void dropThrough(long dts) {
      while (head < count && dts90k[head] <= dts) {
        head++;
      }
    }
  }
}
