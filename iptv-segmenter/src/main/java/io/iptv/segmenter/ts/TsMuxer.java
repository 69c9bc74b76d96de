package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.time.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes single-program MPEG-TS segments (ISO/IEC 13818-1 §2.4) for HLS (RFC 8216 §3.2) from
 * {@link MediaSample}s: the sink end of a packaging pipeline.
 *
 * <p>Each segment starts with a PAT and a PMT and is self-contained: H.264/HEVC access units get an access
 * unit delimiter and, on keyframes, the parameter sets from {@link TrackFormat#codecConfig()} when they lack
 * them (see {@link AccessUnitRewriter}). Continuity counters run on across segments, so consecutive
 * segments concatenate into one valid stream. Output is a pure function of the calls made: byte for byte
 * deterministic.
 *
 * <p><b>Timestamps.</b> Samples carry unwrapped 64-bit 90 kHz timestamps; they are re-wrapped to 33 bits
 * only when written into PES headers and PCRs. PTS is always written, DTS only when it differs.
 *
 * <p><b>PCR.</b> The PCR is carried on the first video track's PID (the first audio track's without
 * video). The PCR runs {@link Builder#pcrOffset(Duration) pcrOffset} (default 700 ms, as ffmpeg's
 * {@code muxdelay}) behind the DTS of the sample being written, so PCR ≤ DTS holds with room for the
 * T-STD buffer and for audio that is interleaved a little late. Every video PES packet on the PCR PID
 * carries a PCR in its first TS packet; when the clock would advance by more than 40 ms between two PCRs
 * (low frame rates, audio-only stretches, long audio PES packets) the muxer inserts PCR-only packets
 * (adaptation field, no payload) at evenly spaced values, so consecutive PCR values are never more than
 * 40 ms apart (DVB's ETSI TR 101 290 limit, stricter than MPEG's 100 ms). A jump of more than one second
 * either way, or {@link #markDiscontinuity()}, restarts the clock with the discontinuity_indicator set on
 * the PCR PID (§2.4.3.5).
 *
 * <p><b>Audio PES bundling.</b> Consecutive audio frames of one track share a PES packet, up to
 * {@link Builder#maxAudioPesDuration(Duration) maxAudioPesDuration} (default 100 ms), to cut the
 * per-packet overhead. A frame joins the open PES packet only if its PTS equals DTS and equals the PES
 * packet's PTS plus {@code round_half_up(index × samplesPerFrame × 90000 / sampleRate)} (1024 samples for
 * AAC, 1536 for AC-3/E-AC-3, 1152 for MPEG audio, 576 for MPEG-2 layer III), with the same keyframe flag.
 * So a demuxer that computes frame timestamps this way gets every timestamp back exactly; other frames
 * start a new PES packet. Bundles are flushed at the end of each segment. Without a sample rate in the
 * track format, or with {@code maxAudioPesDuration(Duration.ZERO)}, each frame gets its own PES packet.
 *
 * <p><b>Flags.</b> The random_access_indicator is set on the first TS packet of keyframe PES packets
 * (video and audio). Keyframe byte ranges of video tracks are returned in {@link TsSegment#keyframes()}.
 *
 * <p>Not thread-safe: use one muxer per rendition from one thread.
 *
 * <pre>{@code
 * TsMuxer muxer = TsMuxer.builder().build();
 * muxer.addTrack(videoFormat);          // PID 0x100
 * muxer.addTrack(audioFormat);          // PID 0x101
 * muxer.startSegment();                 // PAT + PMT
 * for (MediaSample s : samplesOfSegment) {
 *   muxer.write(s);
 * }
 * TsSegment segment = muxer.finishSegment();
 * }</pre>
 */
public final class TsMuxer {
  private static final long MAX_PCR_INTERVAL_90K = 40 * 90;
  /** Largest PCR jump that is bridged with PCR-only packets rather than treated as a discontinuity. */
  private static final long MAX_PCR_BRIDGE_90K = Timestamps.TICKS_PER_SECOND;

  private final int transportStreamId;
  private final int programNumber;
  private final int pmtPid;
  private final int firstElementaryPid;
  private final Map<Integer, Integer> explicitPids;
  private final boolean trackIdsAsPids;
  private final long pcrOffset90k;
  private final long maxAudioPes90k;

  private final TsPacketWriter packets;
  private final PsiTableWriter psi = new PsiTableWriter();
  private final ContinuityCounter patCounter = new ContinuityCounter();
  private final ContinuityCounter pmtCounter = new ContinuityCounter();
  private final List<MuxedTrack> tracks = new ArrayList<>();
  private final Map<Integer, MuxedTrack> tracksById = new HashMap<>();
  private final Set<Integer> usedPids = new HashSet<>();
  private final List<KeyframeRange> keyframes = new ArrayList<>();

  private int pmtVersion = -1;
  private boolean tracksChanged = true;
  private MuxedTrack pcrTrack;
  private boolean inSegment;
  private int psiLength;
  private long lastPcr90k = Timestamps.NO_TIMESTAMP;
  private boolean pcrInSegment;
  /** Whether the segments are signalled as SAMPLE-AES encrypted. */
  private boolean sampleAes;
  private boolean pendingDiscontinuity;
  /** Whether the PCR returned by the last {@link #advancePcr} call restarts the clock. */
  private boolean pcrDiscontinuity;

  private TsMuxer(Builder b) {
    this.transportStreamId = b.transportStreamId;
    this.programNumber = b.programNumber;
    this.pmtPid = b.pmtPid;
    this.firstElementaryPid = b.firstElementaryPid;
    this.explicitPids = Map.copyOf(b.explicitPids);
    this.trackIdsAsPids = b.trackIdsAsPids;
    this.pcrOffset90k = b.pcrOffset90k;
    this.maxAudioPes90k = b.maxAudioPes90k;
    this.packets = new TsPacketWriter(b.segmentBuffers);
    usedPids.add(pmtPid);
  }

  /** Starts configuring a muxer. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a track; allowed between segments only. A track added after the first segment bumps the PMT
   * version_number.
   *
   * @return the PID chosen for the track
   * @throws IllegalArgumentException if the track id is already used, its codec cannot be carried (unknown)
   *     or its PID collides; an SCTE-35 track carries sections, see {@link #writeSection}
   * @throws IllegalStateException inside a segment
   */
  public int addTrack(TrackFormat format) {
    Preconditions.requireState(!inSegment, "tracks can only be added between segments");
    Preconditions.requireArgument(!tracksById.containsKey(format.trackId()), "track %d already added",
        format.trackId());
    int pid = choosePid(format.trackId());
    int videoIndex = 0;
    int audioIndex = 0;
    for (MuxedTrack t : tracks) {
      if (t.isVideo()) {
        videoIndex++;
      } else if (t.streamId >= 0xC0 && t.streamId <= 0xDF) {
        audioIndex++;
      }
    }
    MuxedTrack track = MuxedTrack.of(format, pid, videoIndex, audioIndex);
    tracks.add(track);
    tracksById.put(format.trackId(), track);
    usedPids.add(pid);
    tracksChanged = true;
    return pid;
  }

  /**
   * Whether the following segments carry Apple SAMPLE-AES encrypted samples ("MPEG-2 Stream Encryption Format
   * for HTTP Live Streaming" §3): their PMT then gives H.264, AAC, AC-3 and E-AC-3 tracks the SAMPLE-AES
   * stream_type (0xDB, 0xCF, 0xC1, 0xC2) with a private_data_indicator_descriptor and, for audio, the 'apad'
   * registration_descriptor with the audio setup information; other tracks keep their signalling. The samples
   * must already be encrypted (iptv-drm). A change bumps the PMT version_number. Allowed between segments only;
   * default false.
   *
   * @throws IllegalStateException inside a segment
   */
  public void sampleAes(boolean encrypted) {
    Preconditions.requireState(!inSegment, "SAMPLE-AES signalling changes between segments only");
    if (encrypted != sampleAes) {
      sampleAes = encrypted;
      tracksChanged = true;
    }
  }

  /**
   * Gives an AC-3 or E-AC-3 track a sync frame for its SAMPLE-AES audio_setup_information (see
   * {@link #sampleAes}); the first one given is kept. Ignored for other codecs and unknown tracks.
   */
  public void sampleAesSetupFrame(int trackId, ByteSlice syncFrame) {
    MuxedTrack track = tracksById.get(trackId);
    boolean dolby = track != null && (track.format.codec() == Codec.AC3 || track.format.codec() == Codec.EAC3);
    if (dolby && track.sampleAesSetupFrame == null) {
      track.sampleAesSetupFrame = syncFrame;
    }
  }

  /** Starts a segment: writes PAT and PMT. */
  public void startSegment() {
    Preconditions.requireState(!inSegment, "segment already started");
    Preconditions.requireState(!tracks.isEmpty(), "no tracks added");
    if (tracksChanged) {
      pmtVersion = (pmtVersion + 1) & 0x1F;
      pcrTrack = choosePcrTrack();
      tracksChanged = false;
    }
    inSegment = true;
    pcrInSegment = false;
    keyframes.clear();
    packets.reset();
    psi.buildPat(transportStreamId, programNumber, pmtPid);
    packets.writeSection(PsiTableWriter.PAT_PID, patCounter, psi.buffer(), 0, psi.length());
    List<PsiTableWriter.Stream> streams = new ArrayList<>();
    byte[] programInfo = new byte[0];
    for (MuxedTrack t : tracks) {
      streams.add(new PsiTableWriter.Stream(t.pmtStreamType(sampleAes), t.pid, t.pmtDescriptors(sampleAes)));
      if (t.streamType == 0x15) {
        programInfo = MuxedTrack.id3MetadataPointerDescriptor(programNumber);
      }
      if (t.streamType == 0x86) {
        // ANSI/SCTE 35 §8.1: registration_descriptor 'CUEI' in the program_info loop (ffmpeg requires it there)
        programInfo = MuxedTrack.concat(programInfo, MuxedTrack.cueiRegistration());
      }
    }
    psi.buildPmt(programNumber, pmtVersion, pcrTrack.pid, programInfo, streams);
    packets.writeSection(pmtPid, pmtCounter, psi.buffer(), 0, psi.length());
    psiLength = packets.size();
  }

  /**
   * Pre-sizes the current segment's buffer for {@code samples} samples of {@code payloadBytes} bytes in
   * total (an estimate of their transport packets: payload × 188/184, plus per sample a PES header,
   * adaptation field, stuffing and parameter sets), so that writing them needs no buffer growing. Optional:
   * a segment outgrowing it is still written whole.
   *
   * @throws IllegalStateException outside a segment
   */
  public void reserve(int samples, long payloadBytes) {
    Preconditions.requireState(inSegment, "reserve() outside a segment: call startSegment() first");
    long estimate = payloadBytes / 184 * 188 + (long) samples * (TsPacketWriter.PACKET_SIZE + 64)
        + 16 * TsPacketWriter.PACKET_SIZE;
    packets.reserve((int) Math.min(Integer.MAX_VALUE / 2, estimate));
  }

  /**
   * Writes one sample of an added track into the current segment.
   *
   * @throws MediaException ({@link MediaException.Kind#LIMIT_EXCEEDED}) if a non-video sample does not fit
   *     into one PES packet (64 KiB)
   * @throws IllegalArgumentException for an unknown track
   * @throws IllegalStateException outside a segment
   */
  public void write(MediaSample sample) throws MediaException {
    Preconditions.requireState(inSegment, "write() outside a segment: call startSegment() first");
    MuxedTrack track = tracksById.get(sample.trackId());
    Preconditions.requireArgument(track != null, "unknown track %d", sample.trackId());
    Preconditions.requireArgument(track.streamId >= 0, "track %d carries sections: use writeSection",
        sample.trackId());
    if (track.pes.isOpen()) {
      if (fitsBundle(track, sample)) {
        track.pes.append(sample.data());
        track.bundleFrames++;
        return;
      }
      flushBundle(track);
    }
    if (track.isVideo()) {
      track.pes.begin(track.streamId, sample.pts90k(), sample.dts90k());
      if (track.rewriter != null) {
        track.rewriter.append(sample.data(), sample.keyframe(), track.pes);
      } else {
        track.pes.append(sample.data());
      }
      track.pes.finish(/* unbounded= */ true);
      writePesPackets(track, sample.pts90k(), sample.dts90k(), sample.keyframe());
      return;
    }
    int maxPayload = PesPacketizer.MAX_PES_PACKET_LENGTH + 6 - 19;
    if (sample.sizeBytes() > maxPayload) {
      throw MediaException.limitExceeded("track " + sample.trackId() + ": sample of " + sample.sizeBytes()
          + " bytes exceeds one PES packet (" + maxPayload + ")");
    }
    track.pes.begin(track.streamId, sample.pts90k(), track.isAudio() ? sample.dts90k() : sample.pts90k());
    track.pes.append(sample.data());
    if (track.isAudio() && canBundle(track, sample)) {
      track.bundlePts90k = sample.pts90k();
      track.bundleFrames = 1;
      track.bundleKeyframe = sample.keyframe();
      return;
    }
    track.pes.finish(/* unbounded= */ false);
    writePesPackets(track, sample.pts90k(), sample.dts90k(), sample.keyframe());
  }

  /**
   * Writes one whole section on a section track's PID (an SCTE-35 splice_info_section, ANSI/SCTE 35 §9.6, on a
   * track of codec SCTE35): pointer_field 0 and the section over as many TS packets as it needs.
   *
   * @throws IllegalArgumentException for an unknown track or one carried as PES
   * @throws IllegalStateException outside a segment
   */
  public void writeSection(int trackId, ByteSlice section) {
    Preconditions.requireState(inSegment, "writeSection() outside a segment: call startSegment() first");
    MuxedTrack track = tracksById.get(trackId);
    Preconditions.requireArgument(track != null && track.streamId < 0, "track %d does not carry sections",
        trackId);
    byte[] bytes = section.toByteArray();
    packets.writeSection(track.pid, track.counter, bytes, 0, bytes.length);
  }

  /**
   * Signals that the timeline breaks before the next sample: the next PCR restarts from that sample's
   * DTS and carries the discontinuity_indicator (ISO/IEC 13818-1 §2.4.3.5). Call it on
   * {@link io.iptv.core.media.StreamEvent.Discontinuity}.
   */
  public void markDiscontinuity() {
    pendingDiscontinuity = true;
  }

  /** Flushes pending audio and returns the segment's bytes. */
  public TsSegment finishSegment() {
    Preconditions.requireState(inSegment, "no segment started");
    for (MuxedTrack t : tracks) {
      if (t.pes.isOpen()) {
        flushBundle(t);
      }
    }
    inSegment = false;
    TsSegment segment = new TsSegment(packets.takeOut(), psiLength, keyframes);
    keyframes.clear();
    return segment;
  }

  /** Whether a segment is open. */
  public boolean inSegment() {
    return inSegment;
  }

  private boolean canBundle(MuxedTrack track, MediaSample sample) {
    return track.samplesPerFrame > 0 && maxAudioPes90k > 0 && sample.pts90k() == sample.dts90k()
        && track.bundleOffset90k(1) <= maxAudioPes90k;
  }

  private boolean fitsBundle(MuxedTrack track, MediaSample sample) {
    int index = track.bundleFrames;
    return sample.pts90k() == sample.dts90k()
        && sample.keyframe() == track.bundleKeyframe
        && sample.pts90k() == track.bundlePts90k + track.bundleOffset90k(index)
        && track.bundleOffset90k(index + 1) <= maxAudioPes90k
        && track.pes.length() + sample.sizeBytes() <= PesPacketizer.MAX_PES_PACKET_LENGTH + 6;
  }

  private void flushBundle(MuxedTrack track) {
    track.pes.finish(/* unbounded= */ false);
    writePesPackets(track, track.bundlePts90k, track.bundlePts90k, track.bundleKeyframe);
    track.bundleFrames = 0;
  }

  private void writePesPackets(MuxedTrack track, long pts90k, long dts90k, boolean keyframe) {
    long pcr90k = advancePcr(track, dts90k);
    long start = packets.size();
    boolean randomAccess = keyframe && (track.isVideo() || track.isAudio());
    packets.writePes(track.pid, track.counter, track.pes, pcr90k, randomAccess, pcrDiscontinuity);
    pcrDiscontinuity = false;
    if (keyframe && track.isVideo()) {
      keyframes.add(new KeyframeRange(pts90k, start, packets.size() - start));
    }
  }

  /**
   * Moves the PCR clock to the PES packet about to be written; writes PCR-only packets where needed and
   * returns the PCR for the PES packet's first TS packet (or NO_PCR).
   */
  private long advancePcr(MuxedTrack track, long dts90k) {
    long target = dts90k - pcrOffset90k;
    boolean onPcrPid = track == pcrTrack;
    if (lastPcr90k == Timestamps.NO_TIMESTAMP || pendingDiscontinuity
        || target > lastPcr90k + MAX_PCR_BRIDGE_90K || target < lastPcr90k - MAX_PCR_BRIDGE_90K) {
      boolean discontinuity = lastPcr90k != Timestamps.NO_TIMESTAMP;
      pendingDiscontinuity = false;
      lastPcr90k = target;
      pcrInSegment = true;
      if (onPcrPid) {
        pcrDiscontinuity = discontinuity;
        return target;
      }
      packets.writePcrOnly(pcrTrack.pid, pcrTrack.counter, target, discontinuity);
      return TsPacketWriter.NO_PCR;
    }
    long gap = target - lastPcr90k;
    if (gap > MAX_PCR_INTERVAL_90K) {
      long steps = (gap + MAX_PCR_INTERVAL_90K - 1) / MAX_PCR_INTERVAL_90K;
      long base = lastPcr90k;
      for (long i = 1; i < steps; i++) {
        packets.writePcrOnly(pcrTrack.pid, pcrTrack.counter, base + gap * i / steps, false);
      }
      lastPcr90k = target;
      pcrInSegment = true;
      if (onPcrPid) {
        return target;
      }
      packets.writePcrOnly(pcrTrack.pid, pcrTrack.counter, target, false);
      return TsPacketWriter.NO_PCR;
    }
    if (onPcrPid) {
      lastPcr90k = Math.max(lastPcr90k, target);
      pcrInSegment = true;
      return lastPcr90k;
    }
    if (!pcrInSegment) {
      packets.writePcrOnly(pcrTrack.pid, pcrTrack.counter, lastPcr90k, false);
      pcrInSegment = true;
    }
    return TsPacketWriter.NO_PCR;
  }

  private MuxedTrack choosePcrTrack() {
    for (TrackType type : new TrackType[] {TrackType.VIDEO, TrackType.AUDIO}) {
      for (MuxedTrack t : tracks) {
        if (t.format.type() == type) {
          return t;
        }
      }
    }
    return tracks.get(0);
  }

  private int choosePid(int trackId) {
    Integer explicit = explicitPids.get(trackId);
    int pid;
    if (explicit != null) {
      pid = explicit;
    } else if (trackIdsAsPids) {
      pid = trackId;
      Preconditions.requireArgument(pid >= 0x10 && pid <= 0x1FFE, "track id %d is not a valid PID", pid);
    } else {
      pid = firstElementaryPid;
      while (usedPids.contains(pid) || explicitPids.containsValue(pid)) {
        pid++;
      }
      Preconditions.requireArgument(pid <= 0x1FFE, "out of PIDs");
    }
    Preconditions.requireArgument(!usedPids.contains(pid), "PID 0x%x of track %d is already used", pid,
        trackId);
    return pid;
  }

  /**
   * Configures a {@link TsMuxer}. Each setting may be set once and is checked immediately. Not
   * thread-safe.
   *
   * <pre>{@code
   * TsMuxer muxer = TsMuxer.builder()
   *     .programNumber(1).pmtPid(0x1000).firstElementaryPid(0x100)
   *     .pcrOffset(Duration.ofMillis(700))
   *     .maxAudioPesDuration(Duration.ofMillis(100))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private int transportStreamId = 1;
    private int programNumber = 1;
    private int pmtPid = 0x1000;
    private int firstElementaryPid = 0x100;
    private final Map<Integer, Integer> explicitPids = new HashMap<>();
    private boolean trackIdsAsPids;
    private long pcrOffset90k = 700 * 90;
    private long maxAudioPes90k = 100 * 90;
    private SegmentBufferPool segmentBuffers; // null: each segment's buffer allocated

    private Builder() {}

    /**
     * Takes segment buffers from {@code pool} and lends each finished segment's bytes out through it (default:
     * a fresh array per segment). Whoever is done with {@link TsSegment#bytes()} may then
     * {@linkplain SegmentBufferPool#recycle recycle} it for a later segment.
     */
    public Builder segmentBuffers(SegmentBufferPool pool) {
      once("segmentBuffers");
      segmentBuffers = java.util.Objects.requireNonNull(pool, "pool");
      return this;
    }

    /** transport_stream_id of the PAT (default 1). */
    public Builder transportStreamId(int value) {
      once("transportStreamId");
      Preconditions.requireArgument(value >= 0 && value <= 0xFFFF, "transportStreamId %d out of range", value);
      transportStreamId = value;
      return this;
    }

    /** program_number (default 1). */
    public Builder programNumber(int value) {
      once("programNumber");
      Preconditions.requireArgument(value >= 1 && value <= 0xFFFF, "programNumber %d out of range", value);
      programNumber = value;
      return this;
    }

    /** PID of the PMT (default 0x1000). */
    public Builder pmtPid(int value) {
      once("pmtPid");
      requirePid(value, "pmtPid");
      pmtPid = value;
      return this;
    }

    /** First PID handed out to tracks in {@link #addTrack} order (default 0x100). */
    public Builder firstElementaryPid(int value) {
      once("firstElementaryPid");
      requirePid(value, "firstElementaryPid");
      firstElementaryPid = value;
      return this;
    }

    /** Pins the PID of one track. */
    public Builder trackPid(int trackId, int pid) {
      requirePid(pid, "pid");
      Preconditions.requireArgument(!explicitPids.containsKey(trackId), "PID of track %d was already set to %d",
          trackId, explicitPids.get(trackId));
      Preconditions.requireArgument(!explicitPids.containsValue(pid), "PID 0x%x already assigned", pid);
      explicitPids.put(trackId, pid);
      return this;
    }

    /**
     * Uses each track's id as its PID (for re-muxing a demuxed TS with its original PIDs, default false).
     */
    public Builder trackIdsAsPids(boolean value) {
      once("trackIdsAsPids");
      trackIdsAsPids = value;
      return this;
    }

    /** How far the PCR runs behind the DTS (default 700 ms, 0 to 10 s). */
    public Builder pcrOffset(Duration value) {
      once("pcrOffset");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofSeconds(10)) <= 0,
          "pcrOffset %s out of range 0..10 s", value);
      pcrOffset90k = Timestamps.fromDuration(value);
      return this;
    }

    /** Longest run of audio frames in one PES packet (default 100 ms; zero: one frame per PES). */
    public Builder maxAudioPesDuration(Duration value) {
      once("maxAudioPesDuration");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofSeconds(1)) <= 0,
          "maxAudioPesDuration %s out of range 0..1 s", value);
      maxAudioPes90k = Timestamps.fromDuration(value);
      return this;
    }

    /** Builds the muxer. */
    public TsMuxer build() {
      Preconditions.requireArgument(!explicitPids.containsValue(pmtPid), "a track PID equals the PMT PID 0x%x",
          pmtPid);
      return new TsMuxer(this);
    }

    private void once(String name) {
      Preconditions.requireState(set.add(name), "%s was already set", name);
    }

    private static void requirePid(int pid, String name) {
      Preconditions.requireArgument(pid >= 0x10 && pid <= 0x1FFE, "%s 0x%x out of range 0x10..0x1FFE", name,
          pid);
    }
  }
}
