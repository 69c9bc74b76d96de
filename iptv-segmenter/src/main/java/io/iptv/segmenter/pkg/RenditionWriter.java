package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.core.media.TrackType;
import io.iptv.segmenter.hls.BandwidthCalculator;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.fmp4.CmafSegmentWriter;
import io.iptv.segmenter.fmp4.FragmentWriter;
import io.iptv.segmenter.fmp4.SampleData;
import io.iptv.segmenter.hls.ByteRange;
import io.iptv.segmenter.fmp4.Fmp4Track;
import io.iptv.segmenter.fmp4.InitSegmentWriter;
import io.iptv.segmenter.fmp4.TrackEncryption;
import io.iptv.segmenter.hls.BandwidthTracker;
import io.iptv.segmenter.hls.LiveWindow;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlanner;
import io.iptv.segmenter.ts.TsMuxer;
import io.iptv.segmenter.ts.KeyframeRange;
import io.iptv.segmenter.ts.TsSegment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One rendition of an {@link HlsPackager}: a subset of the program's tracks muxed into its own TS segments
 * and Media Playlist under {@code dir/}. Every rendition of a packager gets the same chunks, so their
 * segment boundaries, sequence numbers and discontinuity sequences are identical.
 *
 * <p>Memory: VOD keeps every segment's size (its TARGETDURATION, needed for the peak bit rate, is known
 * only at the end; a few bytes per segment); EVENT and LIVE, whose TARGETDURATION is fixed up front,
 * measure the bit rates incrementally with a {@link BandwidthTracker} and keep only the segments of 1.5
 * target durations, so a LIVE rendition runs forever in constant memory. Not thread-safe.
 */
final class RenditionWriter {
  private final String dir;
  private final List<TrackFormat> tracks;
  /** Ids of the rendition's tracks (a handful: searched linearly, no boxing per sample). */
  private final int[] trackIds;
  private final boolean audioOnlyRendition;
  private final TsMuxer muxer;
  /** Segment buffers to take from and lend through (TS and fMP4), or null. */
  private final io.iptv.segmenter.ts.SegmentBufferPool segmentBuffers;
  private final LiveWindow window;
  private final List<BandwidthCalculator.SegmentSize> sizes;
  private final BandwidthTracker tracker;
  private final ArrayDeque<Expiring> expiring = new ArrayDeque<>();
  private final SegmentFormat format;
  /** FMP4: the writer of this rendition's single track, created with the init segment. */
  private CmafSegmentWriter cmaf;
  /** FMP4: what the samples hold ({@link #sampleData}). */
  private SampleData sampleData = SampleData.ELEMENTARY_STREAM;
  /** FMP4: the default key's protections (see {@link #defaultProtections()}). */
  private List<io.iptv.core.pipeline.SegmentProtection> defaultProtections = List.of();
  /** FMP4: per written segment its start and duration in the track timescale (for DASH). */
  private final List<TimelineEntry> timeline = new ArrayList<>();
  /**
   * Segments of a previous run (restart) still listed at the head of the window: the HLS playlist lists them,
   * the DASH timeline and the I-frame playlist do not (their media times and keyframes are not kept), so their
   * leaving the window shortens neither.
   */
  private int restoredListed;

  /** The rendition's I-frame playlist entries, or null when it writes none (no video, or not asked for). */
  private final IFramePlaylistWindow iFrames;
  /**
   * The keyframes and PSI length of the segment last written, for {@link #append}; not its bytes: holding them
   * kept a whole segment array (7–10 MB at 8 Mbit/s) alive after the writer thread had written and released it,
   * a third of the live set when a 1 GB TS → fMP4 ran out of memory with {@code -Xmx64m}.
   */
  private SegmentLayout lastLayout;
  /** FMP4: the init segments by the first media sequence number they serve (see {@link #switchInit}). */
  private final Fmp4Inits inits = new Fmp4Inits();
  /** FMP4: the name of this rendition's first init segment (the one DASH references), once written. */
  private String firstInitName = SegmentFormat.INIT_SEGMENT_NAME;
  /** The media sequence number of the segment last written (its map, in {@link #append}). */
  private long lastSequence;

  /** A segment on the track's own timeline (track timescale), as a DASH SegmentTimeline needs it. */
  record TimelineEntry(long sequence, long start, long duration) {}

