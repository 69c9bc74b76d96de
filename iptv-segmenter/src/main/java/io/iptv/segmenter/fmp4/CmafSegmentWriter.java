package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.time.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes CMAF media segments of one track (a CMAF track file, ISO/IEC 23000-19 §7.3.3): {@code styp}
 * (brands {@code msdh}, {@code msix}, {@code cmfs}, {@code cmff}), optionally a {@code sidx} (§8.16.3, for VOD
 * indexing), then one {@code moof} + {@code mdat} fragment (see {@link FragmentWriter}). Output is a pure
 * function of the inputs: the same samples give the same bytes.
 *
 * <p>With {@link Builder#syncSampleFragments(boolean)} a video segment holds several fragments instead: each
 * sync sample alone in its own {@code moof} + {@code mdat}, followed by one fragment with the rest of its GOP
 * (CMAF chunks, ISO/IEC 23000-19 §7.3.2.3). The byte range of such a sync-sample fragment is a complete,
 * self-describing fragment — what an I-frame playlist ({@code EXT-X-I-FRAMES-ONLY} with
 * {@code EXT-X-BYTERANGE}, RFC 8216 §4.3.3.6) must point to, together with the init segment ({@code EXT-X-MAP}).
 * A byte range that stops inside a larger fragment would leave a {@code trun} describing samples that are not
 * there. {@code mfhd} sequence numbers then count fragments (1, 2, …) instead of segments, and the composition
 * shift of {@link FragmentWriter} is off (offsets PTS − DTS ≥ 0, see {@link FragmentWriter#FragmentWriter(
 * Fmp4Track, boolean)}): hls.js then nudges over the B-frame delay at the start (a non-fatal
 * {@code bufferSeekOverHole}), which is the price of I-frame playlists on fMP4 that FFmpeg reads cleanly.
 *
 * <p>Not thread-safe; one instance per track, reused for every segment.
 *
 * <pre>{@code
 * CmafSegmentWriter writer = CmafSegmentWriter.builder(track).sidx(true).build();
 * CmafSegmentWriter.Segment seg = writer.write(sequence, samples, Timestamps.NO_TIMESTAMP);
 * sink.write("seg-00001.m4s", seg.bytes());
 * }</pre>
 */
public final class CmafSegmentWriter {
  private final Fmp4Track track;
  private final boolean sidx;
  private final FragmentWriter fragments;
  private final boolean syncSampleFragments;
  private final BoxWriter out = new BoxWriter(1 << 20);
  private final List<FragmentWriter.Fragment> written = new ArrayList<>();
  private long fragmentSequence;
  private final TrackEncryption protection;
  private final boolean externalData;

  private CmafSegmentWriter(Builder b) {
    this.track = b.track;
    this.sidx = b.sidx;
    this.syncSampleFragments = b.syncSampleFragments && b.track.isVideo();
    this.protection = b.protection;
    this.externalData = b.sampleData == SampleData.EXTERNAL;
    this.fragments = new FragmentWriter(track, !syncSampleFragments, b.protection, b.sampleData);
    if (b.segmentBuffers != null) {
      out.segmentBuffers(b.segmentBuffers);
    }
  }

  /** Starts configuring a writer for {@code track}. */
  public static Builder builder(Fmp4Track track) {
    return new Builder(track);
  }

  /** The track's default protection, or null. */
  public TrackEncryption protection() {
    return protection;
  }

  /** The track written. */
  public Fmp4Track track() {
    return track;
  }

  /**
   * One written segment.
   *
   * @param bytes the segment file
   * @param fragments what its fragments hold, in order; offsets are within {@code bytes}
   */
  public record Segment(ByteSlice bytes, List<FragmentWriter.Fragment> fragments) {
    /** Copies. */
    public Segment {
      fragments = List.copyOf(fragments);
    }

