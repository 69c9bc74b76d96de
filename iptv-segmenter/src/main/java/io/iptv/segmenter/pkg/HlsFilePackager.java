package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.es.SampleBufferPool;
import io.iptv.segmenter.hls.MultivariantPlanner;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import io.iptv.segmenter.hls.PlaylistWriter;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import io.iptv.segmenter.input.PayloadArrays;
import io.iptv.segmenter.ts.SegmentBufferPool;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Packages media files into an HLS directory: {@code DIR/master.m3u8}, one directory per rendition with
 * its {@code index.m3u8} and TS segments, all URIs relative (servable as static files). Several inputs are
 * renditions of the same content (an ABR ladder): they are chunked by the same rule, checked for alignment
 * and listed in one multivariant playlist.
 *
 * <p><b>Atomic output.</b> Everything is written into a hidden staging directory next to {@code DIR}
 * (segments as they complete, so memory stays bounded); only when every input succeeded are the files moved
 * into {@code DIR}: segments first, then media playlists, the multivariant playlist last. On failure the
 * staging directory is deleted and {@code DIR} is left as it was.
 *
 * <p><b>Alignment.</b> Every input must yield the same segments as the first (count, start within
 * {@value #ALIGNMENT_TOLERANCE_90K} ticks, discontinuity sequence): hls.js and other players stall when
 * renditions disagree (hlsjs#1414, hlsjs#2025). A mismatch fails with a {@link MediaException} naming the
 * input, segment and times, as Bento4 refuses unaligned tracks.
 *
 * <p><b>Audio.</b> Audio comes from the first input: muxed into each variant when it has one audio track;
 * as an audio group (separate renditions, one per language) when it has several, in which case the other
 * inputs' audio is not packaged.
 *
 * <p><b>Packet copy.</b> With TS segments (no sample encryption, no I-frame playlists, VOD), a clean single-program
 * MPEG-TS input is cut by copying its packets instead of demuxing and muxing them ({@link Builder#packetCopy},
 * default on): the same segments, durations and playlists, the source's own PES packets, at about the speed of
 * writing the files (figures in {@code benchmarks/README.md}). Damage, discontinuities, audio
 * holes, parameter-set changes or anything else the muxer would repair make it package the input again the full
 * way; see {@code TsPacketCopier} for the rules. Likewise, with VOD fMP4 segments (DASH or not; no I-frame
 * playlists), MP4 input gets its samples' bytes copied from the file after the {@code styp} + {@code moof} +
 * {@code mdat} header the packager writes: byte for byte the output of demuxing and muxing (see {@code
 * Mp4SampleCopier}); with sample encryption (cenc, cbcs) the samples' bytes are read from the file as they are
 * and encrypted, without the round trip through Annex B. Other NAL unit length sizes, audio holes and the like
 * make it package the input the full way.
 *
 * <p>Thread-safe: each {@link #packageFiles} call is independent.
 *
 * <pre>{@code
 * HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(4)).build()
 *     .packageFiles(List.of(Path.of("1080p.ts"), Path.of("720p.ts")), Path.of("out"));
 * }</pre>
 */
public final class HlsFilePackager {
  /** Largest difference between segment starts of two renditions that still counts as aligned (1 ms). */
  public static final long ALIGNMENT_TOLERANCE_90K = 90;
  /** The DASH manifest's file name (with {@link Builder#dash(boolean)}). */
  public static final String DASH_MANIFEST_NAME = "manifest.mpd";
  /** The I-frame playlists' file name in each video rendition's directory (with {@link Builder#iFrames}). */
  public static final String IFRAME_PLAYLIST_NAME = "iframes.m3u8";
  /**
   * Default of {@link Builder#writerThreads} with direct I/O: 2, so that one thread copies the next segment while
   * the other waits for the device. Buffered writes default to one thread: on 1 GB of TS (2 cores) a second
   * one cut the time the packaging thread waited for the writer from 0.5–1.2 s to under 0.2 s but cost 0.1–0.3 s
   * more kernel time, with no clear gain in wall time.
   */
  public static final int DEFAULT_DIRECT_IO_WRITER_THREADS = 2;
  /** The multivariant playlist's file name. */
  public static final String MULTIVARIANT_NAME = "master.m3u8";
  /**
   * Most bytes of finished segments queued for or being written by the background writer: 16 MiB (about
   * two 6 s segments at 8 Mbit/s: one written while the next waits), less with a small heap (a sixteenth of
   * it), so that {@code -Xmx64m} still packages any input; a single segment is admitted whatever its size.
   */
  static long writeQueueBytes() {
    return Math.max(1, Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 16));
  }

  /**
   * Most sample bytes read ahead by the demuxing thread: 8 MiB (about 8 s at 8 Mbit/s), less with a small heap
   * (a thirty-second of it).
   */
  static long readQueueBytes() {
    return Math.max(1, Math.min(8L << 20, Runtime.getRuntime().maxMemory() / 32));
  }

  /**
   * Most bytes of video access-unit arrays the {@link SampleBufferPool} keeps free, and tracks while lent: 32 MiB
   * (the read-ahead queue plus the chunks the chunker holds, about 20 MiB at 8 Mbit/s, with room to spare), less
   * with a small heap (a thirty-second of it: with {@code -Xmx64m} the pool recycles little, as the arrays it
   * would keep free are what the heap lacks).
   */
  static long sampleBufferBytes() {
    return Math.max(1, Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32));
  }

  private final Duration segmentDuration;
  private final HlsPlaylistType playlistType;
  private final int programNumber;
  private final InstantSource clock;
  private final PackagingListener listener;
  private final io.iptv.core.pipeline.SegmentTransform segmentTransform;
  private final io.iptv.core.pipeline.SampleEncryption sampleEncryption;
  private final SegmentFormat segmentFormat;
  private final boolean dash;
  private final boolean iFrames;
  private final java.util.Set<AdMarkerStyle> adMarkers;
  private final boolean directIo;
  private final int writerThreads;
  /** Writer threads when packets are copied: they copy the segments' packets too, so 2 unless set. */
  private final int copyWriterThreads;
  private final boolean packetCopy;

  private HlsFilePackager(Builder b) {
    this.packetCopy = b.packetCopy;
    this.directIo = b.directIo;
    this.writerThreads = b.writerThreads > 0 ? b.writerThreads : b.directIo ? DEFAULT_DIRECT_IO_WRITER_THREADS : 1;
    this.copyWriterThreads = b.writerThreads > 0 ? b.writerThreads : 2;
    this.dash = b.dash;
    this.iFrames = b.iFrames;
    this.adMarkers = b.adMarkers;
    this.segmentFormat = b.segmentFormat;
    this.segmentDuration = b.segmentDuration;
    this.playlistType = b.playlistType;
    this.programNumber = b.programNumber;
    this.clock = b.clock;
    this.listener = b.listener;
    this.segmentTransform = b.segmentTransform;
    this.sampleEncryption = b.sampleEncryption;
  }

  /** Starts configuring. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What was packaged.
   *
   * @param multivariant the multivariant playlist written
   * @param timings the segments of the first input
   * @param segmentCount segments written over all renditions
   * @param packetsCopied whether the segments are cut from the inputs' own bytes, TS packets or MP4 samples (see
   *     {@link Builder#packetCopy}), not muxed
   */
  public record Result(MultivariantPlaylist multivariant, List<SegmentTiming> timings, int segmentCount,
      boolean packetsCopied) {
    /** A result of muxed (not packet-copied) segments. */
    public Result(MultivariantPlaylist multivariant, List<SegmentTiming> timings, int segmentCount) {
      this(multivariant, timings, segmentCount, false);
    }
  }

  /**
   * Packages {@code inputs} (renditions of one content) into {@code outputDir}. With {@link Builder#packetCopy}
   * (the default) and VOD output without I-frame playlists, TS inputs into TS segments without sample encryption
   * that qualify (see {@code TsPacketCopier}) are segmented by copying their packets, and MP4 inputs into fMP4
   * segments by copying their samples (see {@code Mp4SampleCopier}; read and encrypted with cenc/cbcs); when one
   * does not qualify, everything is packaged again the full way, so the output is the same either way.
   */
  public Result packageFiles(List<Path> inputs, Path outputDir) throws MediaException {
    Preconditions.requireArgument(!inputs.isEmpty(), "no inputs");
    CopyPath copy = copyPath(inputs);
    if (copy != null) {
      try {
        return packageFiles(inputs, outputDir, copy);
      } catch (NotCopyable e) {
        // not a clean single-program TS, or an MP4 whose samples change on the way: the full way (demux, mux)
      }
    }
    return packageFiles(inputs, outputDir, null);
  }

  /** How segments can be cut out of the inputs without demuxing and muxing them. */
  private enum CopyPath {
    /** TS inputs into TS segments: {@link TsPacketCopier}. */
    TS_PACKETS,
    /**
     * MP4 inputs into fMP4 segments: {@link Mp4SampleCopier}. Clear: the sink copies the samples from the file;
     * with sample encryption (cenc/cbcs) they are read from the file as they are and encrypted.
     */
    MP4_SAMPLES
  }

  /** The copy path the output allows for {@code inputs}, or null (see {@link Builder#packetCopy}). */
  private CopyPath copyPath(List<Path> inputs) {
    if (!packetCopy || iFrames || playlistType != HlsPlaylistType.VOD || programNumber != 0) {
      return null;
    }
    if (segmentFormat == SegmentFormat.TS) {
      return dash || sampleEncryption != null ? null : CopyPath.TS_PACKETS;
    }
    if (segmentTransform != null) {
      return null;
    }
    try {
      for (Path input : inputs) {
        if (MediaInputs.detect(input) != MediaInputs.Container.MP4) {
          return null;
        }
      }
    } catch (MediaException e) {
      return null; // unreadable: the full path reports it
    }
    return CopyPath.MP4_SAMPLES;
  }

  private Result packageFiles(List<Path> inputs, Path outputDir, CopyPath copyPath) throws MediaException {
    boolean copy = copyPath != null;
    Path target = outputDir.toAbsolutePath().normalize();
    Path staging;
    try {
      Files.createDirectories(target.getParent());
      staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot create output next to " + target + ": "
          + e.getMessage(), e);
    }
    // Files are written by background threads while this one muxes (and another demuxes); the queue bound
    // keeps memory bounded whatever the input size.
    // Segment arrays go round: muxer -> writer thread -> pool -> muxer, so a long input allocates a few
    // segment buffers instead of one (multi-megabyte, on G1 humongous) per segment. Not with a segment
    // transform that may keep part of the bytes it was given (SegmentTransform.sharesInput). The pool keeps up to
    // twice the write queue: arrays come back in bursts when the writer catches up, and a pool of one queue's
    // worth dropped them, so the next segments were allocated anew (250 MB of fresh arrays for a 419 MB MP4 →
    // CMAF, a video and an audio rendition sharing the pool).
    SegmentBufferPool buffers = segmentTransform == null || !segmentTransform.sharesInput()
        ? SegmentBufferPool.of(2 * writeQueueBytes()) : null;
    // Likewise the arrays behind samples: demuxer -> samples -> muxed (and sample-encrypted, which keeps nothing:
    // SegmentSampleEncryptor) into a segment -> pool -> demuxer. TS video access units and MP4 payloads, for TS
    // and fMP4 segments (the packager does not recycle what an fMP4 init segment keeps: a period's first
    // samples). fMP4 from TS without it: 1.4 GB of fresh access-unit arrays per GB of input.
    SampleBufferPool samples = SampleBufferPool.of(sampleBufferBytes());
    // Clear copied packets go through the page cache, copied within the kernel (transferTo): on 1 GB of TS that
    // took 0.86–0.99 s against 1.24–1.31 s with direct I/O, which waits for the device (benchmarks/README.md,
    // round 7). Encrypted segments (AES-128, or sample-encrypted MP4 samples) are arrays, written as configured.
    DirectorySegmentSink files = DirectorySegmentSink.builder(staging)
        .directIo(directIo && !(copy && segmentTransform == null && sampleEncryption == null)).build();
    BackgroundSegmentSink.Builder writer = BackgroundSegmentSink.builder(files).maxQueuedBytes(writeQueueBytes())
        .writerThreads(copy ? copyWriterThreads : writerThreads);
    if (buffers != null) {
      writer.onWritten(buffers::recycle);
    }
    List<AutoCloseable> copiers = copy ? new ArrayList<>() : null;
    try (BackgroundSegmentSink sink = writer.build()) {
      Result result = packageInto(inputs, sink, buffers, copy ? null : samples, copyPath, copiers);
      try {
        sink.finish();
      } catch (IOException e) {
        throw BackgroundSegmentSink.asMediaException(e);
      }
      publish(staging, target);
      return result;
    } finally {
      if (copiers != null) {
        for (AutoCloseable copier : copiers) {
          try {
            copier.close();
          } catch (Exception e) {
            // read-only: nothing was lost
          }
        }
      }
      deleteRecursively(staging, true);
    }
  }

  private Result packageInto(List<Path> inputs, SegmentSink sink, SegmentBufferPool buffers,
      SampleBufferPool samples, CopyPath copyPath, List<AutoCloseable> copiers) throws MediaException {
    List<MultivariantPlanner.Rendition> renditions = new ArrayList<>();
    List<MultivariantPlanner.IFrameRendition> iFrameRenditions = new ArrayList<>();
    List<SegmentTiming> reference = null;
    boolean audioGroup = false;
    int segments = 0;
    List<io.iptv.segmenter.dash.DashRepresentation> dashRepresentations = new ArrayList<>();
    io.iptv.segmenter.dash.MpdWriter mpd = null;
    for (int i = 0; i < inputs.size(); i++) {
      Path input = inputs.get(i);
      HlsPackager.Builder builder = HlsPackager.builder()
          .segmentDuration(segmentDuration)
          .playlistType(playlistType)
          .name(inputs.size() == 1 ? "stream" : "v" + i)
          .includeAudio(i == 0 || !audioGroup)
          .multivariantName(null)
          .clock(clock)
          .listener(listener)
          .segmentFormat(segmentFormat)
          .iFramePlaylistName(iFrames ? IFRAME_PLAYLIST_NAME : null);
      if (adMarkers != null) {
        builder.adMarkers(adMarkers);
      }
      if (segmentTransform != null) {
        // Only when configured: HlsPackager refuses any transform next to I-frame playlists or DASH.
        // Deferred: the BackgroundSegmentSink encrypts on its writer threads, in parallel, not on this one.
        builder.segmentTransform(segmentTransform).deferSegmentTransform(true);
      }
      if (sampleEncryption != null) {
        builder.sampleEncryption(sampleEncryption);
      }
      // a clear sample copy's boxes are not recycled (the sink writes them before the file regions)
      if (buffers != null && (copyPath != CopyPath.MP4_SAMPLES || sampleEncryption != null)) {
        builder.segmentBuffers(buffers);
      }
      HlsPackager packager;
      if (copyPath == CopyPath.MP4_SAMPLES) {
        // the sample tables on this thread; the segments' sample bytes are copied from the file by the sink
        Mp4SampleCopier copier = openCopier(input, Mp4SampleCopier::open, copiers);
        packager = builder.sampleCopier(copier).build(sink);
        copier.feed(packager);
      } else if (copyPath == CopyPath.TS_PACKETS) {
        // one pass over the file on this thread; the segments are the source's packets (no demux, no mux)
        TsPacketCopier copier = openCopier(input, TsPacketCopier::open, copiers);
        packager = builder.packetCopier(copier).build(sink);
        try {
          copier.feed(packager); // ends with EndOfStream, which cuts the last segment
        } catch (java.io.UncheckedIOException e) {
          throw MediaException.of(MediaException.Kind.IO, e.getMessage(), e.getCause());
        }
      } else {
        PayloadArrays payloads = buffers != null ? PayloadArrays.of(4 * readQueueBytes()) : null;
        if (samples != null || payloads != null) {
          builder.sampleRecycler(samples == null ? payloads : payloads == null ? samples : samples.andThen(payloads));
        }
        packager = builder.build(sink);
        try (MediaInput in = MediaInputs.open(input, programNumber, samples, payloads)) {
          // Demux on a second thread while this one chunks and muxes (and a third writes files).
          BackgroundReader.readAll(in, packager, readQueueBytes());
        }
      }
      packager.finish();
      if (i == 0) {
        audioGroup = packager.hasAudioGroup();
        reference = packager.timings();
      } else {
        checkAlignment(inputs.get(0), reference, input, packager.timings());
      }
      if (dash) {
        dashRepresentations.addAll(packager.dashRepresentations());
        if (mpd == null) {
          mpd = packager.mpdWriter(true);
        }
      }
      for (MultivariantPlanner.Rendition r : packager.renditions()) {
        renditions.add(r);
        segments += r.segments().size();
      }
      iFrameRenditions.addAll(packager.iFrameRenditions());
    }
    MultivariantPlaylist master = MultivariantPlanner.plan(renditions, iFrameRenditions);
    try {
      sink.write(MULTIVARIANT_NAME, PlaylistWriter.defaults().writeBytes(master));
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot write " + MULTIVARIANT_NAME + ": " + e.getMessage(), e);
    }
    if (dash) {
      try {
        sink.write(DASH_MANIFEST_NAME, io.iptv.core.io.ByteSlice.wrap(mpd.writeBytes(dashRepresentations)));
      } catch (IOException e) {
        throw MediaException.of(MediaException.Kind.IO, "cannot write " + DASH_MANIFEST_NAME + ": " + e.getMessage(),
            e);
      }
    }
    return new Result(master, reference, segments, copyPath != null);
  }

  /** Opens a copier of {@code input}, kept open (in {@code copiers}) until the sink wrote the segments. */
  private static <T extends AutoCloseable> T openCopier(Path input, CopierOpener<T> opener,
      List<AutoCloseable> copiers) throws MediaException {
    T copier;
    try {
      copier = opener.open(input);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot read " + input + ": " + e.getMessage(), e);
    }
    copiers.add(copier); // the sink reads regions of this file until it finished
    return copier;
  }

  /** {@code TsPacketCopier::open} or {@code Mp4SampleCopier::open}. */
  @FunctionalInterface
  private interface CopierOpener<T> {
    T open(Path input) throws IOException;
  }

  /** Fails unless {@code other} has the same segment boundaries as {@code first}. */
  static void checkAlignment(Path firstInput, List<SegmentTiming> first, Path otherInput,
      List<SegmentTiming> other) throws MediaException {
    int n = Math.min(first.size(), other.size());
    for (int i = 0; i < n; i++) {
      SegmentTiming a = first.get(i);
      SegmentTiming b = other.get(i);
      if (Math.abs(a.start90k() - b.start90k()) > ALIGNMENT_TOLERANCE_90K
          || a.discontinuitySequence() != b.discontinuitySequence()) {
        throw MediaException.malformed(String.format(Locale.ROOT,
            "renditions are not aligned: segment %d of %s starts at %.3f s (discontinuity sequence %d) but"
                + " segment %d of %s at %.3f s (discontinuity sequence %d); encode all renditions with the"
                + " same keyframe positions (fixed GOP, no scene-cut keyframes)",
            b.sequence(), otherInput.getFileName(), Timestamps.toSeconds(b.start90k()),
            b.discontinuitySequence(), a.sequence(), firstInput.getFileName(),
            Timestamps.toSeconds(a.start90k()), a.discontinuitySequence()));
      }
    }
    if (first.size() != other.size()) {
      SegmentTiming extra = first.size() > other.size() ? first.get(n) : other.get(n);
      throw MediaException.malformed(String.format(Locale.ROOT,
          "renditions are not aligned: %s has %d segments but %s has %d (first unmatched: segment %d at %.3f s)",
          firstInput.getFileName(), first.size(), otherInput.getFileName(), other.size(), extra.sequence(),
          Timestamps.toSeconds(extra.start90k())));
    }
  }

  private static void publish(Path staging, Path target) throws MediaException {
    try {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(staging)) {
        files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
      }
      // Segments first, media playlists next, the multivariant playlist last: a reader never sees a
      // playlist that lists a segment not yet in place.
      files.sort(Comparator.comparingInt((Path p) -> rank(staging, p)).thenComparing(Path::toString));
      for (Path file : files) {
        Path dest = target.resolve(staging.relativize(file).toString());
        Files.createDirectories(dest.getParent());
        try {
          Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(file, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot move output into " + target + ": " + e.getMessage(), e);
    }
  }

  private static int rank(Path staging, Path file) {
    String rel = staging.relativize(file).toString();
    if (rel.equals(MULTIVARIANT_NAME) || rel.equals(DASH_MANIFEST_NAME)) {
      return 2;
    }
    return rel.endsWith(".m3u8") ? 1 : 0;
  }

  private static void deleteRecursively(Path dir, boolean quiet) throws MediaException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      if (!quiet) {
        throw MediaException.of(MediaException.Kind.IO, "cannot remove " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Configures an {@link HlsFilePackager}; each setting once, validated immediately. Not thread-safe. */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private Duration segmentDuration = Duration.ofSeconds(6);
    private HlsPlaylistType playlistType = HlsPlaylistType.VOD;
    private int programNumber;
    private InstantSource clock = InstantSource.system();
    private PackagingListener listener = PackagingListener.NONE;
    private io.iptv.core.pipeline.SegmentTransform segmentTransform; // null: none
    private io.iptv.core.pipeline.SampleEncryption sampleEncryption; // null: none
    private SegmentFormat segmentFormat = SegmentFormat.TS;
    private boolean dash;
    private boolean iFrames;
    private java.util.Set<AdMarkerStyle> adMarkers; // null: HlsPackager's default
    private boolean directIo;
    private int writerThreads; // 0: by directIo
    private boolean packetCopy = true;

    private Builder() {}

    /**
     * Segment clean TS input by copying its packets, and MP4 input into fMP4 segments by copying its samples
     * (clear, or read as they are and encrypted with cenc/cbcs), when the output allows it (default true; see
     * {@link HlsFilePackager#packageFiles}): the same segments, durations and playlists as demuxing and muxing
     * (TS: with the source's own PES packets, PCR and SI tables; fMP4: the same bytes), at about the speed of a
     * file copy. False always demuxes and muxes.
     */
    public Builder packetCopy(boolean value) {
      once("packetCopy");
      packetCopy = value;
      return this;
    }

    /**
     * Write the files with direct I/O, bypassing the page cache (default false; see
     * {@link DirectorySegmentSink.Builder#directIo(boolean)}): less CPU for output that is not read back soon,
     * and a large job does not evict the page cache. Falls back to buffered writes where the file system
     * refuses direct I/O. Not for {@link #packetCopy copied packets} without a segment transform: they are copied
     * within the kernel through the page cache, which is faster than waiting for the device.
     */
    public Builder directIo(boolean value) {
      once("directIo");
      directIo = value;
      return this;
    }

    /**
     * Threads writing segment files concurrently, 1 to {@value BackgroundSegmentSink#MAX_WRITER_THREADS} (default:
     * {@value #DEFAULT_DIRECT_IO_WRITER_THREADS} with {@link #directIo(boolean) direct I/O} or {@link #packetCopy
     * packet copy}, else 1); playlists are
     * still written after the segments they list (see {@link BackgroundSegmentSink.Builder#writerThreads(int)}).
     */
    public Builder writerThreads(int value) {
      once("writerThreads");
      Preconditions.requireArgument(value >= 1 && value <= BackgroundSegmentSink.MAX_WRITER_THREADS,
          "writerThreads %d out of range 1..%d", value, BackgroundSegmentSink.MAX_WRITER_THREADS);
      writerThreads = value;
      return this;
    }

    /**
     * How SCTE-35 ad breaks of the input are signalled (default: {@link AdMarkerStyle#DATERANGE}; empty: ignore
     * SCTE-35). See {@link HlsPackager.Builder#adMarkers(java.util.Set)}.
     */
    public Builder adMarkers(java.util.Set<AdMarkerStyle> value) {
      once("adMarkers");
      adMarkers = java.util.Set.copyOf(value);
      return this;
    }

    /**
     * Also write an I-frame-only playlist ({@value #IFRAME_PLAYLIST_NAME}) per video rendition and list it in
     * the multivariant playlist (default false). See {@link HlsPackager.Builder#iFramePlaylistName(String)}.
     */
    public Builder iFrames(boolean value) {
      once("iFrames");
      iFrames = value;
      return this;
    }

    /** Also write {@value #DASH_MANIFEST_NAME} (DASH, same segments); needs {@link SegmentFormat#FMP4}. */
    public Builder dash(boolean value) {
      once("dash");
      dash = value;
      return this;
    }

    /** The segment container (default {@link SegmentFormat#TS}). */
    public Builder segmentFormat(SegmentFormat value) {
      once("segmentFormat");
      segmentFormat = Objects.requireNonNull(value, "segmentFormat");
      return this;
    }

    /** Target segment duration (default 6 s). */
    public Builder segmentDuration(Duration value) {
      once("segmentDuration");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(100)) >= 0
          && value.compareTo(Duration.ofSeconds(60)) <= 0, "segmentDuration %s out of range 0.1..60 s", value);
      segmentDuration = value;
      return this;
    }

    /** VOD (default) or EVENT. */
    public Builder playlistType(HlsPlaylistType value) {
      once("playlistType");
      Preconditions.requireArgument(value != HlsPlaylistType.LIVE, "a file package is VOD or EVENT, not LIVE");
      playlistType = Objects.requireNonNull(value, "playlistType");
      return this;
    }

    /** The TS program to package (default 0: the first with video). */
    public Builder programNumber(int value) {
      once("programNumber");
      Preconditions.requireArgument(value >= 0 && value <= 0xFFFF, "programNumber %d out of range", value);
      programNumber = value;
      return this;
    }

    /** Clock for PROGRAM-DATE-TIME (EVENT only). */
    public Builder clock(InstantSource value) {
      once("clock");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Observes written segments (progress). */
    public Builder listener(PackagingListener value) {
      once("listener");
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Transforms each segment before it is written (e.g. AES-128 from iptv-drm; default: none). */
    public Builder segmentTransform(io.iptv.core.pipeline.SegmentTransform value) {
      once("segmentTransform");
      segmentTransform = Objects.requireNonNull(value, "segmentTransform");
      return this;
    }

    /**
     * Encrypts samples (default: none): SAMPLE-AES for TS, cenc/cbcs for fMP4 (iptv-drm's
     * {@code SampleAesEncryption} and {@code CencSampleEncryption}). See {@link HlsPackager.Builder#sampleEncryption}.
     */
    public Builder sampleEncryption(io.iptv.core.pipeline.SampleEncryption value) {
      once("sampleEncryption");
      sampleEncryption = Objects.requireNonNull(value, "sampleEncryption");
      return this;
    }

    /** Builds the packager. */
    public HlsFilePackager build() {
      Preconditions.requireState(!dash || segmentFormat == SegmentFormat.FMP4, "DASH needs SegmentFormat.FMP4");
      Preconditions.requireState(!dash || !set.contains("segmentTransform"),
          "a segment transform (whole-segment AES-128) cannot be signalled in DASH");
      return new HlsFilePackager(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