  /**
   * A rendition in {@code format}; {@code fixedTargetDuration} is the TARGETDURATION of EVENT and LIVE
   * playlists (bit rates tracked incrementally), 0 for VOD (every segment size kept until the end).
   */
  RenditionWriter(String dir, List<TrackFormat> tracks, boolean audioOnlyRendition, LiveWindow window,
      SegmentFormat format, int fixedTargetDuration) {
    this(dir, tracks, audioOnlyRendition, window, format, fixedTargetDuration, null);
  }

  /**
   * @param iFrames where to list the keyframes for an I-frame playlist (used only if the rendition has video),
   *     or null for none
   */
  RenditionWriter(String dir, List<TrackFormat> tracks, boolean audioOnlyRendition, LiveWindow window,
      SegmentFormat format, int fixedTargetDuration, IFramePlaylistWindow iFrames) {
    this(dir, tracks, audioOnlyRendition, window, format, fixedTargetDuration, iFrames, null);
  }

  /**
   * @param segmentBuffers where segment buffers come from and are lent out through (see
   *     {@link TsMuxer.Builder#segmentBuffers}, {@link CmafSegmentWriter.Builder#segmentBuffers}), or null to
   *     allocate each
   */
  RenditionWriter(String dir, List<TrackFormat> tracks, boolean audioOnlyRendition, LiveWindow window,
      SegmentFormat format, int fixedTargetDuration, IFramePlaylistWindow iFrames,
      io.iptv.segmenter.ts.SegmentBufferPool segmentBuffers) {
    TsMuxer.Builder muxerBuilder = TsMuxer.builder();
    if (segmentBuffers != null) {
      muxerBuilder.segmentBuffers(segmentBuffers);
    }
    this.muxer = muxerBuilder.build();
    this.segmentBuffers = segmentBuffers;
    this.iFrames = iFrames != null && videoTrack(tracks) != null ? iFrames : null;
    this.format = format;
    this.dir = dir;
    this.sizes = fixedTargetDuration == 0 ? new ArrayList<>() : null;
    this.tracker = fixedTargetDuration == 0 ? null : new BandwidthTracker(fixedTargetDuration);
    this.tracks = List.copyOf(tracks);
    this.audioOnlyRendition = audioOnlyRendition;
    this.window = window;
    this.restoredListed = window.size();
    this.trackIds = tracks.stream().mapToInt(TrackFormat::trackId).toArray();
    for (TrackFormat t : tracks) {
      muxer.addTrack(t);
    }
  }

  boolean hasTrack(int trackId) {
    for (int id : trackIds) {
      if (id == trackId) {
        return true;
      }
    }
    return false;
  }

  String playlistName(String playlistFileName) {
    return dir + "/" + playlistFileName;
  }

  /** Muxes the rendition's share of {@code chunk}; returns the segment bytes. */
  TsSegment mux(Chunk chunk) throws MediaException {
    return mux(chunk, null);
  }

  /**
   * Muxes the rendition's share of {@code chunk}, each sample encrypted by {@code encryptor} (Apple SAMPLE-AES,
   * signalled in the PMT) or, with {@code null}, in the clear.
   */
  TsSegment mux(Chunk chunk, SegmentSampleEncryptor encryptor) throws MediaException {
    if (encryptor != null && encryptor.scheme() != SampleEncryptionScheme.SAMPLE_AES) {
      throw MediaException.of(MediaException.Kind.UNSUPPORTED, "MPEG-TS segments take SAMPLE-AES, not "
          + encryptor.scheme() + "; use fMP4 segments for CENC");
    }
    muxer.sampleAes(encryptor != null);
    if (encryptor != null) {
      for (MediaSample s : chunk.samples()) {
        if (hasTrack(s.trackId())) {
          muxer.sampleAesSetupFrame(s.trackId(), s.data()); // AC-3/E-AC-3 setup information; others ignore it
        }
      }
    }
    if (chunk.discontinuity()) {
      muxer.markDiscontinuity();
    }
    muxer.startSegment();
    int samples = 0;
    long payloadBytes = 0;
    for (MediaSample s : chunk.samples()) {
      if (hasTrack(s.trackId())) {
        samples++;
        payloadBytes += s.sizeBytes();
      }
    }
    muxer.reserve(samples, payloadBytes);
    for (MediaSample s : chunk.samples()) {
      if (hasTrack(s.trackId())) {
        muxer.write(encryptor == null ? s : encrypted(encryptor, s));
      }
    }
    return muxer.finishSegment();
  }