    /** The earliest presentation time of the segment, track timescale. */
    public long earliestPresentationTime() {
      long min = Long.MAX_VALUE;
      for (FragmentWriter.Fragment f : fragments) {
        min = Math.min(min, f.earliestPresentationTime());
      }
      return min;
    }

    /** The sum of the sample durations, track timescale. */
    public long duration() {
      long total = 0;
      for (FragmentWriter.Fragment f : fragments) {
        total += f.duration();
      }
      return total;
    }

    /** The first fragment. */
    public FragmentWriter.Fragment firstFragment() {
      return fragments.get(0);
    }

    /**
     * The fragments that hold exactly one sync sample (see {@link Builder#syncSampleFragments(boolean)}):
     * each is a complete {@code moof} + {@code mdat} byte range for an I-frame playlist.
     */
    public List<FragmentWriter.Fragment> syncSampleFragments() {
      List<FragmentWriter.Fragment> out = new ArrayList<>();
      for (FragmentWriter.Fragment f : fragments) {
        if (f.startsWithSync() && f.sampleCount() == 1) {
          out.add(f);
        }
      }
      return out;
    }
  }

  /**
   * Writes a segment of {@code samples} (this track's, decode order, at least one).
   *
   * @param sequence the segment's sequence number (≥ 0); the mfhd sequence_number is {@code sequence + 1}
   * @param nextDts90k DTS of the sample that follows the segment, or {@link Timestamps#NO_TIMESTAMP}
   */
  public Segment write(long sequence, List<MediaSample> samples, long nextDts90k) throws MediaException {
    return write(sequence, samples, nextDts90k, null);
  }

  /**
   * Writes a segment of {@code samples} encrypted by {@code encryptor} (null: clear; needs
   * {@link Builder#protection} otherwise), see {@link FragmentWriter}.
   */
  public Segment write(long sequence, List<MediaSample> samples, long nextDts90k, SegmentSampleEncryptor encryptor)
      throws MediaException {
    out.reset();
    out.reserve(segmentBytesBound(samples));
    out.start("styp");
    out.fourcc("msdh").u32(0); // major_brand, minor_version
    out.fourcc("msdh").fourcc("msix").fourcc("cmfs").fourcc("cmff"); // compatible_brands
    out.end();
    int sidxSizeAt = -1;
    int sidxDurationAt = -1;
    int sidxEptAt = -1;
    int sidxEnd = 0;
    if (sidx) {
      out.startFull("sidx", 1, 0);
      out.u32(track.trackId()); // reference_ID (32)
      out.u32(track.timescale()); // timescale (32)
      sidxEptAt = out.position();
      out.u64(0); // earliest_presentation_time (64), patched
      out.u64(0); // first_offset (64)
      out.u16(0); // reserved (16)
      out.u16(1); // reference_count (16)
      sidxSizeAt = out.position();
      out.u32(0); // reference_type (1) = 0 media, referenced_size (31), patched
      sidxDurationAt = out.position();
      out.u32(0); // subsegment_duration (32), patched
      out.u32(0x9000_0000L); // starts_with_SAP (1) = 1, SAP_type (3) = 1, SAP_delta_time (28) = 0
      out.end();
      sidxEnd = out.position();
    }
    written.clear();
    if (!syncSampleFragments) {
      written.add(fragments.write(out, sequence + 1, samples, nextDts90k, encryptor));
    } else {
      int n = samples.size();
      int from = 0;
      while (from < n) {
        // a sync sample alone, else everything up to the next sync sample
        int to = from + 1;
        if (!samples.get(from).keyframe()) {
          while (to < n && !samples.get(to).keyframe()) {
            to++;
          }
        }
        long next = to < n ? samples.get(to).dts90k() : nextDts90k;
        written.add(fragments.write(out, ++fragmentSequence, samples.subList(from, to), next, encryptor));
        from = to;
      }
    }
    Segment segment = new Segment(null, written);
    if (sidx) {
      long ept = segment.earliestPresentationTime();
      out.patchU32(sidxEptAt, ept >>> 32);
      out.patchU32(sidxEptAt + 4, ept);
      long external = 0;
      if (externalData) {
        for (MediaSample s : samples) {
          external += s.data().length();
        }
      }
      out.patchU32(sidxSizeAt, out.position() - sidxEnd + external);
      out.patchU32(sidxDurationAt, segment.duration());
    }
    return new Segment(out.takeOut(), written); // handed over: the segment is written once
  }

