package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.DeferredSegment;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.segmenter.dash.ContentProtection;
import io.iptv.segmenter.fmp4.SampleData;
import io.iptv.segmenter.fmp4.TrackEncryption;
import io.iptv.core.pipeline.TransformedSegment;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.AudioGapFiller;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.chunk.Chunker;
import io.iptv.segmenter.chunk.ChunkingPolicy;
import io.iptv.segmenter.chunk.TimestampJumpDetector;
import io.iptv.segmenter.es.SampleRecycler;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.dash.DashRepresentation;
import io.iptv.segmenter.dash.MpdWriter;
import io.iptv.segmenter.dvr.CatchupPlaylists;
import io.iptv.segmenter.dvr.ChannelState;
import io.iptv.segmenter.dvr.ChannelStateStore;
import io.iptv.segmenter.dvr.DvrWindow;
import io.iptv.segmenter.dvr.RetainedSegment;
import io.iptv.segmenter.hls.MediaInitialization;
import io.iptv.segmenter.hls.MediaSegment;
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
import java.util.EnumSet;
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
 * <p><b>SCTE-35.</b> {@link SpliceCue}s (from the TS demuxer) start a segment at each ad break's splice point
 * and at its return, and are signalled as configured by {@link Builder#adMarkers(Set)} (default
 * {@code EXT-X-DATERANGE} with the SCTE35-OUT/IN/CMD sections) and, with a DASH manifest, as a SCTE-35
 * {@code EventStream}; see {@link AdBreakSignals} and {@link #adBreaks()}.
 *
 * <p><b>Lost audio.</b> Holes of two or more frames in AAC tracks (a lost PES, an audio PID gone for seconds,
 * an input that stopped before its later-muxed audio arrived) are filled with silent frames
 * ({@link AudioGapFiller}; {@link Builder#fillAudioGaps} turns it off), so every segment of an audio rendition
 * has audio to its end and players meet no hole in the buffered range.
 *
 * <p><b>Low-Latency HLS</b> ({@link Builder#partTarget}, LIVE or EVENT CMAF): each rendition's samples are
 * also cut into partial segments of at most the part target as the chunker places them, each written at
 * once as one CMAF fragment ({@code part-SEQUENCE.INDEX.m4s}) followed by that rendition's playlist with
 * EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-SERVER-CONTROL and EXT-X-RENDITION-REPORT, plus its delta update
 * ({@code io.iptv.core.serve.LowLatencyNames}); a finished segment is the concatenation of its parts. The
 * renditions exist from the first finished segment on (only then are all tracks known); the samples placed
 * before wait, so the first segment is listed with its parts and the second is published part by part.
 *
 * <p><b>New parameter sets (CMAF).</b> When a period after a discontinuity brings H.264/HEVC parameter sets
 * other than those of the video init segment in force (an {@link io.iptv.segmenter.slate.InputLossGuard} slate,
 * the live encoder again after it, a restarted encoder), its first segment gets a new init segment
 * {@code init-SEQUENCE.mp4} listed with EXT-X-MAP after the EXT-X-DISCONTINUITY (RFC 8216 §4.3.2.5), also
 * before the first part of a Low-Latency segment in progress; an old init is deleted with its last segment.
 * The DASH MPD keeps one Period with the first {@code init.mp4}, and DVR and restored playlists map every
 * segment to {@code init.mp4} too: they rely on the samples carrying in band every parameter set that differs
 * from the first init's (decoders that honour in-band SPS/PPS, as ffmpeg and Chromium's, play them).
 *
 * <p><b>DVR, catch-up, restarts.</b> With {@link Builder#dvrWindow} a LIVE packager keeps the segments of
 * that much media time (bounded also by {@link Builder#dvrMaxBytes}) in a {@link DvrWindow} per rendition and
 * writes a timeshift playlist ({@code dvr.m3u8}) and {@code master-dvr.m3u8}; {@link #catchupPlaylists()}
 * answers start-over and catch-up ranges by PROGRAM-DATE-TIME. With {@link Builder#stateStore} the numbering,
 * discontinuity count and retained segments are saved after every segment, and a new packager on the same store
 * and sink continues them: the still-present segments are listed again and the first new segment carries
 * EXT-X-DISCONTINUITY. A number is saved as used before anything is published under it (a segment, or the
 * first Low-Latency part of one), so a packager that died in between restarts past it, never overwriting what
 * a client may hold; the previous run's segments are then not listed again (a playlist numbers by position)
 * but deleted after the grace period. The DASH MPD and I-frame playlists list only the new run's segments.
 * A CMAF packager that continues a state writes its first init segment as {@code init-<sequence>.mp4}: the
 * segments listed again keep the init segment they were made with (each {@link RetainedSegment} records it),
 * so a restart on an encoder with other parameter sets never changes the EXT-X-MAP under a listed segment.
 * {@link #state()} and {@link Builder#initialState} do the same in memory, for a pipeline rebuilt in-process
 * (e.g. {@link io.iptv.segmenter.live.LiveChannel} after input it could not survive), with or without a store.
 * A lead-track timestamp jump that the input did not signal (samples fed directly) becomes a discontinuity
 * ({@link TimestampJumpDetector}).
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
  private final TimestampJumpDetector jumps = new TimestampJumpDetector();
  private final Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
  private final List<RenditionWriter> renditions = new ArrayList<>();
  private final AudioGapFiller audioGaps;
  private final ArrayDeque<SegmentTiming> timings = new ArrayDeque<>();
  private final int fixedTargetDuration;
  private final AdBreakSignals adSignals;
  /** Low-Latency HLS parts (null unless {@link Builder#partTarget} is set). */
  private final PartialSegmentWriter parts;

  private Instant pdtAnchor;
  private long pdtAnchorStart90k;
  private int pdtPeriod = -1;
  private Instant lastSegmentEnd;
  private long packagedDuration90k;
  private boolean finished;
  /** Whether an exception escaped {@link #emit} (see {@link #closeOpenSegment()}). */
  private boolean failed;
  private long firstStart90k = Long.MIN_VALUE;
  private Instant dashAvailabilityStart;
  /** Smallest move of {@link #dashAvailabilityStart} (see {@link #updateAvailabilityStart()}). */
  private static final long AST_JITTER_MILLIS = 250;
  /** The EXT-X-SESSION-KEYs (root-relative), taken from the first protected segment; null until then. */
  private List<HlsKey> sessionKeys;
  /** EVENT and LIVE: per rendition directory the segments kept in the sink (live + DVR window). */
  private final Map<String, DvrWindow> retained = new java.util.concurrent.ConcurrentHashMap<>();
  /** The state loaded from the {@link ChannelStateStore} at the first segment (null: fresh start). */
  private ChannelState restored;
  /** Whether the {@link ChannelStateStore} was read (at the first event, before any sample is placed). */
  private boolean stateLoaded;
  /** The highest next media sequence number saved so far: saves never lower it (see {@link #reserve}). */
  private long reservedNext = -1;
  private long sequenceBase;
  private long discontinuityCount;
  private final ArrayDeque<RestoredExpiring> restoredExpiring = new ArrayDeque<>();

  private HlsPackager(Builder config, SegmentSink sink) {
    this.config = config;
    this.sink = sink;
    this.names = SegmentNameTemplate.of(config.segmentNameTemplate != null ? config.segmentNameTemplate
        : config.segmentFormat.defaultSegmentNameTemplate());
    ChunkingPolicy policy = ChunkingPolicy.of(config.segmentDuration)
        .withMergeShortTail(config.playlistType == HlsPlaylistType.VOD);
    this.adSignals = new AdBreakSignals(config.effectiveAdMarkers(), !config.programDateTime());
    long bound90k = Timestamps.fromDuration(config.segmentDuration.plus(config.maxKeyframeInterval));
    this.fixedTargetDuration = (int) Math.max(1, (bound90k + Timestamps.TICKS_PER_SECOND - 1)
        / Timestamps.TICKS_PER_SECOND);
    this.sequenceBase = config.firstMediaSequence;
    this.parts = config.partTarget == null ? null : new PartialSegmentWriter(config.partTarget,
        config.firstMediaSequence, fixedTargetDuration, config.playlistName, config.listSize, sink, this::reserve);
    this.chunker = new Chunker(policy, this::onChunk, parts);
    this.audioGaps = new AudioGapFiller(this::recycleDropped);
  }

  /** Starts configuring a packager. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void emit(StreamEvent event) throws MediaException {
    Preconditions.requireState(!finished, "packager already finished");
    try {
      accept(event);
    } catch (MediaException | RuntimeException e) {
      failed = true; // the segment in progress cannot be trusted any more (see closeOpenSegment)
      throw e;
    }
  }

  private void accept(StreamEvent event) throws MediaException {
    loadStateOnce();
    if (event instanceof StreamEvent.TrackAdded added) {
      formats.putIfAbsent(added.format().trackId(), added.format());
      audioGaps.onFormat(added.format());
    } else if (event instanceof StreamEvent.TrackChanged changed) {
      if (renditions.isEmpty()) {
        formats.put(changed.format().trackId(), changed.format());
      }
      audioGaps.onFormat(changed.format());
    } else if (event instanceof MediaSample sample) {
      adSignals.onSample(sample);
    } else if (event instanceof SpliceCue cue) {
      adSignals.onCue(cue, chunker);
    } else if (event instanceof StreamEvent.Discontinuity) {
      adSignals.onDiscontinuity();
    }
    StreamEvent.Discontinuity jump = jumps.check(event, chunker.leadTrackId());
    if (jump != null) {
      chunker.onEvent(jump); // a source reset without a signalled discontinuity
    }
    chunker.onEvent(event);
    if (parts != null && !renditions.isEmpty()) {
      // Before the renditions are laid out (at the first chunk: only then are all tracks known), placements
      // wait, so the first segments get their parts too instead of none.
      parts.drain(renditions);
    }
    if (event instanceof StreamEvent.EndOfStream) {
      finish();
    }
  }

  /**
   * Ends the input here without ending the stream: the segment in progress is closed as if the input ended
   * (published with its last Low-Latency parts, listed by the playlists) but no {@code EXT-X-ENDLIST} is
   * written, so that a new packager on the same sink continues the channel from {@link #state()} without losing
   * that media and, with Low-Latency HLS, without skipping the number its parts were published under. The
   * packager takes no more input afterwards. Does nothing and answers false when it already finished, or failed
   * (an exception escaped {@link #emit}: its segment in progress cannot be trusted); a failure here leaves it
   * failed too, and {@link #state()} still describes what was published.
   *
   * @return whether the input was ended here
   */
  public boolean closeOpenSegment() throws MediaException {
    if (finished || failed) {
      return false;
    }
    finished = true;
    if (renditions.isEmpty() && chunker.samplesIn() == 0) {
      return true;
    }
    if (parts != null) {
      parts.finishing(); // no preload hint past the closed segment
    }
    try {
      chunker.finish();
    } catch (MediaException | RuntimeException e) {
      failed = true;
      throw e;
    }
    return true;
  }

  /**
   * Flushes the last segment and writes the final playlists (with {@code EXT-X-ENDLIST} for VOD and
   * EVENT, and for LIVE too: the stream ended). Idempotent.
   */
  public void finish() throws MediaException {
    if (finished) {
      return;
    }
    if (parts != null) {
      parts.finishing();
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

  /** The SCTE-35 ad breaks placed so far (LIVE: those still in the window), oldest first. */
  public List<AdBreak> adBreaks() {
    return adSignals.adBreaks();
  }

  /** Bit-rate entries held per rendition (tests: bounded for EVENT and LIVE). */
  List<Integer> retainedSizes() {
    return renditions.stream().map(RenditionWriter::retainedSizes).toList();
  }

  /** The renditions with their sizes so far, for a {@link MultivariantPlanner}; URIs relative to the root. */
  public List<MultivariantPlanner.Rendition> renditions() {
    return renditions(config.playlistName);
  }

  private List<MultivariantPlanner.Rendition> renditions(String playlistFileName) {
    List<MultivariantPlanner.Rendition> out = new ArrayList<>();
    for (RenditionWriter r : renditions) {
      out.add(r.summary(r.playlistName(playlistFileName), targetDuration(r)));
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

  /**
   * With a {@link TsPacketCopier} or {@link Mp4SampleCopier}: fails with NotCopyable where the segment would differ
   * from the source's bytes (a new period, inserted silence, dropped video; for TS also audio in its own
   * rendition).
   */
  private void checkCopyable(Chunk chunk) {
    String why = chunk.discontinuity() ? "a discontinuity"
        : audioGaps.framesInserted() > 0 ? "an audio gap to fill"
        : chunker.samplesDropped() > 0 ? "video before a keyframe"
        : config.packetCopier != null && renditions.size() != 1 ? renditions.size() + " renditions"
        : null;
    if (why != null) {
      throw new NotCopyable(why + " at segment " + chunk.sequence());
    }
  }

  private void onChunk(Chunk chunk) throws MediaException {
    if (renditions.isEmpty()) {
      loadStateOnce();
      layOut();
    }
    if (restored != null && chunk.sequence() == 0 && !chunk.discontinuity()) {
      // a restart: the new encoder session does not continue the old timeline (RFC 8216 §4.3.2.3)
      chunk = new Chunk(chunk.sequence(), chunk.period(), true, chunk.start90k(), chunk.duration90k(),
          chunk.samples());
    }
    if (config.fillAudioGaps) {
      chunk = audioGaps.fill(chunk);
    }
    if (config.packetCopier != null || config.sampleCopier != null) {
      checkCopyable(chunk);
    }
    long discontinuitiesBefore = discontinuityCount;
    if (chunk.discontinuity()) {
      discontinuityCount++;
    }
    long sequence = sequenceBase + chunk.sequence();
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
    }
    if (config.playlistType != HlsPlaylistType.VOD) {
      reserve(sequence + 1);
    }
    OffsetDateTime chunkDate = programDateTime(chunk);
    adSignals.onChunk(sequence, chunk, chunkDate);
    OffsetDateTime pdt = config.programDateTime() ? chunkDate : null; // else only for date ranges, see decorate
    timings.addLast(new SegmentTiming(sequence, chunk.period(), chunk.start90k(), chunk.duration90k()));
    if (config.playlistType == HlsPlaylistType.LIVE && timings.size() > config.listSize) {
      timings.removeFirst();
    }
    // Retention runs on the packaged duration, which keeps growing across discontinuities (timestamps may not).
    packagedDuration90k += chunk.duration90k();
    updateAvailabilityStart();
    long now90k = packagedDuration90k;
    // every init segment first: writing a segment drains the Low-Latency placements of all renditions, which
    // become parts only for renditions whose init exists
    Set<RenditionWriter> freshInit = new HashSet<>();
    for (RenditionWriter r : renditions) {
      if (r.format() == SegmentFormat.FMP4 && r.fmp4Track() == null) {
        if (config.sampleCopier != null) {
          // clear: the samples' bytes are copied from the file after the segment's boxes; sample encryption: they
          // are read from the file into the samples, in MP4 form, and the fragment writer encrypts them
          r.sampleData(config.sampleEncryption == null
              ? SampleData.EXTERNAL : SampleData.MP4_FORM);
        }
        writeInit(r, sequence, chunk);
        freshInit.add(r);
      }
    }
    for (RenditionWriter r : renditions) {
      SegmentContext context = new SegmentContext(r.dir(), sequence, r.trackTypes());
      if (!freshInit.contains(r)) {
        ByteSlice init = r.switchInit(sequence, chunk); // new parameter sets after a discontinuity (a slate)
        if (init != null) {
          write(r.dir() + "/" + r.initName(sequence), init);
        }
      }
      // SAMPLE-AES of TS samples before muxing, or ISO Common Encryption (cenc/cbcs) of fMP4 samples; null: clear
      SegmentSampleEncryptor sampleEncryptor = config.sampleEncryption != null
          ? config.sampleEncryption.forSegment(context) : null;
      if (sampleEncryptor != null
          && (sampleEncryptor.scheme() == SampleEncryptionScheme.SAMPLE_AES) != (r.format() == SegmentFormat.TS)) {
        throw MediaException.of(MediaException.Kind.UNSUPPORTED, sampleEncryptor.scheme() + " cannot encrypt "
            + r.format() + " segments: SAMPLE-AES is for MPEG-TS, cenc/cbcs for fMP4");
      }
      TsPacketCopier.Plan copy = config.packetCopier != null ? config.packetCopier.plan(chunk) : null;
      String segmentName;
      String path;
      SegmentProtection protection;
      long size;
      if (config.sampleCopier != null && config.sampleEncryption == null) {
        // clear fMP4: styp + moof + mdat header here, the samples from the file
        RenditionWriter.Written boxes = r.write(sequence, chunk, null);
        List<SegmentSink.FileRegion> regions = config.sampleCopier.regions(chunk, r::hasTrack);
        segmentName = r.segmentName(names, sequence, chunk);
        path = r.dir() + "/" + segmentName;
        size = boxes.bytes().length();
        for (SegmentSink.FileRegion region : regions) {
          size += region.length();
        }
        try {
          sink.write(path, boxes.bytes(), config.sampleCopier.channel(), regions);
        } catch (IOException e) {
          throw sinkFailure("cannot write " + path, e);
        }
        protection = null;
      } else if (copy != null && !config.deferSegmentTransform) {
        // clear (the builder allows no other transform): the sink's writer threads copy the packets
        r.copied(sequence, null);
        segmentName = r.segmentName(names, sequence, chunk);
        path = r.dir() + "/" + segmentName;
        writeCopy(path, copy);
        protection = null;
        size = copy.length();
      } else {
        RenditionWriter.Written segment = copy != null
            ? r.copied(sequence, config.packetCopier.bytes(copy, config.segmentBuffers))
            : config.sampleCopier != null ? r.write(sequence, config.sampleCopier.withBytes(chunk, r::hasTrack),
                sampleEncryptor) // sample-encrypted fMP4 of MP4 samples: their bytes read from the file, as they are
            : r.write(sequence, chunk, sampleEncryptor);
        segmentName = r.segmentName(names, sequence, chunk);
        ByteSlice bytes = parts == null ? segment.bytes()
            : parts.segmentBytes(r, sequence, chunk, segment.bytes(), renditions);
        path = r.dir() + "/" + segmentName;
        // the batch packager's sink encrypts (AES-128) on its writer threads: only the plan is made here
        DeferredSegment deferred = config.deferSegmentTransform && parts == null
            ? config.segmentTransform.defer(context, bytes) : null;
        if (deferred != null) {
          writeDeferred(path, deferred, bytes);
          protection = deferred.protection();
          size = deferred.length();
        } else {
          TransformedSegment published = config.segmentTransform.transform(context, bytes);
          if (config.segmentBuffers != null && published.bytes() != bytes
              && !config.segmentTransform.sharesInput()) {
            config.segmentBuffers.recycle(bytes); // the muxed bytes are not published (e.g. encrypted): reuse now
          }
          write(path, published.bytes());
          protection = published.protection();
          size = published.servedLength();
        }
      }
      config.listener.onSegmentWritten(path, Timestamps.toDuration(chunk.duration90k()), size);
      List<SegmentProtection> protections = new ArrayList<>();
      if (protection != null) {
        protections.add(protection);
      }
      // a clear-lead segment of an encrypted fMP4 rendition lists the default key too (RenditionWriter)
      protections.addAll(sampleEncryptor != null ? sampleEncryptor.protections() : r.defaultProtections());
      List<HlsKey> keys = new ArrayList<>();
      for (SegmentProtection p : protections) {
        keys.add(hlsKey(p, r.dir()));
      }
      recordSessionKeys(protections);
      List<String> expiredNames = r.append(segmentName, chunk, pdt, size, now90k, config.retention90k(), keys);
      DvrWindow window = retained.get(r.dir());
      if (window != null) {
        // the DVR index keeps the first key line (the identity one); restored playlists list only that
        List<String> gone = window.add(new RetainedSegment(sequence, segmentName, chunk.duration90k(), pdt,
            chunk.discontinuity(), discontinuitiesBefore, size, keys.isEmpty() ? null : keys.get(0),
            retainedInit(r, sequence)), now90k,
            config.retention90k());
        if (config.dvrWindow != null) {
          // the DVR window keeps at least the live window: its deletions replace the live window's
          expiredNames = gone.stream().map(n -> r.dir() + "/" + n).toList();
        }
      }
      for (String expired : expiredNames) {
        try {
          sink.delete(expired);
        } catch (IOException e) {
          throw sinkFailure("cannot delete " + expired, e);
        }
      }
    }
    if (config.sampleCopier != null) {
      config.sampleCopier.release(chunk);
    }
    deleteRestoredExpiring(now90k);
    if (config.playlistType != HlsPlaylistType.VOD) {
      writePlaylists(/* endList= */ false);
      saveState(sequence + 1);
    }
    recycleSamples(chunk);
  }

  /**
   * Every rendition has copied {@code chunk}'s samples into its segment: their arrays go back to the pools the
   * input lent them from ({@link Builder#sampleRecycler}). Not with partial segments, nor, with fMP4 segments,
   * the first sample of each track in a period's first chunk, which the init segments keep ({@code
   * Fmp4Track.firstSample}, {@code RenditionWriter.switchInit}). Only those: the whole first chunk left
   * unrecycled stayed lent in {@code PayloadArrays} for the rest of the job (12 MB of arrays for a 419 MB MP4,
   * the last straw for {@code -Xmx64m}).
   */
  private void recycleSamples(Chunk chunk) {
    SampleRecycler recycler = config.sampleRecycler;
    if (recycler == null || parts != null) {
      return;
    }
    boolean initKeepsSamples = config.segmentFormat == SegmentFormat.FMP4
        && (chunk.sequence() == 0 || chunk.discontinuity());
    Set<Integer> firstOfTrack = initKeepsSamples ? new HashSet<>() : null;
    for (MediaSample s : chunk.samples()) {
      if (firstOfTrack != null && firstOfTrack.add(s.trackId())) {
        continue; // an init segment keeps it
      }
      recycler.recycle(s.data());
    }
  }

  /** A late audio sample the gap filler dropped (silence covers its time): nothing reads it any more. */
  private void recycleDropped(MediaSample s) {
    if (config.sampleRecycler != null && parts == null) {
      config.sampleRecycler.recycle(s.data());
    }
  }


  /**
   * DASH availabilityStartTime (ISO/IEC 23009-1 §5.3.9.5.3: a segment is available at AST + its end time): the
   * wall-clock instant at which the packaged media would have started had it arrived in real time, i.e. now
   * minus everything packaged so far. A source that delivers faster than real time at first (a preroll, a
   * catch-up burst) moves it earlier, so the latest segment is always "available now" and players compute
   * the live edge at the newest segment instead of seconds behind it (Shaka then jumped ahead and played
   * nothing). It only ever moves earlier, and only by more than {@value #AST_JITTER_MILLIS} ms, so arrival
   * jitter does not rewrite it on every update.
   */
  private void updateAvailabilityStart() {
    Instant candidate = config.clock.instant().truncatedTo(ChronoUnit.MILLIS)
        .minus(Timestamps.toDuration(packagedDuration90k));
    if (dashAvailabilityStart == null
        || candidate.isBefore(dashAvailabilityStart.minusMillis(AST_JITTER_MILLIS))) {
      dashAvailabilityStart = candidate;
    }
  }

  /**
   * Loads the channel state (restart) once, before the chunker places the first sample: the numbering of
   * the Low-Latency parts, assigned as samples are placed, continues the restored sequence too.
   */
  private void loadStateOnce() throws MediaException {
    if (stateLoaded) {
      return;
    }
    stateLoaded = true;
    restoreState();
    if (parts != null) {
      parts.continueFrom(sequenceBase);
    }
  }

  /** Loads the channel state (restart): the {@link Builder#initialState} if set, else the store's. */
  private void restoreState() throws MediaException {
    if (config.initialState != null) {
      restored = config.initialState;
    } else if (config.stateStore == null) {
      return;
    } else {
      try {
        restored = config.stateStore.load(config.stateChannel());
      } catch (IOException e) {
        throw MediaException.of(MediaException.Kind.IO, "cannot load the state of channel "
            + config.stateChannel() + ": " + e.getMessage(), e);
      }
    }
    if (restored != null) {
      restored = contiguous(withoutMissingSegments(restored));
      sequenceBase = restored.nextMediaSequence();
      discontinuityCount = restored.discontinuityCount();
      lastSegmentEnd = restored.lastSegmentEnd();
      // segments of the previous run still in their grace period: deleted after a grace period from now
      for (Map.Entry<String, List<String>> e : restored.expiring().entrySet()) {
        for (String name : e.getValue()) {
          restoredExpiring.addLast(new RestoredExpiring(e.getKey() + "/" + name, config.retention90k()));
        }
      }
    }
  }

  /**
   * The sink may have lost files while the packager was down (a tmpfs after a reboot, a cleanup job): only the
   * segments after the last missing one are listed again, so a restored playlist never lists a 404 and stays
   * contiguous.
   */
  private ChannelState withoutMissingSegments(ChannelState state) throws MediaException {
    Map<String, List<RetainedSegment>> kept = new LinkedHashMap<>();
    for (Map.Entry<String, List<RetainedSegment>> e : state.renditions().entrySet()) {
      List<RetainedSegment> segments = e.getValue();
      int from = 0;
      for (int i = 0; i < segments.size(); i++) {
        String path = e.getKey() + "/" + segments.get(i).uri();
        try {
          if (!sink.exists(path)) {
            from = i + 1;
          }
        } catch (IOException ex) {
          throw MediaException.of(MediaException.Kind.IO, "cannot check " + path + ": " + ex.getMessage(), ex);
        }
      }
      kept.put(e.getKey(), segments.subList(from, segments.size()));
    }
    return new ChannelState(state.nextMediaSequence(), state.discontinuityCount(), state.lastSegmentEnd(), kept,
        state.expiring());
  }

  /**
   * A restart after a crash between publishing number {@code next - 1} (its segment, or Low-Latency parts of
   * it) and saving the state that lists it (see {@link #reserve}): that number is skipped, and as a playlist
   * numbers its segments by position, the previous run's segments are not listed again but deleted after a
   * grace period, with what was published under the skipped number (segment files named by
   * {@code $Number$} alone, parts).
   */
  private ChannelState contiguous(ChannelState state) throws MediaException {
    long next = state.nextMediaSequence();
    Map<String, List<RetainedSegment>> kept = new LinkedHashMap<>();
    Map<String, List<String>> expiring = new LinkedHashMap<>(state.expiring());
    for (Map.Entry<String, List<RetainedSegment>> e : state.renditions().entrySet()) {
      List<RetainedSegment> segments = e.getValue();
      boolean relist = !segments.isEmpty() && segments.get(segments.size() - 1).sequence() + 1 == next;
      kept.put(e.getKey(), relist ? segments : List.of());
      if (relist || next == 0) {
        continue;
      }
      List<String> gone = new ArrayList<>(expiring.getOrDefault(e.getKey(), List.of()));
      segments.forEach(r -> gone.add(r.uri()));
      if (!names.dependsOnTime()) {
        gone.add(names.name(next - 1, 0));
      }
      if (parts != null) {
        gone.addAll(existingParts(e.getKey(), next - 1));
      }
      expiring.put(e.getKey(), gone);
    }
    return new ChannelState(next, state.discontinuityCount(), state.lastSegmentEnd(), kept, expiring);
  }

  /** The Low-Latency part files of segment {@code sequence} in {@code dir} (bounded by a segment's parts). */
  private List<String> existingParts(String dir, long sequence) throws MediaException {
    List<String> found = new ArrayList<>();
    long max = Timestamps.fromDuration(config.segmentDuration.plus(config.maxKeyframeInterval))
        / Math.max(1, Timestamps.fromDuration(config.partTarget)) + 2;
    for (int i = 0; i <= max; i++) {
      String name = PartialSegmentWriter.partName(sequence, i);
      try {
        if (!sink.exists(dir + "/" + name)) {
          break;
        }
      } catch (IOException ex) {
        throw MediaException.of(MediaException.Kind.IO, "cannot check " + name + ": " + ex.getMessage(), ex);
      }
      found.add(name);
    }
    return found;
  }

  /**
   * Saves the state with {@code next} as the next media sequence number before anything numbered
   * {@code next - 1} is published (its segment, or its first Low-Latency part): a crash before the state
   * listing it is saved restarts past that number instead of overwriting what a client may already hold.
   */
  private void reserve(long next) throws MediaException {
    if (next <= reservedNext) {
      return;
    }
    if (config.stateStore != null) {
      saveState(next);
    } else {
      reservedNext = next; // for state(): a number published under is used, with or without a store
    }
  }

  /** Deletes the previous run's expiring segments whose new grace period ended. */
  private void deleteRestoredExpiring(long now90k) throws MediaException {
    while (!restoredExpiring.isEmpty() && restoredExpiring.peekFirst().deleteAt90k() <= now90k) {
      String path = restoredExpiring.removeFirst().path();
      try {
        sink.delete(path);
      } catch (IOException e) {
        throw MediaException.of(MediaException.Kind.IO, "cannot delete " + path + ": " + e.getMessage(), e);
      }
    }
  }

  private record RestoredExpiring(String path, long deleteAt90k) {}

  private void saveState(long next) throws MediaException {
    if (config.stateStore == null) {
      return;
    }
    long nextSequence = Math.max(next, reservedNext);
    reservedNext = nextSequence;
    ChannelState state = snapshot(nextSequence);
    try {
      config.stateStore.save(config.stateChannel(), state);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot save the state of channel " + config.stateChannel()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * The channel state now, as a {@link Builder#stateStore} would hold it after the last segment (and after the
   * first Low-Latency part of the segment in progress): give it to a new packager on the same sink through
   * {@link Builder#initialState} and that one continues the channel as after a restart: numbering, discontinuity
   * count, the live and DVR windows (listed again, EXT-X-DISCONTINUITY at the junction), and the deletion of the
   * segments in their grace period. Null when the packager has neither packaged nor restored anything. Call it on
   * the feeding thread (e.g. after a failure, to rebuild the pipeline without losing the windows).
   *
   * @throws MediaException if the state store cannot be read (the state is loaded at the first event)
   */
  public ChannelState state() throws MediaException {
    loadStateOnce();
    long next = Math.max(reservedNext, sequenceBase);
    if (renditions.isEmpty()) {
      return restored == null ? null : new ChannelState(Math.max(next, restored.nextMediaSequence()),
          restored.discontinuityCount(), restored.lastSegmentEnd(), restored.renditions(), pendingExpiring());
    }
    return snapshot(next);
  }

  /** The restored state's expiring segments not yet deleted (before the first segment of this run). */
  private Map<String, List<String>> pendingExpiring() {
    Map<String, List<String>> expiring = new LinkedHashMap<>();
    for (RestoredExpiring e : restoredExpiring) {
      int slash = e.path().lastIndexOf('/');
      expiring.computeIfAbsent(e.path().substring(0, slash), d -> new ArrayList<>())
          .add(e.path().substring(slash + 1));
    }
    return expiring;
  }

  private ChannelState snapshot(long nextSequence) {
    Map<String, List<RetainedSegment>> segments = new LinkedHashMap<>();
    Map<String, List<String>> expiring = new LinkedHashMap<>();
    for (RenditionWriter r : renditions) {
      DvrWindow w = retained.get(r.dir());
      if (w != null) {
        segments.put(r.dir(), w.segments());
        List<String> pending = new ArrayList<>(w.expiring());
        for (RestoredExpiring e : restoredExpiring) {
          if (e.path().startsWith(r.dir() + "/")) {
            pending.add(e.path().substring(r.dir().length() + 1));
          }
        }
        expiring.put(r.dir(), pending);
      }
    }
    return new ChannelState(nextSequence, discontinuityCount, lastSegmentEnd, segments, expiring);
  }

  /**
   * The segments kept for rendition directory {@code dir} (EVENT and LIVE: the live window plus the DVR
   * window), or null for an unknown rendition or VOD. Thread-safe.
   */
  public DvrWindow dvrWindow(String dir) {
    return retained.get(dir);
  }

  /**
   * Catch-up and start-over playlists over the retained segments by PROGRAM-DATE-TIME (EVENT and LIVE); serve
   * them with {@link io.iptv.segmenter.dvr.CatchupEndpoint}. Thread-safe.
   */
  public CatchupPlaylists catchupPlaylists() {
    return new CatchupPlaylists(retained::get, fixedTargetDuration, config.clock);
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

  /**
   * Remembers the protections of the first protected segment as the multivariant playlist's
   * {@code EXT-X-SESSION-KEY}s (RFC 8216 §4.3.4.5), when {@link Builder#sessionKeys} is on; later calls do
   * nothing. Channel-relative URIs stay as they are: the multivariant playlist is at the channel root.
   */
  void recordSessionKeys(List<SegmentProtection> protections) {
    if (!config.sessionKeys || sessionKeys != null || protections.isEmpty()) {
      return;
    }
    List<HlsKey> keys = new ArrayList<>();
    for (SegmentProtection p : protections) {
      HlsKey key = new HlsKey(p.method(), p.uri(), p.ivHex(), p.keyFormat(), p.keyFormatVersions());
      if (!keys.contains(key)) {
        keys.add(key);
      }
    }
    sessionKeys = List.copyOf(keys);
  }

  private void writePlaylists(boolean endList) throws MediaException {
    for (RenditionWriter r : renditions) {
      MediaPlaylist playlist = adSignals.decorate(r.playlist(
          config.playlistType == HlsPlaylistType.VOD ? 0 : fixedTargetDuration, endList));
      if (parts != null) {
        parts.writePlaylist(r, playlist, renditions);
      } else {
        write(r.playlistName(config.playlistName), writer.writeBytes(playlist));
      }
      DvrWindow dvr = retained.get(r.dir());
      if (config.dvrWindow != null && dvr != null) {
        write(r.playlistName(config.dvrPlaylistName), writer.writeBytes(endList
            ? dvr.playlist(fixedTargetDuration).toBuilder().endList(true).build() : dvr.playlist(fixedTargetDuration)));
      }
      if (r.hasIFramePlaylist()) {
        write(r.playlistName(config.iFramePlaylistName), writer.writeBytes(r.iFramePlaylist(
            config.playlistType == HlsPlaylistType.VOD ? 0 : fixedTargetDuration, endList)));
      }
    }
    if (config.multivariantName != null) {
      MultivariantPlaylist master = MultivariantPlanner.plan(renditions(), iFrameRenditions());
      if (sessionKeys != null) {
        master = master.withSessionKeys(sessionKeys);
      }
      write(config.multivariantName, writer.writeBytes(master));
    }
    if (config.dvrWindow != null && config.multivariantName != null) {
      // the same renditions, each with its timeshift playlist
      write(config.dvrMultivariantName, writer.writeBytes(MultivariantPlanner.plan(
          renditions(config.dvrPlaylistName), List.of())));
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
          protection.scheme().fourcc(), ContentProtection.uuid(protection.keyIdHex()), protection.psshBoxes(),
          protection.psshInInit());
      out.add(new DashRepresentation(r.dir(), r.tracks().get(0), track.timescale(), peak,
          r.dir() + "/" + r.firstInitName(), r.dir() + "/" + names, timeline.get(0).sequence(),
          track.fromTicks90k(firstStart90k), segments, dashProtection));
    }
    return out;
  }

  /** The MPD writer for the current state: static for VOD (and ended streams), dynamic for EVENT/LIVE. */
  MpdWriter mpdWriter(boolean ended) {
    MpdWriter.Builder b = MpdWriter.builder().minBufferTime(config.segmentDuration);
    if (adSignals.enabled() && firstStart90k != Long.MIN_VALUE) {
      b.scte35Events(adSignals.dashEvents(firstStart90k));
    }
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
      throw sinkFailure("cannot write " + name, e);
    }
  }

  /** Hands the segment's packets to the sink as regions of the input file: copied without the heap. */
  private void writeCopy(String name, TsPacketCopier.Plan copy) throws MediaException {
    try {
      sink.write(name, ByteSlice.empty(), config.packetCopier.channel(), copy.regions());
    } catch (IOException e) {
      throw sinkFailure("cannot write " + name, e);
    }
  }

  /**
   * Hands {@code deferred}'s filler to the sink, which may run it on another thread, into an array from the
   * segment buffers (recycled by the sink once written); the muxed {@code clear} bytes go back to the segment
   * buffers once the filler has run (not before: it reads them).
   */
  private void writeDeferred(String name, DeferredSegment deferred, ByteSlice clear) throws MediaException {
    io.iptv.segmenter.ts.SegmentBufferPool buffers = config.segmentBuffers;
    int length = deferred.length();
    try {
      sink.write(name, length, () -> {
        byte[] out = buffers != null ? buffers.take(length, length) : new byte[length];
        try {
          deferred.filler().fill(out);
        } catch (MediaException | RuntimeException e) {
          if (buffers != null) {
            buffers.giveBack(out);
          }
          throw e;
        } finally {
          if (buffers != null) {
            buffers.recycle(clear);
          }
        }
        return buffers != null ? buffers.lend(out, length) : ByteSlice.wrap(out, 0, length);
      });
    } catch (MediaException e) {
      throw e; // the filler failed, run inline by the sink
    } catch (IOException e) {
      throw sinkFailure("cannot write " + name, e);
    }
  }

  /**
   * A sink failure as a {@link MediaException}: of the kind of a failed deferred computation's (e.g.
   * {@code KEY_UNAVAILABLE}) when the sink reports one, else {@link MediaException.Kind#IO}.
   */
  private static MediaException sinkFailure(String what, IOException e) {
    return MediaException.of(BackgroundSegmentSink.kindOf(e), what + ": " + e.getMessage(), e);
  }

  private OffsetDateTime programDateTime(Chunk chunk) {
    if (!config.programDateTime() && !adSignals.needsDates()) {
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

  /** FMP4: writes the init segment of {@code r} from the first samples of its track in {@code first}. */
  private void writeInit(RenditionWriter r, long sequence, Chunk first) throws MediaException {
    SegmentContext context = new SegmentContext(r.dir(), sequence, r.trackTypes());
    SegmentSampleEncryptor defaults = config.sampleEncryption != null
        ? config.sampleEncryption.defaultEncryptor(context) : null;
    // a restarted packager leaves the previous run's init.mp4 to the segments it lists again: the encoder
    // may have changed, and an EXT-X-MAP must not change under a listed segment (RFC 8216 §4.3.2.5)
    String initName = restored == null ? SegmentFormat.INIT_SEGMENT_NAME : "init-" + sequence + ".mp4";
    write(r.dir() + "/" + initName, r.initSegment(first, defaults, initName));
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
          renditions.add(new RenditionWriter(base, List.of(audio.get(0)), false, newWindow(base, fmt), fmt,
              renditionTargetDuration(), null, config.segmentBuffers));
        }
        return;
      }
      renditions.add(new RenditionWriter(base, List.of(video), false, newWindow(base, fmt), fmt,
          renditionTargetDuration(), newIFrameWindow(), config.segmentBuffers));
      addAudioRenditions(base, audio, fmt);
      return;
    }
    if (audio.size() <= 1 || video == null) {
      List<TrackFormat> tracks = new ArrayList<>();
      if (video != null) {
        tracks.add(video);
      }
      tracks.addAll(video == null && !audio.isEmpty() ? audio.subList(0, 1) : audio);
      renditions.add(new RenditionWriter(base, tracks, false, newWindow(base, SegmentFormat.TS),
          SegmentFormat.TS, renditionTargetDuration(), newIFrameWindow(), config.segmentBuffers));
      return;
    }
    renditions.add(new RenditionWriter(base, List.of(video), false, newWindow(base, SegmentFormat.TS),
        SegmentFormat.TS, renditionTargetDuration(), newIFrameWindow(), config.segmentBuffers));
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
      renditions.add(new RenditionWriter(dir, List.of(a), true, newWindow(dir, fmt), fmt,
          renditionTargetDuration(), null, config.segmentBuffers));
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

  /**
   * The playlist window of rendition {@code dir}, continuing the restored state if any; for EVENT and LIVE also
   * registers the rendition's {@link DvrWindow}.
   */
  private LiveWindow newWindow(String dir, SegmentFormat fmt) {
    List<RetainedSegment> before = restored == null ? null : restored.renditions().get(dir);
    if (config.playlistType != HlsPlaylistType.VOD) {
      retained.put(dir, newRetainedWindow(fmt, before));
    }
    if (before != null && !before.isEmpty() && config.playlistType != HlsPlaylistType.VOD) {
      return restoredWindow(fmt, before);
    }
    if (restored != null) {
      // nothing to list again: a fresh window continuing the numbering and the discontinuity count
      return LiveWindow.restored(config.playlistType == HlsPlaylistType.LIVE ? null
          : MediaPlaylist.PlaylistType.EVENT, config.listSize, sequenceBase, discontinuityCount, List.of());
    }
    return switch (config.playlistType) {
      case VOD -> LiveWindow.growing(MediaPlaylist.PlaylistType.VOD, config.firstMediaSequence);
      case EVENT -> LiveWindow.growing(MediaPlaylist.PlaylistType.EVENT, config.firstMediaSequence);
      case LIVE -> LiveWindow.sliding(config.listSize, config.firstMediaSequence);
    };
  }

  /** FMP4: the init segment a retained segment needs, when it is not the default {@code init.mp4}; else null. */
  private static String retainedInit(RenditionWriter r, long sequence) {
    if (r.format() != SegmentFormat.FMP4) {
      return null;
    }
    String name = r.initName(sequence);
    return name.equals(SegmentFormat.INIT_SEGMENT_NAME) ? null : name;
  }

  /** The live window plus the DVR window of one rendition, with the restored segments. */
  private DvrWindow newRetainedWindow(SegmentFormat fmt, List<RetainedSegment> before) {
    DvrWindow.Builder dvr = DvrWindow.builder()
        .minSegments(config.playlistType == HlsPlaylistType.LIVE ? config.listSize : Integer.MAX_VALUE)
        .map(fmt == SegmentFormat.FMP4 ? new MediaInitialization(SegmentFormat.INIT_SEGMENT_NAME, null) : null);
    if (config.dvrWindow != null) {
      dvr.window(config.dvrWindow);
    }
    if (config.dvrMaxBytes > 0) {
      dvr.maxBytes(config.dvrMaxBytes);
    }
    DvrWindow window = dvr.build();
    if (before != null) {
      window.restore(before);
    }
    return window;
  }

  /** Re-lists the still-present segments of the previous run: the last listSize (LIVE) or all (EVENT). */
  private LiveWindow restoredWindow(SegmentFormat fmt, List<RetainedSegment> before) {
    int from = config.playlistType == HlsPlaylistType.LIVE ? Math.max(0, before.size() - config.listSize) : 0;
    List<MediaSegment> listed = new ArrayList<>();
    for (RetainedSegment s : before.subList(from, before.size())) {
      MediaSegment m = s.toMediaSegment();
      listed.add(fmt == SegmentFormat.FMP4 && m.map() == null
          ? m.toBuilder().map(new MediaInitialization(SegmentFormat.INIT_SEGMENT_NAME, null)).build() : m);
    }
    RetainedSegment first = before.get(from);
    return LiveWindow.restored(config.playlistType == HlsPlaylistType.LIVE ? null
        : MediaPlaylist.PlaylistType.EVENT, config.playlistType == HlsPlaylistType.LIVE ? config.listSize
        : Integer.MAX_VALUE, first.sequence(), first.discontinuitySequence(), listed);
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
    /** Segments copied from the source's packets instead of muxed (HlsFilePackager's packet-copy path). */
    private TsPacketCopier packetCopier;
    private Mp4SampleCopier sampleCopier;
    private SegmentFormat segmentFormat = SegmentFormat.TS;
    private String dashManifestName;
    private String iFramePlaylistName;
    private String playlistName = "index.m3u8";
    private String multivariantName = "master.m3u8";
    private String name = "stream";
    private boolean includeAudio = true;
    private InstantSource clock = InstantSource.system();
    private Boolean programDateTime;
    private boolean fillAudioGaps = true;
    private long firstMediaSequence;
    private PackagingListener listener = PackagingListener.NONE;
    private SegmentTransform segmentTransform = SegmentTransform.identity();
    private boolean sessionKeys;
    private SampleEncryption sampleEncryption; // null: none
    private Set<AdMarkerStyle> adMarkers;
    private Duration partTarget;
    private Duration dvrWindow;
    private long dvrMaxBytes;
    private String dvrPlaylistName = "dvr.m3u8";
    private String dvrMultivariantName = "master-dvr.m3u8";
    private ChannelStateStore stateStore;
    private String stateChannel;
    private ChannelState initialState;
    private io.iptv.segmenter.ts.SegmentBufferPool segmentBuffers; // null: a fresh array per TS segment
    private SampleRecycler sampleRecycler; // null: sample arrays are left to the garbage collector
    private boolean deferSegmentTransform;

    private Builder() {}

    /**
     * Gives each chunk's samples back to {@code recycler} (the pools the input lent them from, see
     * {@link SampleRecycler}) once every rendition has muxed the chunk into its segment, except, with fMP4, a
     * period's first chunk (the init segments keep its first samples). Sample encryption keeps nothing once a
     * segment is written ({@link SegmentSampleEncryptor}); partial segments may keep samples longer, so not with
     * them. Package-private: only {@link HlsFilePackager}, whose listener sees no samples, sets it.
     */
    Builder sampleRecycler(SampleRecycler recycler) {
      sampleRecycler = Objects.requireNonNull(recycler, "recycler");
      return this;
    }

    /**
     * Segment buffers (TS and fMP4) come from {@code pool} and each segment's bytes are lent out through it (see
     * {@link io.iptv.segmenter.ts.TsMuxer.Builder#segmentBuffers}); the sink may recycle them once written.
     * Package-private: only {@link HlsFilePackager}, whose sink is known to release segments, sets it.
     */
    Builder segmentBuffers(io.iptv.segmenter.ts.SegmentBufferPool pool) {
      segmentBuffers = Objects.requireNonNull(pool, "pool");
      return this;
    }

    /**
     * Plans each segment's transform with {@link SegmentTransform#defer} and leaves the computation to the sink
     * ({@link SegmentSink#write(String, long, io.iptv.core.pipeline.DeferredBytes)}), where the transform allows
     * it (not with partial segments). Package-private: only {@link HlsFilePackager}, whose
     * {@link BackgroundSegmentSink} runs the computations on its writer threads, sets it; other packagers
     * transform on their own thread, as before.
     */
    Builder deferSegmentTransform(boolean value) {
      deferSegmentTransform = value;
      return this;
    }

    /**
     * How SCTE-35 ad breaks are signalled in the Media Playlists (default {@link AdMarkerStyle#DATERANGE}; an
     * empty set ignores SCTE-35 altogether: no cuts, no signalling, no DASH events). With
     * {@link AdMarkerStyle#DATERANGE} the playlists get EXT-X-PROGRAM-DATE-TIME (RFC 8216bis §4.4.5.1 requires
     * it), for VOD only when a date range is written; asking for it together with {@code programDateTime(false)}
     * is refused, and {@code programDateTime(false)} with the default leaves only {@link AdMarkerStyle#CUE}.
     */
    public Builder adMarkers(Set<AdMarkerStyle> value) {
      once("adMarkers");
      adMarkers = value.isEmpty() ? EnumSet.noneOf(AdMarkerStyle.class) : EnumSet.copyOf(value);
      return this;
    }

    /**
     * LIVE: keep the segments of this much media time behind the live edge (a DVR / timeshift window) and
     * write a timeshift playlist ({@link #dvrPlaylistName}) per rendition listing them; they also serve
     * catch-up ({@link HlsPackager#catchupPlaylists()}). Default: none (only the live window, plus
     * {@code segmentRetention}). Evicted segments are deleted after {@code segmentRetention}.
     */
    public Builder dvrWindow(Duration value) {
      once("dvrWindow");
      Preconditions.requireArgument(value.compareTo(Duration.ofSeconds(1)) >= 0
          && value.compareTo(Duration.ofDays(30)) <= 0, "dvrWindow %s out of range 1 s..30 days", value);
      dvrWindow = value;
      return this;
    }

    /** LIVE with {@link #dvrWindow}: also bound each rendition's DVR window in bytes (default unbounded). */
    public Builder dvrMaxBytes(long value) {
      once("dvrMaxBytes");
      Preconditions.requireArgument(value > 0, "dvrMaxBytes %d <= 0", value);
      dvrMaxBytes = value;
      return this;
    }

    /** File name of the timeshift playlist in each rendition directory (default {@code dvr.m3u8}). */
    public Builder dvrPlaylistName(String value) {
      once("dvrPlaylistName");
      Preconditions.requireArgument(value.matches("[A-Za-z0-9._-]+\\.m3u8"), "invalid playlist name %s", value);
      dvrPlaylistName = value;
      return this;
    }

    /**
     * Low-Latency HLS (RFC 8216bis §4.4.4.9): publish each segment also as partial segments of at most this
     * duration (0.2 to 2 s; 0.3 to 1 s is typical), each one CMAF fragment written as soon as it is complete;
     * the playlists get EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-SERVER-CONTROL (blocking reload, delta
     * updates), EXT-X-RENDITION-REPORT, and a delta variant ({@code io.iptv.core.serve.LowLatencyNames}) for
     * {@code _HLS_skip=YES}. Serve them through an {@code OriginHandler} with low-latency serving on, signalled
     * by a {@link SignallingSegmentSink}. Needs {@link HlsPlaylistType#LIVE} (or EVENT) and
     * {@link SegmentFormat#FMP4}; no segment transform, no I-frame playlists. Default: none.
     */
    public Builder partTarget(Duration value) {
      once("partTarget");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(200)) >= 0
          && value.compareTo(Duration.ofSeconds(2)) <= 0, "partTarget %s out of range 0.2..2 s", value);
      partTarget = value;
      return this;
    }

    /**
     * Name of the multivariant playlist at the root listing the renditions' timeshift playlists, written with
     * {@link #dvrWindow} when a multivariant playlist is (default {@code master-dvr.m3u8}).
     */
    public Builder dvrMultivariantName(String value) {
      once("dvrMultivariantName");
      Preconditions.requireArgument(value.matches("[A-Za-z0-9._-]+\\.m3u8"), "invalid playlist name %s", value);
      dvrMultivariantName = value;
      return this;
    }

    /**
     * EVENT and LIVE: persist the channel's numbering and retained segments in {@code store} under
     * {@code channel} after every segment, and continue from them at start (media sequence continues, the
     * still-present segments are listed again, an EXT-X-DISCONTINUITY marks the junction). Default: none.
     */
    public Builder stateStore(ChannelStateStore store, String channel) {
      once("stateStore");
      stateStore = Objects.requireNonNull(store, "store");
      Preconditions.requireArgument(channel.matches("[A-Za-z0-9_-]{1,64}"), "bad channel name %s", channel);
      stateChannel = channel;
      return this;
    }

    /**
     * EVENT and LIVE: continue from {@code state}, taken with {@link HlsPackager#state()} from a packager that
     * wrote to the same sink (an in-process rebuild of a live pipeline), exactly as after a restart with a
     * {@link #stateStore}: numbering and discontinuity count continue, the still-present retained segments are
     * listed again, an EXT-X-DISCONTINUITY marks the junction. It takes precedence over the store's saved state
     * (a store, if set, keeps being saved to). Default: none.
     */
    public Builder initialState(ChannelState state) {
      once("initialState");
      initialState = Objects.requireNonNull(state, "state");
      return this;
    }

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

    /**
     * Whether holes of two or more frames in AAC audio are filled with silent frames (default yes;
     * {@link AudioGapFiller}): without it, an fMP4 audio rendition fails on a segment the source left without
     * audio, and players stall at the hole.
     */
    public Builder fillAudioGaps(boolean value) {
      once("fillAudioGaps");
      fillAudioGaps = value;
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
     * Whether the multivariant playlist repeats the first protected segment's keys as
     * {@code EXT-X-SESSION-KEY}s (RFC 8216 §4.3.4.5), so that players can start their DRM before loading a
     * media playlist (default false).
     */
    public Builder sessionKeys(boolean value) {
      once("sessionKeys");
      sessionKeys = value;
      return this;
    }

    /**
     * Encrypts samples rather than whole segments (default: none). TS segments take
     * {@link io.iptv.core.pipeline.SampleEncryptionScheme#SAMPLE_AES} (iptv-drm's {@code SampleAesEncryption}):
     * samples are encrypted before muxing and the PMT signals the SAMPLE-AES stream types. fMP4 segments take ISO
     * Common Encryption ({@code cenc}/{@code cbcs}, iptv-drm's {@code CencSampleEncryption}): protected sample
     * entries, {@code pssh}, per-fragment {@code senc}/{@code saiz}/{@code saio}, and DASH
     * {@code ContentProtection}. Every {@link SegmentSampleEncryptor#protections() protection} becomes an
     * {@code EXT-X-KEY}. Cannot be combined with an encrypting {@link #segmentTransform}.
     */
    public Builder sampleEncryption(SampleEncryption value) {
      once("sampleEncryption");
      sampleEncryption = Objects.requireNonNull(value, "sampleEncryption");
      return this;
    }

    /**
     * Takes the segments' bytes from {@code copier} (the source's packets) instead of muxing samples: for
     * {@link HlsFilePackager}, which feeds the packager from the same copier. VOD TS only, without sample
     * encryption or I-frame playlists.
     */
    Builder packetCopier(TsPacketCopier copier) {
      once("packetCopier");
      packetCopier = Objects.requireNonNull(copier, "copier");
      return this;
    }

    /**
     * Package-private: fMP4 segments whose samples are copied from an MP4 input file by the sink (see {@link
     * Mp4SampleCopier}); set by {@link HlsFilePackager}, which feeds the packager from the same copier. VOD fMP4
     * only, without I-frame playlists; with sample encryption the samples' bytes are read from the file instead
     * and encrypted by the fragment writer ({@link Mp4SampleCopier#withBytes}).
     */
    Builder sampleCopier(Mp4SampleCopier copier) {
      once("sampleCopier");
      sampleCopier = Objects.requireNonNull(copier, "copier");
      return this;
    }

    /** Builds a packager writing to {@code sink}. */
    public HlsPackager build(SegmentSink sink) {
      Preconditions.requireState(sampleCopier == null || (segmentFormat == SegmentFormat.FMP4
          && playlistType == HlsPlaylistType.VOD && iFramePlaylistName == null && partTarget == null
          && !set.contains("segmentTransform") && packetCopier == null),
          "sample copy is for VOD fMP4 without I-frames, parts or a segment transform");
      Preconditions.requireState(packetCopier == null || (segmentFormat == SegmentFormat.TS
          && playlistType == HlsPlaylistType.VOD && sampleEncryption == null && iFramePlaylistName == null
          && partTarget == null && (!set.contains("segmentTransform") || deferSegmentTransform)),
          "packet copy is for VOD TS without sample encryption, I-frames, parts or an immediate segment transform");
      Preconditions.requireState(sampleEncryption == null || !set.contains("segmentTransform"),
          "sample encryption and a segment transform (whole-segment AES-128) cannot both encrypt; choose one");
      Preconditions.requireState(sampleEncryption == null || segmentFormat != SegmentFormat.TS
          || iFramePlaylistName == null, "I-frame playlists of SAMPLE-AES TS segments are not supported");
      Preconditions.requireState(dashManifestName == null || segmentFormat == SegmentFormat.FMP4,
          "DASH needs SegmentFormat.FMP4");
      Preconditions.requireState(dashManifestName == null || !set.contains("segmentTransform"),
          "a segment transform (whole-segment AES-128) cannot be signalled in DASH; package DASH without it");
      Preconditions.requireState(iFramePlaylistName == null || !set.contains("segmentTransform"),
          "I-frame playlists address byte ranges of clear segments; they cannot be combined with a"
              + " whole-segment transform (AES-128)");
      Preconditions.requireState(adMarkers == null || !adMarkers.contains(AdMarkerStyle.DATERANGE)
          || !Boolean.FALSE.equals(programDateTime), "AdMarkerStyle.DATERANGE needs EXT-X-PROGRAM-DATE-TIME"
              + " (RFC 8216bis §4.4.5.1) but programDateTime(false) was set");
      if (partTarget != null) {
        Preconditions.requireState(playlistType != HlsPlaylistType.VOD, "partTarget needs a LIVE or EVENT playlist");
        Preconditions.requireState(segmentFormat == SegmentFormat.FMP4,
            "partTarget needs SegmentFormat.FMP4: each part is one CMAF fragment");
        Preconditions.requireState(!set.contains("segmentTransform") && iFramePlaylistName == null,
            "partTarget cannot be combined with a segment transform or I-frame playlists");
        Preconditions.requireState(partTarget.compareTo(segmentDuration) < 0,
            "partTarget %s must be shorter than segmentDuration %s", partTarget, segmentDuration);
      }
      Preconditions.requireState(dvrWindow == null || playlistType == HlsPlaylistType.LIVE,
          "dvrWindow needs a LIVE playlist");
      Preconditions.requireState(dvrMaxBytes == 0 || dvrWindow != null, "dvrMaxBytes needs dvrWindow");
      Preconditions.requireState(stateStore == null || playlistType != HlsPlaylistType.VOD,
          "a state store needs an EVENT or LIVE playlist");
      Preconditions.requireState(initialState == null || playlistType != HlsPlaylistType.VOD,
          "an initial state needs an EVENT or LIVE playlist");
      Preconditions.requireState(sampleEncryption == null || iFramePlaylistName == null
          || segmentFormat != SegmentFormat.FMP4,
          "I-frame playlists do not carry the EXT-X-KEYs of sample-encrypted fMP4 segments yet");
      Preconditions.requireState(sampleRecycler == null || partTarget == null,
          "samples are recycled only without partial segments");
      return new HlsPackager(this, Objects.requireNonNull(sink, "sink"));
    }

    Set<AdMarkerStyle> effectiveAdMarkers() {
      if (adMarkers != null) {
        return adMarkers;
      }
      return Boolean.FALSE.equals(programDateTime) ? EnumSet.of(AdMarkerStyle.CUE)
          : EnumSet.of(AdMarkerStyle.DATERANGE);
    }

    String stateChannel() {
      return stateChannel;
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