  private MediaSample encrypted(SegmentSampleEncryptor encryptor, MediaSample s) throws MediaException {
    TrackFormat format = null;
    for (TrackFormat t : tracks) {
      if (t.trackId() == s.trackId()) {
        format = t;
        break;
      }
    }
    ByteSlice bytes = encryptor.encrypt(format, s.data(), 0).bytes();
    return new MediaSample(s.trackId(), s.pts90k(), s.dts90k(), s.keyframe(), bytes);
  }

  /**
   * FMP4: the init segment, to be published as {@code name}, from the rendition's (single) track and the first
   * chunk (AC-3/E-AC-3 configuration comes from a sync frame), the track protected by default as
   * {@code encryptor} encrypts (null: clear): {@code encv}/{@code enca} + {@code sinf}, {@code pssh}
   * (ISO/IEC 23001-7).
   */
  ByteSlice initSegment(Chunk first, io.iptv.core.pipeline.SegmentSampleEncryptor encryptor, String name)
      throws MediaException {
    TrackFormat t = tracks.get(0);
    ByteSlice sample = null;
    for (MediaSample s : first.samples()) {
      if (s.trackId() == t.trackId()) {
        sample = s.data();
        break;
      }
    }
    Fmp4Track track = Fmp4Track.of(1, t, sample);
    TrackEncryption protection = encryptor == null ? null : TrackEncryption.of(encryptor, t);
    defaultProtections = encryptor == null ? List.of() : List.copyOf(encryptor.protections());
    CmafSegmentWriter.Builder cmafBuilder = CmafSegmentWriter.builder(track).syncSampleFragments(iFrames != null)
        .protection(protection).sampleData(sampleData);
    if (segmentBuffers != null) {
      cmafBuilder.segmentBuffers(segmentBuffers);
    }
    cmaf = cmafBuilder.build();
    inits.first(name, t.codecConfig());
    firstInitName = name;
    return InitSegmentWriter.write(List.of(track), protection);
  }

  /**
   * FMP4 video: when {@code chunk} starts a new period (discontinuity) and its first sample of this rendition
   * carries in-band parameter sets other than those of the init segment in force — a slate, a restarted
   * encoder — segment {@code sequence} and those after it get a new init segment {@code init-<sequence>.mp4}
   * whose sample entry ({@code avcC}/{@code hvcC}) has those parameter sets (RFC 8216 §4.3.2.5: the EXT-X-MAP
   * may change after a discontinuity). A period without in-band parameter sets returns to the track's original
   * ones. The samples keep in band every parameter set that differs from the original ones (see
   * {@code SamplePayloads}), so a client still on the first init (a DASH Period, an older playlist) can decode
   * them too. An old init file is deleted after its last segment leaves the window.
   *
   * @return the new init segment to publish under {@link #initName(long) initName(sequence)}, or null (no
   *     change, not a discontinuity, not fMP4 video, or before the first init segment)
   */
  ByteSlice switchInit(long sequence, Chunk chunk) throws MediaException {
    CmafSegmentWriter writer = cmaf;
    if (format != SegmentFormat.FMP4 || writer == null || !writer.track().isVideo() || !chunk.discontinuity()
        || inits.startsAt(sequence)) {
      return null;
    }
    MediaSample first = null;
    for (MediaSample s : chunk.samples()) {
      if (hasTrack(s.trackId())) {
        first = s;
        break;
      }
    }
    return first == null ? null : switchInit(sequence, first);
  }

  /** As {@link #switchInit(long, Chunk)} for the first sample of a segment known to start a period. */
  ByteSlice switchInit(long sequence, MediaSample first) throws MediaException {
    CmafSegmentWriter writer = cmaf;
    if (format != SegmentFormat.FMP4 || writer == null || !writer.track().isVideo() || inits.startsAt(sequence)) {
      return null;
    }
    TrackFormat original = writer.track().format();
    List<ByteSlice> sets = io.iptv.segmenter.fmp4.InBandParameterSets.of(original.codec(), first.data());
    if (sets.isEmpty()) {
      sets = original.codecConfig();
    }
    if (java.util.Set.copyOf(sets).equals(java.util.Set.copyOf(inits.codecConfig(sequence)))) {
      return null;
    }
    Fmp4Track track = new Fmp4Track(writer.track().trackId(), original.toBuilder().codecConfig(sets).build(),
        writer.track().timescale(), first.data());
    inits.add(sequence, "init-" + sequence + ".mp4", sets);
    return InitSegmentWriter.write(List.of(track), writer.protection());
  }

