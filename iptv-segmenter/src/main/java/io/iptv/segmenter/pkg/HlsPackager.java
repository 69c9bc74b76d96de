package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.segmenter.dash.ContentProtection;
import io.iptv.segmenter.fmp4.TrackEncryption;
import io.iptv.core.pipeline.TransformedSegment;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.chunk.Chunker;
import io.iptv.segmenter.chunk.ChunkingPolicy;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.dash.DashRepresentation;
import io.iptv.segmenter.dash.MpdWriter;
import io.iptv.segmenter.fmp4.Fmp4Track;
import io.iptv.segmenter.hls.LiveWindow;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MultivariantPlanner;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import io.iptv.segmenter.hls.PlaylistWriter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Packages one program's {@link StreamEvent}s as HLS with MPEG-TS segments: the facade over the pipeline
 * {@link Chunker} → {@link io.iptv.segmenter.ts.TsMuxer} (one per rendition) → Media Playlists → a
 * {@link SegmentSink}. Feed it the events of a demuxer or {@link io.iptv.segmenter.input.MediaInput}; it is
 * an {@link Emitter}.
 *
 * <p><b>Renditions.</b> At the first chunk the tracks known so far are laid out: with at most one audio
 * track, one rendition {@code NAME/} carries video and audio muxed; with several audio tracks (languages),
 * {@code NAME/} carries the video alone and each audio track becomes an audio-only rendition
 * {@code NAME-audio-LANG/} for an {@code EXT-X-MEDIA} group. All renditions get the same chunks, hence
 * identical boundaries, sequence numbers and discontinuity sequences. Tracks added later are ignored; only
 * the first video track is packaged.
 *
 * <p><b>Playlists.</b> {@link HlsPlaylistType#VOD}: written once at the end, TARGETDURATION computed from
 * the actual segments (the largest rounded EXTINF), short tail merged. {@link HlsPlaylistType#EVENT} and
 * {@link HlsPlaylistType#LIVE}: rewritten after every segment (segment first, then playlists, each
 * atomically by the sink); the target duration cannot change once published, so it is fixed up front:
 * {@code ceil(segmentDuration + maxKeyframeInterval)}. With the consistent-chunking rule a segment is
 * shorter than {@code segmentDuration} plus one keyframe interval, so this bound always holds when the
 * declared interval is true; when the source breaks it, packaging fails with a {@link MediaException}
 * naming the segment rather than publishing a playlist that violates RFC 8216 §4.3.3.1 (cutting at a
 * non-keyframe is never done). The default {@code maxKeyframeInterval} of zero declares that keyframes
 * fall on every segment boundary (TARGETDURATION = ceil(segmentDuration)).
 *
 * <p>LIVE keeps {@code listSize} segments; a segment that leaves the window stays in the sink for
 * {@code segmentRetention} of packaged media time (hlsjs#1214: clients and CDNs lag) and is then deleted.
 * {@code EXT-X-PROGRAM-DATE-TIME} comes from the injected clock at the first segment (and at each
 * discontinuity) plus media time. Every playlist has {@code EXT-X-INDEPENDENT-SEGMENTS} (every segment
 * starts with a keyframe) and the lowest EXT-X-VERSION that fits (3).
 *
 * <p>Not thread-safe: one thread feeds it. Memory is bounded by a few segments' samples, plus, for VOD and
 * EVENT, a few dozen bytes per segment for the playlist; a LIVE packager keeps only its window (playlist,
 * {@link #timings()}, bit-rate state; see {@link io.iptv.segmenter.hls.BandwidthTracker}) and runs forever.
 *
 * <pre>{@code
 * HlsPackager packager = HlsPackager.builder()
 *     .segmentDuration(Duration.ofSeconds(6))
 *     .playlistType(HlsPlaylistType.LIVE).listSize(6)
 *     .clock(InstantSource.system())
 *     .build(DirectorySegmentSink.of(Path.of("/srv/hls/news")));
 * TsDemuxer demuxer = TsDemuxer.builder().build(packager);
 * demuxer.feed(bytes, 0, n);   // segments and playlists appear as they complete
 * demuxer.finish();            // EndOfStream: last segment, EXT-X-ENDLIST
 * }</pre>
 */
public final class HlsPackager implements Emitter {
  private final Builder config;
  private final SegmentSink sink;
  private final SegmentNameTemplate names;
  private final PlaylistWriter writer = PlaylistWriter.defaults();
  private final Chunker chunker;
  private final Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
  private final List<RenditionWriter> renditions = new ArrayList<>();
  private final ArrayDeque<SegmentTiming> timings = new ArrayDeque<>();
  private final int fixedTargetDuration;

  private Instant pdtAnchor;
  private long pdtAnchorStart90k;
  private int pdtPeriod = -1;
  private Instant lastSegmentEnd;
  private long packagedDuration90k;
  private boolean finished;
  private long firstStart90k = Long.MIN_VALUE;
  private Instant dashAvailabilityStart;

  private HlsPackager(Builder config, SegmentSink sink) {
    this.config = config;
    this.sink = sink;
    this.names = SegmentNameTemplate.of(config.segmentNameTemplate != null ? config.segmentNameTemplate
        : config.segmentFormat.defaultSegmentNameTemplate());
    ChunkingPolicy policy = ChunkingPolicy.of(config.segmentDuration)
        .withMergeShortTail(config.playlistType == HlsPlaylistType.VOD);
    this.chunker = new Chunker(policy, this::onChunk);
    long bound90k = Timestamps.fromDuration(config.segmentDuration.plus(config.maxKeyframeInterval));
    this.fixedTargetDuration = (int) Math.max(1, (bound90k + Timestamps.TICKS_PER_SECOND - 1)
        / Timestamps.TICKS_PER_SECOND);
  }

  /** Starts configuring a packager. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void emit(StreamEvent event) throws MediaException {
    Preconditions.requireState(!finished, "packager already finished");
    if (event instanceof StreamEvent.TrackAdded added) {
      formats.putIfAbsent(added.format().trackId(), added.format());
    } else if (event instanceof StreamEvent.TrackChanged changed && renditions.isEmpty()) {
      formats.put(changed.format().trackId(), changed.format());
    }
    chunker.onEvent(event);
    if (event instanceof StreamEvent.EndOfStream) {
      finish();
    }
  }

  /**
   * Flushes the last segment and writes the final playlists (with {@code EXT-X-ENDLIST} for VOD and
   * EVENT, and for LIVE too: the stream ended). Idempotent.
   */
  public void finish() throws MediaException {
    if (finished) {
      return;
    }
    chunker.finish();
    finished = true;
    if (renditions.isEmpty()) {
      throw MediaException.malformed("no audio or video samples to package");
    }
    writePlaylists(/* endList= */ true);
  }

  /**
   * The segments' timings so far (shared by all renditions), oldest first. VOD and EVENT: every segment;
   * LIVE: the last {@code listSize} (a LIVE packager runs forever in bounded memory).
   */
  public List<SegmentTiming> timings() {
    return List.copyOf(timings);
  }

  /**
   * How many samples went through the packager's chunker; {@code received == chunked + dropped} once
   * finished.
   *
   * @param received samples fed in
   * @param chunked samples placed into segment chunks (including tracks that no rendition carries)
   * @param dropped samples dropped: video before the first keyframe of a period, which cannot be decoded
   */
  public record SampleCounts(long received, long chunked, long dropped) {}

  /** Samples received, chunked and dropped so far. */
  public SampleCounts sampleCounts() {
    return new SampleCounts(chunker.samplesIn(), chunker.samplesOut(), chunker.samplesDropped());
  }

  /** Bit-rate entries held per rendition (tests: bounded for EVENT and LIVE). */
  List<Integer> retainedSizes() {
    return renditions.stream().map(RenditionWriter::retainedSizes).toList();
  }

  /** The renditions with their sizes so far, for a {@link MultivariantPlanner}; URIs relative to the root. */
  public List<MultivariantPlanner.Rendition> renditions() {
    List<MultivariantPlanner.Rendition> out = new ArrayList<>();
    for (RenditionWriter r : renditions) {
      out.add(r.summary(r.playlistName(config.playlistName), targetDuration(r)));
    }
    return out;
  }

  /** The I-frame playlists so far, for a {@link MultivariantPlanner}; URIs relative to the root. */
  public List<MultivariantPlanner.IFrameRendition> iFrameRenditions() {
    List<MultivariantPlanner.IFrameRendition> out = new ArrayList<>();
    for (RenditionWriter r : renditions) {
      if (r.hasIFramePlaylist()) {
        out.add(r.iFrameSummary(r.playlistName(config.iFramePlaylistName), targetDuration(r)));
      }
    }
    return out;
  }

  /** Whether the audio tracks were laid out as separate renditions (an audio group). */
  public boolean hasAudioGroup() {
    return renditions.stream().anyMatch(RenditionWriter::audioOnlyRendition);
  }

  private int targetDuration(RenditionWriter r) {
    return config.playlistType == HlsPlaylistType.VOD ? r.playlist(0, true).targetDuration() : fixedTargetDuration;
  }

  private void onChunk(Chunk chunk) throws MediaException {
    if (renditions.isEmpty()) {
      layOut();
    }
    long sequence = config.firstMediaSequence + chunk.sequence();
    long rounded = MediaPlaylist.roundedSeconds(Timestamps.toDuration(chunk.duration90k()));
    String name = names.name(sequence, chunk.start90k());
    if (config.playlistType != HlsPlaylistType.VOD && rounded > fixedTargetDuration) {
      throw MediaException.limitExceeded(String.format(java.util.Locale.ROOT,
          "segment %d (%s) at %.3f s lasts %.3f s, over the EXT-X-TARGETDURATION %d fixed for %s playlists:"
              + " the source's keyframe interval is longer than declared; set maxKeyframeInterval",
          sequence, name, Timestamps.toSeconds(chunk.start90k()), Timestamps.toSeconds(chunk.duration90k()),
          fixedTargetDuration, config.playlistType));
    }
    if (firstStart90k == Long.MIN_VALUE) {
      firstStart90k = chunk.start90k();
      dashAvailabilityStart = config.clock.instant().truncatedTo(ChronoUnit.MILLIS)
          .minus(Timestamps.toDuration(chunk.duration90k()));
    }
    OffsetDateTime pdt = programDateTime(chunk);
    timings.addLast(new SegmentTiming(sequence, chunk.period(), chunk.start90k(), chunk.duration90k()));
    if (config.playlistType == HlsPlaylistType.LIVE && timings.size() > config.listSize) {
      timings.removeFirst();
    }
    // Retention runs on the packaged duration, which keeps growing across discontinuities (timestamps may not).
    packagedDuration90k += chunk.duration90k();
    long now90k = packagedDuration90k;
    for (RenditionWriter r : renditions) {
      SegmentContext context = new SegmentContext(r.dir(), sequence, r.trackTypes());
      boolean fmp4Samples = r.format() == SegmentFormat.FMP4 && config.sampleEncryption != null;
      if (r.format() == SegmentFormat.FMP4 && r.fmp4Track() == null) {
        SegmentSampleEncryptor defaults = fmp4Samples ? config.sampleEncryption.defaultEncryptor(context) : null;
        write(r.dir() + "/" + SegmentFormat.INIT_SEGMENT_NAME, r.initSegment(chunk, defaults));
      }
      // ISO Common Encryption of fMP4 samples (cenc/cbcs): null for a clear (clear-lead) segment
      SegmentSampleEncryptor samples = fmp4Samples ? config.sampleEncryption.forSegment(context) : null;
      RenditionWriter.Written segment = r.write(sequence, chunk, samples);
      String segmentName = r.segmentName(names, sequence, chunk);
      TransformedSegment published = config.segmentTransform.transform(
          new SegmentContext(r.dir(), sequence, r.trackTypes()), segment.bytes());
      String path = r.dir() + "/" + segmentName;
      write(path, published.bytes());
      long size = published.bytes().length();
      config.listener.onSegmentWritten(path, Timestamps.toDuration(chunk.duration90k()), size);
      List<HlsKey> keys = new ArrayList<>();
      if (published.protection() != null) {
        keys.add(hlsKey(published.protection(), r.dir()));
      }
      // a clear-lead segment of an encrypted fMP4 rendition lists the default key too (RenditionWriter)
      for (SegmentProtection p : samples != null ? samples.protections() : r.defaultProtections()) {
        keys.add(hlsKey(p, r.dir()));
      }
      for (String expired : r.append(segmentName, chunk, pdt, size, now90k, config.retention90k(), keys)) {
        try {
          sink.delete(expired);
        } catch (IOException e) {
          throw MediaException.of(MediaException.Kind.IO, "cannot delete " + expired + ": " + e.getMessage(), e);
        }
      }
    }
    if (config.playlistType != HlsPlaylistType.VOD) {
      writePlaylists(/* endList= */ false);
    }
  }

  /** The EXT-X-KEY for a protection; channel-relative URIs are rewritten relative to {@code dir}'s playlist. */
  private static HlsKey hlsKey(SegmentProtection protection, String dir) {
    if (protection == null) {
      return null;
    }
    String uri = protection.uri();
    if (protection.channelRelative()) {
      uri = "../".repeat(dir.split("/").length) + uri;
    }
    return new HlsKey(protection.method(), uri, protection.ivHex(), protection.keyFormat(),
        protection.keyFormatVersions());
  }

  private void writePlaylists(boolean endList) throws MediaException {
    for (RenditionWriter r : renditions) {
      MediaPlaylist playlist = r.playlist(config.playlistType == HlsPlaylistType.VOD ? 0 : fixedTargetDuration,
          endList);
      write(r.playlistName(config.playlistName), writer.writeBytes(playlist));
      if (r.hasIFramePlaylist()) {
        write(r.playlistName(config.iFramePlaylistName), writer.writeBytes(r.iFramePlaylist(
            config.playlistType == HlsPlaylistType.VOD ? 0 : fixedTargetDuration, endList)));
      }
    }
    if (config.multivariantName != null) {
      MultivariantPlaylist master = MultivariantPlanner.plan(renditions(), iFrameRenditions());
      write(config.multivariantName, writer.writeBytes(master));
    }
    if (config.dashManifestName != null) {
      write(config.dashManifestName, ByteSlice.wrap(mpdWriter(endList).writeBytes(dashRepresentations())));
    }
  }

  /**
   * FMP4: the DASH Representations of the renditions so far, referencing the same init and media segments as
   * the HLS playlists (URIs relative to the root). Empty for TS or before the first segment.
   */
  public List<DashRepresentation> dashRepresentations() {
    List<DashRepresentation> out = new ArrayList<>();
    for (RenditionWriter r : renditions) {
      Fmp4Track track = r.fmp4Track();
      List<RenditionWriter.TimelineEntry> timeline = r.timeline();
      if (track == null || timeline.isEmpty()) {
        continue;
      }
      List<DashRepresentation.Segment> segments = new ArrayList<>();
      for (RenditionWriter.TimelineEntry e : timeline) {
        segments.add(new DashRepresentation.Segment(e.start(), e.duration()));
      }
      // the rendition's bit rates: from every segment size (VOD) or measured incrementally (EVENT, LIVE)
      long peak = r.summary(r.playlistName(config.playlistName), targetDuration(r)).bitRates().peak();
      TrackEncryption protection = r.protection();
      ContentProtection dashProtection = protection == null ? null : new ContentProtection(
          protection.scheme().fourcc(), ContentProtection.uuid(protection.keyIdHex()), protection.psshBoxes());
      out.add(new DashRepresentation(r.dir(), r.tracks().get(0), track.timescale(), peak,
          r.dir() + "/" + SegmentFormat.INIT_SEGMENT_NAME, r.dir() + "/" + names, timeline.get(0).sequence(),
          track.fromTicks90k(firstStart90k), segments, dashProtection));
    }
    return out;
  }

  /** The MPD writer for the current state: static for VOD (and ended streams), dynamic for EVENT/LIVE. */
  MpdWriter mpdWriter(boolean ended) {
    MpdWriter.Builder b = MpdWriter.builder().minBufferTime(config.segmentDuration);
    long total90k = 0;
    long window90k = 0;
    int fromIndex = Math.max(0, timings.size() - (config.playlistType == HlsPlaylistType.LIVE ? config.listSize
        : timings.size()));
    // LIVE keeps only the window's timings; VOD and EVENT keep all, which the static total needs.
    int i = 0;
    for (SegmentTiming timing : timings) {
      total90k += timing.duration90k();
      if (i++ >= fromIndex) {
        window90k += timing.duration90k();
      }
    }
    if (config.playlistType == HlsPlaylistType.VOD || (ended && config.playlistType == HlsPlaylistType.EVENT)) {
      return b.type(MpdWriter.Type.STATIC).mediaPresentationDuration(Timestamps.toDuration(total90k)).build();
    }
    return b.type(MpdWriter.Type.DYNAMIC)
        .availabilityStartTime(dashAvailabilityStart != null ? dashAvailabilityStart : config.clock.instant())
        .publishTime(config.clock.instant())
        .timeShiftBufferDepth(Timestamps.toDuration(window90k))
        .minimumUpdatePeriod(config.segmentDuration)
        .build();
  }

  private void write(String name, ByteSlice bytes) throws MediaException {
    try {
      sink.write(name, bytes);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot write " + name + ": " + e.getMessage(), e);
    }
  }

  private OffsetDateTime programDateTime(Chunk chunk) {
    if (!config.programDateTime()) {
      return null;
    }
    if (pdtAnchor == null || chunk.period() != pdtPeriod) {
      Instant now = config.clock.instant().truncatedTo(ChronoUnit.MILLIS);
      pdtAnchor = lastSegmentEnd != null && lastSegmentEnd.isAfter(now) ? lastSegmentEnd : now;
      pdtAnchorStart90k = chunk.start90k();
      pdtPeriod = chunk.period();
    }
    long offsetMicros = (chunk.start90k() - pdtAnchorStart90k) * 100 / 9;
    Instant start = pdtAnchor.plus(offsetMicros, ChronoUnit.MICROS);
    lastSegmentEnd = start.plus(chunk.duration90k() * 100 / 9, ChronoUnit.MICROS);
    return OffsetDateTime.ofInstant(start.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }

  private void layOut() {
    TrackFormat video = null;
    List<TrackFormat> audio = new ArrayList<>();
    List<TrackFormat> byId = new ArrayList<>(formats.values());
    byId.sort(java.util.Comparator.comparingInt(TrackFormat::trackId)); // PID order: deterministic
    for (TrackFormat f : byId) {
      if (config.segmentFormat == SegmentFormat.FMP4 && !Fmp4Track.isSupported(f.codec())) {
        continue; // no CMAF sample entry for it (MPEG-2 video, MPEG audio)
      }
      if (f.type() == TrackType.VIDEO && video == null && !f.scrambled()) {
        video = f;
      } else if (f.type() == TrackType.AUDIO && config.includeAudio && !f.scrambled()) {
        audio.add(f);
      }
    }
    String base = config.name;
    SegmentFormat fmt = config.segmentFormat;
    if (fmt == SegmentFormat.FMP4) {
      // CMAF: one track per rendition; audio always in the audio group (unless there is no video).
      if (video == null) {
        if (!audio.isEmpty()) {
          renditions.add(new RenditionWriter(base, List.of(audio.get(0)), false, newWindow(), fmt,
              renditionTargetDuration()));
        }
        return;
      }
      renditions.add(new RenditionWriter(base, List.of(video), false, newWindow(), fmt,
          renditionTargetDuration(), newIFrameWindow()));
      addAudioRenditions(base, audio, fmt);
      return;
    }
    if (audio.size() <= 1 || video == null) {
      List<TrackFormat> tracks = new ArrayList<>();
      if (video != null) {
        tracks.add(video);
      }
      tracks.addAll(video == null && !audio.isEmpty() ? audio.subList(0, 1) : audio);
      renditions.add(new RenditionWriter(base, tracks, false, newWindow(), SegmentFormat.TS,
          renditionTargetDuration(), newIFrameWindow()));
      return;
    }
    renditions.add(new RenditionWriter(base, List.of(video), false, newWindow(), SegmentFormat.TS,
        renditionTargetDuration(), newIFrameWindow()));
    addAudioRenditions(base, audio, SegmentFormat.TS);
  }

  private void addAudioRenditions(String base, List<TrackFormat> audio, SegmentFormat fmt) {
    Set<String> used = new HashSet<>();
    Map<String, Integer> counts = new HashMap<>();
    for (TrackFormat a : audio) {
      String label = a.language() != null && a.language().matches("[A-Za-z]{2,8}")
          ? a.language().toLowerCase(java.util.Locale.ROOT) : "track" + a.trackId();
      int n = counts.merge(label, 1, Integer::sum);
      String dir = base + "-audio-" + label + (n > 1 ? "-" + n : "");
      Preconditions.requireState(used.add(dir), "duplicate rendition %s", dir);
      renditions.add(new RenditionWriter(dir, List.of(a), true, newWindow(), fmt,
          renditionTargetDuration()));
    }
  }

  private IFramePlaylistWindow newIFrameWindow() {
    if (config.iFramePlaylistName == null) {
      return null;
    }
    return new IFramePlaylistWindow(switch (config.playlistType) {
      case VOD -> MediaPlaylist.PlaylistType.VOD;
      case EVENT -> MediaPlaylist.PlaylistType.EVENT;
      case LIVE -> null;
    });
  }

  /** The fixed TARGETDURATION for EVENT and LIVE renditions; 0 for VOD (computed from the segments). */
  private int renditionTargetDuration() {
    return config.playlistType == HlsPlaylistType.VOD ? 0 : fixedTargetDuration;
  }

  private LiveWindow newWindow() {
    return switch (config.playlistType) {
      case VOD -> LiveWindow.growing(MediaPlaylist.PlaylistType.VOD, config.firstMediaSequence);
      case EVENT -> LiveWindow.growing(MediaPlaylist.PlaylistType.EVENT, config.firstMediaSequence);
      case LIVE -> LiveWindow.sliding(config.listSize, config.firstMediaSequence);
    };
  }

  /**
   * Configures an {@link HlsPackager}. Each setting may be set once and is validated immediately. Not
   * thread-safe.
   *
   * <pre>{@code
   * HlsPackager.builder()
   *     .segmentDuration(Duration.ofSeconds(4))
   *     .playlistType(HlsPlaylistType.VOD)
   *     .segmentNameTemplate("seg-$Number%05d$.ts")
   *     .clock(InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z")))
   *     .build(new InMemorySegmentSink());
   * }</pre>
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private Duration segmentDuration = Duration.ofSeconds(6);
    private Duration maxKeyframeInterval = Duration.ZERO;
    private HlsPlaylistType playlistType = HlsPlaylistType.VOD;
    private int listSize = 6;
    private Duration segmentRetention;
    private String segmentNameTemplate;
    private SegmentFormat segmentFormat = SegmentFormat.TS;
    private String dashManifestName;
    private String iFramePlaylistName;
    private String playlistName = "index.m3u8";
    private String multivariantName = "master.m3u8";
    private String name = "stream";
    private boolean includeAudio = true;
    private InstantSource clock = InstantSource.system();
    private Boolean programDateTime;
    private long firstMediaSequence;
    private PackagingListener listener = PackagingListener.NONE;
    private SegmentTransform segmentTransform = SegmentTransform.identity();
    /** Sample-level encryption (SAMPLE-AES for TS, cenc/cbcs for fMP4), or null. */
    SampleEncryption sampleEncryption;

    private Builder() {}

    /** Target segment duration (default 6 s; 1 to 60 s). */
    public Builder segmentDuration(Duration value) {
      once("segmentDuration");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(100)) >= 0
          && value.compareTo(Duration.ofSeconds(60)) <= 0, "segmentDuration %s out of range 0.1..60 s", value);
      segmentDuration = value;
      return this;
    }

    /**
     * The longest keyframe interval the source may have (default 0: keyframes on every segment boundary).
     * Only EVENT and LIVE use it, to fix EXT-X-TARGETDURATION up front (see the class comment).
     */
    public Builder maxKeyframeInterval(Duration value) {
      once("maxKeyframeInterval");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofSeconds(60)) <= 0,
          "maxKeyframeInterval %s out of range 0..60 s", value);
      maxKeyframeInterval = value;
      return this;
    }

    /** VOD (default), EVENT or LIVE. */
    public Builder playlistType(HlsPlaylistType value) {
      once("playlistType");
      playlistType = Objects.requireNonNull(value, "playlistType");
      return this;
    }

    /** Segments in a LIVE playlist (default 6). */
    public Builder listSize(int value) {
      once("listSize");
      Preconditions.requireArgument(value >= 1, "listSize %d < 1", value);
      listSize = value;
      return this;
    }

    /**
     * How long (media time) a segment stays in the sink after it left the LIVE window (default: listSize ×
     * segmentDuration).
     */
    public Builder segmentRetention(Duration value) {
      once("segmentRetention");
      Preconditions.requireArgument(!value.isNegative(), "segmentRetention %s < 0", value);
      segmentRetention = value;
      return this;
    }

    /**
     * The segment container (default {@link SegmentFormat#TS}). {@link SegmentFormat#FMP4} writes an
     * {@code init.mp4} per rendition and puts every track in its own rendition.
     */
    public Builder segmentFormat(SegmentFormat value) {
      once("segmentFormat");
      segmentFormat = Objects.requireNonNull(value, "segmentFormat");
      return this;
    }

    /**
     * Segment file names, see {@link SegmentNameTemplate} (default {@code seg-$Number%05d$.ts}, or
     * {@code .m4s} for fMP4).
     */
    public Builder segmentNameTemplate(String value) {
      once("segmentNameTemplate");
      SegmentNameTemplate.of(value);
      segmentNameTemplate = value;
      return this;
    }

    /** File name of each media playlist within its rendition directory (default {@code index.m3u8}). */
    public Builder playlistName(String value) {
      once("playlistName");
      Preconditions.requireArgument(value.matches("[A-Za-z0-9._-]+\\.m3u8"), "invalid playlist name %s", value);
      playlistName = value;
      return this;
    }

    /** Name of the multivariant playlist at the root (default {@code master.m3u8}); null: none. */
    public Builder multivariantName(String value) {
      once("multivariantName");
      Preconditions.requireArgument(value == null || value.matches("[A-Za-z0-9._-]+\\.m3u8"),
          "invalid multivariant playlist name %s", value);
      multivariantName = value;
      return this;
    }

    /**
     * FMP4 only: also write a DASH MPD of this name at the root (e.g. {@code manifest.mpd}), referencing the
     * same segments; null (default): none. With a {@code $Time$} segment name template each CMAF rendition's
     * segments are named by their earliest presentation time in the track timescale (the DASH S@t), so the
     * MPD's {@code SegmentTemplate@media} can use {@code $Time$} too.
     */
    public Builder dashManifestName(String value) {
      once("dashManifestName");
      Preconditions.requireArgument(value == null || value.matches("[A-Za-z0-9._-]+\\.mpd"),
          "invalid MPD name %s", value);
      dashManifestName = value;
      return this;
    }

    /**
     * Also write an I-frame-only playlist of this name (e.g. {@code iframes.m3u8}) beside the video rendition's
     * playlist, listed as {@code EXT-X-I-FRAME-STREAM-INF} in the multivariant playlist (RFC 8216 §4.3.3.6,
     * §4.3.4.3); null (default): none. TS: each entry is a keyframe's packets, with the segment's PAT/PMT as
     * EXT-X-MAP. FMP4: each keyframe is written as a fragment of its own and an entry is that moof + mdat.
     */
    public Builder iFramePlaylistName(String value) {
      once("iFramePlaylistName");
      Preconditions.requireArgument(value == null || value.matches("[A-Za-z0-9._-]+\\.m3u8"),
          "invalid I-frame playlist name %s", value);
      iFramePlaylistName = value;
      return this;
    }

    /** Directory name of the main rendition (default {@code stream}). */
    public Builder name(String value) {
      once("name");
      Preconditions.requireArgument(value.matches("[A-Za-z0-9_-]+"), "invalid rendition name %s", value);
      name = value;
      return this;
    }

    /** Whether to package audio tracks (default true; false for ABR variants sharing another's audio). */
    public Builder includeAudio(boolean value) {
      once("includeAudio");
      includeAudio = value;
      return this;
    }

    /** The wall clock for PROGRAM-DATE-TIME (default the system clock; fixed in tests). */
    public Builder clock(InstantSource value) {
      once("clock");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Whether to write EXT-X-PROGRAM-DATE-TIME (default: yes for EVENT and LIVE, no for VOD). */
    public Builder programDateTime(boolean value) {
      once("programDateTime");
      programDateTime = value;
      return this;
    }

    /** The media sequence number of the first segment (default 0; persist it across restarts, shaka#691). */
    public Builder firstMediaSequence(long value) {
      once("firstMediaSequence");
      Preconditions.requireArgument(value >= 0, "firstMediaSequence %d < 0", value);
      firstMediaSequence = value;
      return this;
    }

    /** Observes written segments. */
    public Builder listener(PackagingListener value) {
      once("listener");
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Transforms each finished segment before it is written, e.g. whole-segment AES-128 encryption from
     * iptv-drm (default: identity). Its {@link SegmentProtection} becomes the segment's {@code EXT-X-KEY}.
     */
    public Builder segmentTransform(SegmentTransform value) {
      once("segmentTransform");
      segmentTransform = Objects.requireNonNull(value, "segmentTransform");
      return this;
    }

    /**
     * Encrypts the samples of each segment (default: none). With {@link SegmentFormat#FMP4} this is ISO Common
     * Encryption ({@code cenc}/{@code cbcs}, e.g. iptv-drm's {@code CencSampleEncryption}): protected sample
     * entries, {@code pssh}, per-fragment {@code senc}/{@code saiz}/{@code saio}, one {@code EXT-X-KEY} per
     * {@link SegmentProtection} and DASH {@code ContentProtection}.
     */
    public Builder sampleEncryption(SampleEncryption value) {
      once("sampleEncryption");
      sampleEncryption = Objects.requireNonNull(value, "sampleEncryption");
      return this;
    }

    /** Builds a packager writing to {@code sink}. */
    public HlsPackager build(SegmentSink sink) {
      Preconditions.requireState(dashManifestName == null || segmentFormat == SegmentFormat.FMP4,
          "DASH needs SegmentFormat.FMP4");
      Preconditions.requireState(dashManifestName == null || !set.contains("segmentTransform"),
          "a segment transform (whole-segment AES-128) cannot be signalled in DASH; package DASH without it");
      Preconditions.requireState(iFramePlaylistName == null || !set.contains("segmentTransform"),
          "I-frame playlists address byte ranges of clear segments; they cannot be combined with a"
              + " whole-segment transform (AES-128)");
      Preconditions.requireState(sampleEncryption == null || !set.contains("segmentTransform"),
          "sample encryption and a whole-segment transform (AES-128) exclude each other");
      // MERGE NOTE: TS SAMPLE-AES comes from another branch; until it is merged, TS output would silently be clear.
      Preconditions.requireState(sampleEncryption == null || segmentFormat == SegmentFormat.FMP4,
          "sample encryption of MPEG-TS segments (SAMPLE-AES) is not supported here; use SegmentFormat.FMP4");
      Preconditions.requireState(sampleEncryption == null || iFramePlaylistName == null
          || segmentFormat != SegmentFormat.FMP4,
          "I-frame playlists do not carry the EXT-X-KEYs of sample-encrypted fMP4 segments yet");
      return new HlsPackager(this, Objects.requireNonNull(sink, "sink"));
    }

    boolean programDateTime() {
      return programDateTime != null ? programDateTime : playlistType != HlsPlaylistType.VOD;
    }

    long retention90k() {
      Duration d = segmentRetention != null ? segmentRetention : segmentDuration.multipliedBy(listSize);
      return Timestamps.fromDuration(d);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