  /**
   * About the bytes of a segment of {@code samples}: their payloads, plus per sample 64 bytes (its {@code trun}
   * entry of at most 16 bytes, a byte per NAL unit where a 3-byte start code becomes a 4-byte length, and its
   * {@code senc} IV and subsample entry when encrypted), plus 4 KiB of boxes ({@code styp}, {@code sidx},
   * {@code moof} headers). A segment that needs more grows its buffer; one that needs less leaves the rest
   * unused (150 samples: 13.7 KB, 0.2 % of a 7.26 MB segment of 1080p at 8 Mbit/s).
   */
  private int segmentBytesBound(List<MediaSample> samples) {
    long bytes = 4096;
    for (MediaSample s : samples) {
      bytes += (externalData ? 0 : s.data().length()) + 64L;
    }
    return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
  }

  /** Configures a {@link CmafSegmentWriter}. Not thread-safe. */
  public static final class Builder {
    private final Fmp4Track track;
    private boolean sidx;
    private boolean syncSampleFragments;
    private TrackEncryption protection;
    private io.iptv.segmenter.ts.SegmentBufferPool segmentBuffers; // null: a fresh array per segment
    private SampleData sampleData = SampleData.ELEMENTARY_STREAM;

    private Builder(Fmp4Track track) {
      this.track = java.util.Objects.requireNonNull(track, "track");
    }

    /** Whether each segment starts with a {@code sidx} (default false; useful for VOD byte-range access). */
    public Builder sidx(boolean value) {
      sidx = value;
      return this;
    }

    /**
     * Whether each video sync sample gets a fragment of its own, for I-frame playlists (default false; no
     * effect on audio). See the class comment.
     */
    public Builder syncSampleFragments(boolean value) {
      syncSampleFragments = value;
      return this;
    }

    /**
     * Takes segment buffers from {@code pool} and lends each {@link Segment#bytes()} out through it (default: a
     * fresh array per segment); whoever is done with the bytes may {@linkplain
     * io.iptv.segmenter.ts.SegmentBufferPool#recycle recycle} them for a later segment.
     */
    public Builder segmentBuffers(io.iptv.segmenter.ts.SegmentBufferPool pool) {
      segmentBuffers = java.util.Objects.requireNonNull(pool, "pool");
      return this;
    }

    /**
     * The track's default protection, as declared in its init segment (default null: a clear track). Needed to
     * write encrypted segments.
     */
    public Builder protection(TrackEncryption value) {
      protection = value;
      return this;
    }

    /**
     * What the samples hold (default {@link SampleData#ELEMENTARY_STREAM}). With {@link SampleData#EXTERNAL}
     * segments leave their samples' bytes out: {@link Segment#bytes()} then ends with the {@code mdat} header,
     * and the caller appends each sample's MP4-form bytes ({@code data().length()} of them; the content of
     * {@code data()} is not read) in order — the file packager's sample-copy path copies them from the source
     * file; clear segments with one fragment (no {@link #syncSampleFragments}) only. With {@link
     * SampleData#MP4_FORM} the samples' bytes are written (or encrypted) as they are.
     */
    public Builder sampleData(SampleData value) {
      sampleData = java.util.Objects.requireNonNull(value, "sampleData");
      return this;
    }

    /** Builds the writer. */
    public CmafSegmentWriter build() {
      io.iptv.core.internal.Preconditions.requireState(sampleData != SampleData.EXTERNAL
          || (!syncSampleFragments && protection == null), "external sample data is for clear segments of one fragment");
      return new CmafSegmentWriter(this);
    }
  }
}