  /** FMP4: the file name of the init segment that segment {@code sequence} needs. */
  String initName(long sequence) {
    return inits.name(sequence);
  }

  /** FMP4: the file name of the first init segment this writer wrote. */
  String firstInitName() {
    return firstInitName;
  }

  /** The segment bytes for {@code chunk} and its keyframes' byte ranges (for I-frame playlists). */
  Written write(long sequence, Chunk chunk) throws MediaException {
    return write(sequence, chunk, null);
  }

  /**
   * As {@link #write(long, Chunk)}, samples encrypted by {@code encryptor} unless null: TS SAMPLE-AES before
   * muxing, FMP4 cenc/cbcs with their senc/saiz/saio.
   */
  Written write(long sequence, Chunk chunk, SegmentSampleEncryptor encryptor) throws MediaException {
    lastSequence = sequence;
    if (format == SegmentFormat.TS) {
      TsSegment ts = mux(chunk, encryptor);
      List<KeyRange> keys = new ArrayList<>();
      for (KeyframeRange k : ts.keyframes()) {
        keys.add(new KeyRange(k.pts90k(), k.offset(), k.length()));
      }
      lastLayout = new SegmentLayout(keys, ts.psiLength());
      return new Written(ts.bytes(), keys, ts.psiLength());
    }
    List<MediaSample> own = new ArrayList<>();
    for (MediaSample s : chunk.samples()) {
      if (hasTrack(s.trackId())) {
        own.add(s);
      }
    }
    if (own.isEmpty()) {
      throw MediaException.malformed("segment " + sequence + " has no sample of track "
          + tracks.get(0).trackId() + "; fMP4 segments cannot be empty");
    }
    CmafSegmentWriter.Segment seg = cmaf.write(sequence, own, io.iptv.core.time.Timestamps.NO_TIMESTAMP, encryptor);
    timeline.add(new TimelineEntry(sequence, seg.earliestPresentationTime(), seg.duration()));
    List<KeyRange> keys = new ArrayList<>();
    for (FragmentWriter.Fragment f : seg.syncSampleFragments()) {
      keys.add(new KeyRange(cmaf.track().toTicks90k(f.earliestPresentationTime()), f.offset(), f.size()));
    }
    lastLayout = new SegmentLayout(keys, 0);
    return new Written(seg.bytes(), keys, 0);
  }

  /**
   * FMP4: what the samples given from now on hold ({@link Mp4SampleCopier}; see {@link
   * CmafSegmentWriter.Builder#sampleData}): with {@code EXTERNAL} segments leave the samples' bytes out, for the
   * caller to copy from the source file after {@link Written#bytes()}; with {@code MP4_FORM} they are written as
   * they are. Before the init segment only.
   */
  void sampleData(SampleData value) {
    io.iptv.core.internal.Preconditions.requireState(format == SegmentFormat.FMP4 && cmaf == null,
        "the samples' form is for fMP4, set before the first segment");
    sampleData = java.util.Objects.requireNonNull(value, "value");
  }

  /**
   * Records a segment whose bytes were not muxed here but copied from the source ({@link TsPacketCopier});
   * {@code bytes} may be null when the sink copies them later.
   */
  Written copied(long sequence, ByteSlice bytes) {
    lastSequence = sequence;
    lastLayout = new SegmentLayout(List.of(), 0);
    return new Written(bytes, List.of(), 0);
  }

  /**
   * The file name of the segment just written: {@code $Number$} is the media sequence number; {@code $Time$}
   * is the chunk start on the 90 kHz timeline for TS, and for fMP4 the segment's earliest presentation time
   * in the track timescale — the DASH SegmentTimeline S@t, so DASH {@code $Time$} templates resolve to it.
   */
  String segmentName(SegmentNameTemplate names, long sequence, Chunk chunk) {
    if (format == SegmentFormat.FMP4 && !timeline.isEmpty()) {
      return names.name(sequence, timeline.get(timeline.size() - 1).start());
    }
    return names.name(sequence, chunk.start90k());
  }

