package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.PayloadArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a progressive or fragmented MP4 (ISO/IEC 14496-12 / 14496-14) as the library's event stream:
 * {@code TrackAdded} for every H.264, HEVC, AAC, AC-3, E-AC-3 (and MP3) track, then the samples of all
 * tracks interleaved by decode time, then {@code EndOfStream}. Payloads are converted to elementary-stream
 * form: length-prefixed NAL units to Annex B, raw AAC to ADTS, Dolby and MPEG audio passed through.
 *
 * <h2>Timeline</h2>
 * Every sample's time is computed from its exact time in track timescale (sum of {@code stts} deltas or
 * {@code tfdt} + {@code trun} durations, plus the signed composition offset) and rescaled once to 90 kHz,
 * so there is no drift. Edit lists are applied as a player presents them (see {@link EditList}): leading
 * empty edits delay the track, the first non-empty edit's {@code media_time} shifts it earlier (B-frame
 * composition delay, AAC encoder priming of typically 1024 or 2112 samples). The result is the timeline
 * {@code ffprobe -show_packets} prints for the MP4, where priming frames and the first decode times of a
 * B-frame stream are negative. With negative composition offsets (ctts version 1) decode times are moved
 * earlier by the largest negative offset so that no PTS precedes its DTS (FFmpeg's {@code dts_shift}).
 * MPEG-TS cannot carry negative timestamps, so the whole timeline — all
 * tracks alike, keeping A/V offsets exact — is shifted by the smallest constant that makes every DTS and
 * PTS non-negative ({@code offset90k}, 0 when nothing is negative). Priming samples are kept (not dropped)
 * and start before the first video picture, as in the source.
 *
 * <h2>Memory</h2>
 * The {@code moov} box (at most {@value #MAX_MOOV_BYTES} bytes) is held in its compact on-disk form and
 * walked sample by sample; each {@code moof} (at most {@value #MAX_MOOF_BYTES} bytes) is parsed when
 * reached. Sample bytes are read on demand, one sample at a time (at most {@value #MAX_SAMPLE_BYTES}
 * bytes), never the whole {@code mdat}. Memory is independent of the file size.
 *
 * <h2>Errors</h2>
 * Damaged, truncated or foreign input ends with a {@link MediaException} naming the problem ({@code
 * TRUNCATED}, {@code MALFORMED}, {@code UNSUPPORTED}, {@code LIMIT_EXCEEDED}); samples before the damage
 * have been emitted by then.
 *
 * <p>Not thread-safe; one {@link #readAll} per instance.
 *
 * <pre>{@code
 * try (Mp4Demuxer input = Mp4Demuxer.open(Path.of("movie.mp4"))) {
 *   input.readAll(event -> muxer.accept(event));
 * }
 * }</pre>
 */
public final class Mp4Demuxer implements MediaInput {
  /** Largest {@code moov} box read into memory. */
  public static final int MAX_MOOV_BYTES = 32 << 20;
  /** Largest {@code moof} box read into memory. */
  public static final int MAX_MOOF_BYTES = 16 << 20;
  /** Largest single sample. */
  public static final int MAX_SAMPLE_BYTES = 32 << 20;

  /** Box types that may open an ISO BMFF / QuickTime file (ISO/IEC 14496-12 §4.3, §8.16). */
  private static final java.util.Set<String> FIRST_BOX_TYPES = java.util.Set.of(
      "ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "pdin", "uuid", "sidx", "moof", "meta", "junk", "pnot");

  private final Mp4File file;
  /** Where in-place converted payloads are read into, or null (a new array per sample). */
  private final PayloadArrays arrays;
  private byte[] scratch = new byte[64 * 1024];
  /**
   * Per track_ID, how far decode times are moved earlier so that no PTS precedes its DTS when the file
   * uses negative composition offsets (ctts version 1 / signed trun): −min(composition offset, 0), the
   * {@code compositionToDTSShift} of ISO/IEC 14496-12 §8.6.1.4, as FFmpeg's {@code dts_shift}.
   */
  private final Map<Integer, Long> decodeShift = new HashMap<>();
  private boolean read;
  /** Copy mode ({@link #openForCopy}): where sample locations go, else null. */
  private final SampleCopier copier;
  private final SampleCopyCheck copyCheck;
  /** Copy mode: the tracks whose first sample went out (with its bytes, for AC-3/E-AC-3 set-up). */
  private final java.util.Set<Integer> firstEmitted = new java.util.HashSet<>();
  /** Copy mode: zeros behind the payload stand-ins. */
  private byte[] zeros = new byte[0];

  private Mp4Demuxer(Mp4File file, PayloadArrays arrays, SampleCopier copier) {
    this.file = file;
    this.arrays = arrays;
    this.copier = copier;
    this.copyCheck = copier != null ? new SampleCopyCheck(file) : null;
  }

  /**
   * Told, in copy mode ({@link #openForCopy}), where each emitted sample's bytes are in the file. Called on the
   * thread that runs {@link #readAll}.
   */
  public interface SampleCopier {
    /**
     * The MP4 form of the sample of track {@code trackId} emitted next, with decode time {@code dts90k} — the bytes
     * an fMP4 segment holds for it — is {@code count} regions of the file, in order: {@code pieces[2i]} is the
     * offset of the i-th, {@code pieces[2i + 1]} its length (the sample without its access unit delimiters and
     * repeated parameter sets; mostly one region). {@code pieces} is reused after the call.
     */
    void sample(int trackId, long dts90k, long[] pieces, int count);

    /**
     * A sample whose MP4 form differs from its bytes in the file ({@code why}); the copier throws an unchecked
     * exception to stop {@link #readAll} (which otherwise fails with {@code UNSUPPORTED}).
     */
    void notCopyable(String why);
  }

  /** Opens {@code path}; nothing is parsed until {@link #readAll}. */
  public static Mp4Demuxer open(Path path) throws MediaException {
    return new Mp4Demuxer(Mp4File.open(path), null, null);
  }

  /**
   * Opens {@code path} in copy mode, for a packager that copies the samples' bytes from the file into fMP4
   * segments itself: the same events and timestamps as {@link #open(Path)}, but sample bytes are not read. Each
   * sample's payload is a stand-in of zeros as long as its MP4 form (the first sample of an AC-3/E-AC-3 track is
   * read, for its set-up information: both forms are the same bytes), and {@code copier} learns where the MP4 form
   * is in the file before the sample is emitted. A sample whose MP4 form is not in the file as it is (see {@code
   * SampleCopyCheck}: other NAL length sizes, NAL units the writer would trim) goes to {@link
   * SampleCopier#notCopyable}; only NAL unit headers (and parameter sets) are read to tell.
   */
  public static Mp4Demuxer openForCopy(Path path, SampleCopier copier) throws MediaException {
    return new Mp4Demuxer(Mp4File.open(path), null, java.util.Objects.requireNonNull(copier, "copier"));
  }

  /**
   * As {@link #open(Path)}, video (4-byte NAL lengths) and pass-through payloads read into arrays of {@code
   * arrays} and lent out through it, for a consumer that recycles them (see {@link PayloadArrays}).
   */
  public static Mp4Demuxer open(Path path, PayloadArrays arrays) throws MediaException {
    return new Mp4Demuxer(Mp4File.open(path), java.util.Objects.requireNonNull(arrays, "arrays"), null);
  }

  @Override
  public void readAll(Emitter out) throws MediaException {
    if (read) {
      throw new IllegalStateException("readAll was already called");
    }
    read = true;
    MovieBox movie = parseMovie(readMoov());
    if (movie.tracks().isEmpty()) {
      throw MediaException.unsupported(file.name() + ": no H.264, HEVC, AAC, AC-3 or E-AC-3 track"
          + (movie.skipped().isEmpty() ? "" : "; skipped " + movie.skipped()));
    }
    long offset90k = timelineOffset90k(movie);
    for (Mp4Track track : movie.tracks()) {
      out.emit(new StreamEvent.TrackAdded(track.format()));
    }
    emitSampleTables(movie.tracks(), offset90k, out);
    if (movie.fragmented()) {
      emitFragments(movie.tracks(), offset90k, out);
    }
    out.emit(new StreamEvent.EndOfStream());
  }

  @Override
  public void close() throws MediaException {
    file.close();
  }

  // ---- top level ----------------------------------------------------------------------------------------

  /** Finds the {@code moov} box among the top-level boxes (before or after the media data) and reads it. */
  private byte[] readMoov() throws MediaException {
    if (file.size() == 0) {
      throw MediaException.truncated(file.name() + ": empty file");
    }
    long pos = 0;
    if (file.size() < 8) {
      throw MediaException.malformed(file.name() + ": " + file.size() + " bytes are not an MP4 file");
    }
    BoxHeader first = topLevelBox(0);
    if (!FIRST_BOX_TYPES.contains(first.typeName())) {
      throw MediaException.malformed(file.name() + ": not an MP4 file (first box '" + first.typeName()
          + "' is not an ISO BMFF top-level box)");
    }
    while (file.size() - pos >= 8) {
      BoxHeader box = topLevelBox(pos);
      if (box.is("moov")) {
        if (box.end() > file.size()) {
          throw MediaException.truncated(file.name() + ": moov box at " + pos + " (" + box.size()
              + " bytes) extends past the end of the file (" + file.size() + " bytes): truncated file");
        }
        if (box.size() > MAX_MOOV_BYTES) {
          throw MediaException.limitExceeded(file.name() + ": moov box of " + box.size() + " bytes exceeds "
              + MAX_MOOV_BYTES);
        }
        byte[] moov = new byte[(int) box.size()];
        file.readFully(pos, moov, 0, moov.length);
        return moov;
      }
      if (box.end() > file.size()) {
        throw MediaException.truncated(file.name() + ": no moov box before the file ends inside '"
            + box.typeName() + "' at " + pos + " (declared " + box.size() + " bytes, file has "
            + file.size() + "): truncated file");
      }
      pos = box.end();
    }
    throw MediaException.malformed(file.name() + ": no moov box (not a complete MP4 file)");
  }

  /** Reads and checks the top-level box header at {@code pos}. */
  private BoxHeader topLevelBox(long pos) throws MediaException {
    int available = (int) Math.min(16, file.size() - pos);
    byte[] head = new byte[16];
    file.readFully(pos, head, 0, available);
    BoxHeader box;
    try {
      box = BoxHeader.parse(head, available, pos, file.size());
    } catch (MediaException e) {
      throw MediaException.malformed(file.name() + ": invalid box at offset " + pos + ": " + e.getMessage());
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      int ch = (box.type() >>> shift) & 0xFF;
      if (ch < 0x20 || ch > 0x7E) {
        throw MediaException.malformed(file.name() + ": no valid box at offset " + pos + " (type bytes "
            + String.format("%08x", box.type()) + "): not an MP4 file or damaged");
      }
    }
    return box;
  }

  private MovieBox parseMovie(byte[] moov) throws MediaException {
    try {
      return MovieBox.parse(moov);
    } catch (MediaException e) {
      throw MediaException.of(e.kind(), file.name() + ": moov: " + e.getMessage(), e);
    } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException e) {
      // Defence in depth: every table is bounds-checked, but a damaged moov must never escape unchecked.
      throw MediaException.of(MediaException.Kind.MALFORMED, file.name() + ": damaged moov: " + e, e);
    }
  }

  private Map<Integer, List<SampleRef>> parseFragment(byte[] moof, long start, Map<Integer, Mp4Track> tracks,
      Map<Integer, Long> nextDts) throws MediaException {
    try {
      return MovieFragment.parse(moof, start, tracks, nextDts);
    } catch (MediaException e) {
      throw MediaException.of(e.kind(), file.name() + ": moof at " + start + ": " + e.getMessage(), e);
    } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException e) {
      throw MediaException.of(MediaException.Kind.MALFORMED, file.name() + ": damaged moof at " + start + ": " + e, e);
    }
  }

  // ---- timeline -----------------------------------------------------------------------------------------

  /**
   * The constant added to every timestamp so that none is negative: minus the earliest presentation or
   * decode time of any track (after edit lists), or 0. For fragmented tracks the first fragment that
   * carries the track decides.
   */
  private long timelineOffset90k(MovieBox movie) throws MediaException {
    long earliest90k = 0;
    Map<Integer, Mp4Track> pending = new LinkedHashMap<>();
    for (Mp4Track track : movie.tracks()) {
      if (track.table().sampleCount() > 0) {
        // the first DTS in a sample table is 0; negative composition offsets move every DTS earlier
        long dtsShift = -Math.min(0, track.table().minCompositionOffset());
        decodeShift.put(track.trackId(), dtsShift);
        long first = track.shift() - dtsShift;
        earliest90k = Math.min(earliest90k, to90k(first, track));
      } else {
        pending.put(track.trackId(), track);
      }
    }
    if (movie.fragmented() && !pending.isEmpty()) {
      Map<Integer, Long> nextDts = new HashMap<>();
      long pos = 0;
      while (!pending.isEmpty() && file.size() - pos >= 8) {
        BoxHeader box = topLevelBox(pos);
        if (box.end() > file.size()) {
          break; // reported by the main pass
        }
        if (box.is("moof")) {
          Map<Integer, List<SampleRef>> fragment = parseFragment(readMoof(box), pos, pending, nextDts);
          for (Map.Entry<Integer, List<SampleRef>> e : fragment.entrySet()) {
            Mp4Track track = pending.get(e.getKey());
            if (track != null && !e.getValue().isEmpty()) {
              long minCto = 0;
              for (SampleRef s : e.getValue()) {
                minCto = Math.min(minCto, s.compositionOffset());
              }
              decodeShift.put(track.trackId(), -minCto);
              long first = e.getValue().get(0).dts() + track.shift() + minCto;
              earliest90k = Math.min(earliest90k, to90k(first, track));
              pending.remove(e.getKey());
            }
          }
        }
        pos = box.end();
      }
    }
    return -earliest90k;
  }

  private long to90k(long trackTime, Mp4Track track) throws MediaException {
    try {
      return Timestamps.rescale(trackTime, track.timescale(), Timestamps.TICKS_PER_SECOND);
    } catch (ArithmeticException e) {
      throw MediaException.malformed(file.name() + ": track " + track.trackId() + ": time " + trackTime
          + " out of range");
    }
  }

  // ---- samples ------------------------------------------------------------------------------------------

  /** Emits the samples listed in the {@code moov} sample tables, interleaved by decode time. */
  private void emitSampleTables(List<Mp4Track> tracks, long offset90k, Emitter out) throws MediaException {
    int n = tracks.size();
    SampleTable.Cursor[] cursors = new SampleTable.Cursor[n];
    SampleRef[] heads = new SampleRef[n];
    long[] headDts90k = new long[n];
    for (int i = 0; i < n; i++) {
      cursors[i] = tracks.get(i).table().cursor();
      advance(tracks.get(i), cursors[i], heads, headDts90k, i);
    }
    while (true) {
      int next = -1;
      for (int i = 0; i < n; i++) {
        if (heads[i] != null && (next < 0 || headDts90k[i] < headDts90k[next])) {
          next = i;
        }
      }
      if (next < 0) {
        return;
      }
      emitSample(tracks.get(next), heads[next], offset90k, out);
      advance(tracks.get(next), cursors[next], heads, headDts90k, next);
    }
  }

  private void advance(Mp4Track track, SampleTable.Cursor cursor, SampleRef[] heads, long[] headDts90k, int i)
      throws MediaException {
    if (!cursor.hasNext()) {
      heads[i] = null;
      return;
    }
    try {
      heads[i] = cursor.next();
    } catch (MediaException e) {
      throw MediaException.of(e.kind(), file.name() + ": track " + track.trackId() + ": " + e.getMessage(), e);
    }
    headDts90k[i] = to90k(decodeTime(heads[i], track), track);
  }

  /** Walks the movie fragments in file order; within each, samples of all tracks go out by decode time. */
  private void emitFragments(List<Mp4Track> trackList, long offset90k, Emitter out) throws MediaException {
    Map<Integer, Mp4Track> tracks = new LinkedHashMap<>();
    for (Mp4Track track : trackList) {
      tracks.put(track.trackId(), track);
    }
    Map<Integer, Long> nextDts = new HashMap<>();
    long pos = 0;
    while (file.size() - pos >= 8) {
      BoxHeader box = topLevelBox(pos);
      if (box.end() > file.size()) {
        throw MediaException.truncated(file.name() + ": '" + box.typeName() + "' at " + pos + " (declared "
            + box.size() + " bytes) extends past the end of the file (" + file.size() + " bytes): truncated file");
      }
      if (box.is("moof")) {
        Map<Integer, List<SampleRef>> fragment = parseFragment(readMoof(box), pos, tracks, nextDts);
        emitFragment(tracks, fragment, offset90k, out);
      }
      pos = box.end();
    }
  }

  private byte[] readMoof(BoxHeader box) throws MediaException {
    if (box.size() > MAX_MOOF_BYTES) {
      throw MediaException.limitExceeded(file.name() + ": moof at " + box.start() + " of " + box.size()
          + " bytes exceeds " + MAX_MOOF_BYTES);
    }
    byte[] moof = new byte[(int) box.size()];
    file.readFully(box.start(), moof, 0, moof.length);
    return moof;
  }

  private void emitFragment(Map<Integer, Mp4Track> tracks, Map<Integer, List<SampleRef>> fragment,
      long offset90k, Emitter out) throws MediaException {
    List<Mp4Track> order = new ArrayList<>();
    List<List<SampleRef>> lists = new ArrayList<>();
    for (Map.Entry<Integer, List<SampleRef>> e : fragment.entrySet()) {
      order.add(tracks.get(e.getKey()));
      lists.add(e.getValue());
    }
    int[] index = new int[order.size()];
    while (true) {
      int next = -1;
      long nextDts90k = 0;
      for (int i = 0; i < order.size(); i++) {
        if (index[i] < lists.get(i).size()) {
          long dts90k = to90k(decodeTime(lists.get(i).get(index[i]), order.get(i)), order.get(i));
          if (next < 0 || dts90k < nextDts90k) {
            next = i;
            nextDts90k = dts90k;
          }
        }
      }
      if (next < 0) {
        return;
      }
      emitSample(order.get(next), lists.get(next).get(index[next]++), offset90k, out);
    }
  }

  /** The sample's decode time on the presentation timeline, in track timescale. */
  private long decodeTime(SampleRef sample, Mp4Track track) {
    return sample.dts() + track.shift() - decodeShift.getOrDefault(track.trackId(), 0L);
  }

  private void emitSample(Mp4Track track, SampleRef sample, long offset90k, Emitter out) throws MediaException {
    int size = sample.size();
    if (size == 0) {
      return; // nothing to decode; players skip empty samples too
    }
    if (size > MAX_SAMPLE_BYTES) {
      throw MediaException.limitExceeded(file.name() + ": track " + track.trackId() + ": sample of " + size
          + " bytes exceeds " + MAX_SAMPLE_BYTES);
    }
    if (copier != null && copyLocation(track, sample, offset90k, out)) {
      return;
    }
    PayloadConverter converter = track.setup().converter();
    // Same-size conversions (4-byte NAL lengths, pass-through) read into the sample's own array and rewrite
    // it in place: one copy of the bytes. Others read into the reused scratch array and convert from it.
    boolean inPlace = converter.convertsInPlace();
    byte[] target;
    if (inPlace) {
      target = arrays != null ? arrays.take(size) : new byte[size];
    } else {
      if (scratch.length < size) {
        scratch = new byte[Math.max(size, Math.min(MAX_SAMPLE_BYTES, scratch.length * 2))];
      }
      target = scratch;
    }
    try {
      file.readFully(sample.offset(), target, 0, size);
    } catch (MediaException e) {
      throw MediaException.of(e.kind(), "track " + track.trackId() + " sample at dts " + sample.dts() + ": "
          + e.getMessage(), e);
    }
    io.iptv.core.io.ByteSlice payload;
    try {
      payload = inPlace ? converter.convertInPlace(target, size) : converter.convert(target, size);
    } catch (MediaException e) {
      throw MediaException.of(e.kind(), file.name() + ": track " + track.trackId() + " sample at offset "
          + sample.offset() + ": " + e.getMessage(), e);
    }
    if (inPlace && arrays != null) {
      payload = arrays.lend(target, size); // the same bytes, as a slice the consumer can recycle
    }
    out.emit(new MediaSample(track.trackId(), pts90k(sample, track, offset90k),
        dts90k(sample, track, offset90k), sample.sync(), payload));
  }

  private long dts90k(SampleRef sample, Mp4Track track, long offset90k) throws MediaException {
    return to90k(decodeTime(sample, track), track) + offset90k;
  }

  private long pts90k(SampleRef sample, Mp4Track track, long offset90k) throws MediaException {
    return to90k(sample.dts() + sample.compositionOffset() + track.shift(), track) + offset90k;
  }

  /**
   * Copy mode: tells the copier where {@code sample} is and emits it with a stand-in payload; false for the first
   * sample of an AC-3/E-AC-3 track, which the caller reads and emits as usual (same bytes in both forms).
   */
  private boolean copyLocation(Mp4Track track, SampleRef sample, long offset90k, Emitter out) throws MediaException {
    if (sample.offset() < 0 || sample.offset() > file.size() - sample.size()) { // the error reading it would give
      throw MediaException.truncated("track " + track.trackId() + " sample at dts " + sample.dts() + ": "
          + file.name() + ": need bytes [" + sample.offset() + ", " + (sample.offset() + sample.size())
          + ") but the file has " + file.size() + " bytes (truncated file?)");
    }
    if (!copyCheck.check(track, sample)) {
      String message = file.name() + ": track " + track.trackId() + " sample at offset " + sample.offset() + ": "
          + copyCheck.whyNot();
      copier.notCopyable(message);
      throw MediaException.unsupported(message + " (cannot be copied)");
    }
    long dts90k = dts90k(sample, track, offset90k);
    long[] pieces = copyCheck.pieces();
    long mp4Size = 0;
    for (int i = 0; i < copyCheck.pieceCount(); i++) {
      mp4Size += pieces[2 * i + 1];
    }
    copier.sample(track.trackId(), dts90k, pieces, copyCheck.pieceCount());
    io.iptv.core.media.Codec codec = track.format().codec();
    if (firstEmitted.add(track.trackId())
        && (codec == io.iptv.core.media.Codec.AC3 || codec == io.iptv.core.media.Codec.EAC3)) {
      return false;
    }
    int length = (int) mp4Size; // at most the sample's size
    if (zeros.length < length) {
      zeros = new byte[Math.max(length, Math.min(MAX_SAMPLE_BYTES, 2 * zeros.length))];
    }
    out.emit(new MediaSample(track.trackId(), pts90k(sample, track, offset90k), dts90k, sample.sync(),
        io.iptv.core.io.ByteSlice.wrap(zeros, 0, length)));
    return true;
  }
}