  /**
   * A written segment.
   *
   * @param bytes the segment
   * @param keyframes complete byte ranges of its keyframes (TS: the keyframe's PES packets; fMP4: the
   *     keyframe's own moof + mdat, only with sync-sample fragments)
   * @param psiLength TS: bytes of PAT + PMT at the start (the I-frames' EXT-X-MAP range); fMP4: 0
   */
  record Written(ByteSlice bytes, List<KeyRange> keyframes, long psiLength) {}

  /** What {@link #append} needs of a written segment: {@link Written} without the bytes. */
  private record SegmentLayout(List<KeyRange> keyframes, long psiLength) {}

  /** Where a decodable keyframe lies in a segment (TS: its packets; fMP4: moof to the end of its data). */
  record KeyRange(long pts90k, long offset, long length) {}

  /** Sizes of the segments written so far (bandwidth). */
  List<BandwidthCalculator.SegmentSize> sizes() {
    return sizes == null ? List.of() : List.copyOf(sizes); // EVENT and LIVE keep none (BandwidthTracker)
  }

  SegmentFormat format() {
    return format;
  }

  /** FMP4: the written segments on the track timeline. */
  List<TimelineEntry> timeline() {
    return List.copyOf(timeline);
  }

  /**
   * FMP4 with sample encryption: the {@code EXT-X-KEY}s of the track's default key, also listed for clear-lead
   * segments (their samples are marked unprotected in the container), so that players set up the key before the
   * first encrypted segment (hls.js fails to when the first EXT-X-KEY appears mid-playlist after a clear lead).
   */
  List<io.iptv.core.pipeline.SegmentProtection> defaultProtections() {
    return defaultProtections;
  }

  /** FMP4: the track's default protection (its init segment's {@code tenc}), or null. */
  TrackEncryption protection() {
    return cmaf == null ? null : cmaf.protection();
  }

  /** FMP4: the track as written (null before the first segment). */
  Fmp4Track fmp4Track() {
    return cmaf == null ? null : cmaf.track();
  }

  /** Lists a written segment; returns the names of segments whose grace period ended. */
  List<String> append(String uri, Chunk chunk, OffsetDateTime programDateTime, long bytes, long now90k,
      long grace90k, HlsKey key) {
    return append(uri, chunk, programDateTime, bytes, now90k, grace90k, key == null ? List.of() : List.of(key));
  }

  /** Lists a written segment with its {@code EXT-X-KEY}s (one per key format); see the other overload. */
  List<String> append(String uri, Chunk chunk, OffsetDateTime programDateTime, long bytes, long now90k,
      long grace90k, List<HlsKey> keys) {
    Duration duration = Timestamps.toDuration(chunk.duration90k());
    MediaInitialization map = format == SegmentFormat.FMP4
        ? new MediaInitialization(inits.name(lastSequence), null) : null;
    BandwidthCalculator.SegmentSize size = new BandwidthCalculator.SegmentSize(duration, bytes);
    if (tracker != null) {
      tracker.add(size);
    } else {
      sizes.add(size);
    }
    MediaSegment segment = MediaSegment.builder(duration, uri)
        .discontinuity(chunk.discontinuity())
        .programDateTime(programDateTime)
        .keys(keys)
        .map(map)
        .build();
    if (iFrames != null && lastLayout != null) {
      iFrames.addSegment(uri, map != null ? map : iFrameMap(uri), chunk.discontinuity(),
          iFrameEntries(chunk, lastLayout.keyframes()));
    }
    for (MediaSegment gone : window.add(segment)) {
      if (restoredListed > 0) {
        restoredListed--; // neither in the DASH timeline nor in the I-frame playlist
      } else {
        if (!timeline.isEmpty()) {
          timeline.remove(0); // the DASH timeline lists what the HLS window lists
        }
        if (iFrames != null) {
          iFrames.removeOldestSegment();
        }
      }
      expiring.addLast(new Expiring(dir + "/" + gone.uri(), now90k + grace90k));
      String goneInit = gone.map() == null ? null : gone.map().uri();
      if (goneInit != null && !goneInit.equals(SegmentFormat.INIT_SEGMENT_NAME)
          && !goneInit.equals(window.playlist(0, false).segments().get(0).map().uri())) {
        expiring.addLast(new Expiring(dir + "/" + goneInit, now90k + grace90k)); // its last segment left
      }
    }
    List<String> delete = new ArrayList<>();
    while (!expiring.isEmpty() && expiring.peekFirst().deleteAt90k <= now90k) {
      delete.add(expiring.removeFirst().name);
    }
    return delete;
  }

  /**
   * The EXT-X-MAP the I-frames of segment {@code uri} need (RFC 8216 §4.3.2.5): fMP4 the init segment; TS the
   * segment's own PAT and PMT packets, so each keyframe byte range is decodable on its own.
   */
  private MediaInitialization iFrameMap(String uri) {
    if (format == SegmentFormat.FMP4) {
      return new MediaInitialization(SegmentFormat.INIT_SEGMENT_NAME, null);
    }
    return new MediaInitialization(uri, new ByteRange(lastLayout.psiLength(), 0));
  }

  /**
   * Each keyframe's EXTINF is the time to the next keyframe's presentation, the last one's the time to the end
   * of the segment (RFC 8216 §4.3.3.6).
   */
  private static List<IFramePlaylistWindow.Frame> iFrameEntries(Chunk chunk, List<KeyRange> keyframes) {
    List<KeyRange> keys = new ArrayList<>(keyframes);
    keys.sort(java.util.Comparator.comparingLong(KeyRange::pts90k));
    List<IFramePlaylistWindow.Frame> frames = new ArrayList<>();
    long end90k = chunk.start90k() + chunk.duration90k();
    for (int i = 0; i < keys.size(); i++) {
      KeyRange k = keys.get(i);
      long next90k = i + 1 < keys.size() ? keys.get(i + 1).pts90k() : end90k;
      frames.add(new IFramePlaylistWindow.Frame(Timestamps.toDuration(Math.max(0, next90k - k.pts90k())),
          k.offset(), k.length()));
    }
    return frames;
  }

  /** Whether the rendition writes an I-frame playlist. */
  boolean hasIFramePlaylist() {
    return iFrames != null && !iFrames.isEmpty();
  }

  /** The I-frame playlist (call only if {@link #hasIFramePlaylist()}). */
  MediaPlaylist iFramePlaylist(int targetDuration, boolean endList) {
    return iFrames.playlist(targetDuration, endList);
  }

  /** The I-frame playlist as input to the multivariant planner. */
  MultivariantPlanner.IFrameRendition iFrameSummary(String playlistUri, int targetDuration) {
    return new MultivariantPlanner.IFrameRendition(playlistUri, videoTrack(tracks), targetDuration,
        iFrames.sizes());
  }

  private static TrackFormat videoTrack(List<TrackFormat> tracks) {
    for (TrackFormat t : tracks) {
      if (t.type() == io.iptv.core.media.TrackType.VIDEO) {
        return t;
      }
    }
    return null;
  }

  MediaPlaylist playlist(int targetDuration, boolean endList) {
    return window.playlist(targetDuration, endList);
  }

  MultivariantPlanner.Rendition summary(String playlistUri, int targetDuration) {
    if (tracker != null) {
      return MultivariantPlanner.Rendition.measured(playlistUri, tracks, audioOnlyRendition, targetDuration,
          tracker.bitRates());
    }
    return new MultivariantPlanner.Rendition(playlistUri, tracks, audioOnlyRendition, targetDuration, sizes);
  }

  /** The types of the rendition's tracks. */
  Set<TrackType> trackTypes() {
    Set<TrackType> types = java.util.EnumSet.noneOf(TrackType.class);
    for (TrackFormat t : tracks) {
      types.add(t.type());
    }
    return types;
  }

  /** Segment sizes or tracker entries held in memory (for tests: bounded for EVENT and LIVE). */
  int retainedSizes() {
    return tracker != null ? tracker.retainedSegments() : sizes.size();
  }

  String dir() {
    return dir;
  }

  List<TrackFormat> tracks() {
    return tracks;
  }

  boolean audioOnlyRendition() {
    return audioOnlyRendition;
  }

  private record Expiring(String name, long deleteAt90k) {}
}
