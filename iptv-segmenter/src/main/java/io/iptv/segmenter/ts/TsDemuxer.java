package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.es.ElementaryStreamReader;
import io.iptv.segmenter.es.ElementaryStreamReaderFactory;
import io.iptv.segmenter.es.ElementaryStreamReaders;
import io.iptv.segmenter.es.EsInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Demultiplexes one program of an MPEG-2 transport stream (ISO/IEC 13818-1 §2.4) into {@link StreamEvent}s:
 * {@code TrackAdded}/{@code TrackChanged}, samples from the elementary-stream readers, {@code Discontinuity}
 * and, at {@link #finish()}, one {@code EndOfStream}.
 *
 * <p>Push-based: feed bytes as they arrive, in chunks of any size; the events do not depend on how the input
 * was split. Three levels: packets ({@link TsPacketFramer}: sync, packet size 188/192/204, resync), then
 * reassembly (sections for PAT/PMT/SCTE-35, PES for the rest), then codec readers from the
 * {@link ElementaryStreamReaderFactory}. Damaged input (TEI, continuity gaps, duplicates, garbage, odd
 * timestamps) is counted in {@link #statistics()} and survived; only input that cannot be read as a whole
 * (not a transport stream, selected program scrambled) raises a {@link MediaException}. Memory is bounded:
 * a carry-over of less than a few packets, PES buffers up to {@code maxPesBytes}, sections up to 4 KiB.
 *
 * <p>Timestamps: each program has one {@link io.iptv.core.time.PtsUnwrapper} shared by its PTS, DTS and
 * PCR; readers get unwrapped 90 kHz values. A missing DTS equals the PTS.
 *
 * <p>Not thread-safe: one thread feeds a demuxer (events are emitted on that thread).
 *
 * <pre>{@code
 * List<StreamEvent> events = new ArrayList<>();
 * TsDemuxer demuxer = TsDemuxer.builder()
 *     .programNumber(1)
 *     .statisticsListener(s -> log(s.ccErrors()))
 *     .build(events::add);
 * byte[] chunk = new byte[64 * 1024];
 * for (int n; (n = in.read(chunk)) > 0; ) {
 *   demuxer.feed(chunk, 0, n);
 * }
 * demuxer.finish(); // flushes, emits EndOfStream
 * }</pre>
 */
public final class TsDemuxer {
  private static final int PID_PAT = 0x0000;
  private static final int PID_NULL = 0x1FFF;
  private static final int PID_COUNT = 8192;
  /** The scrambled A/V packets after which a program that never showed a clear PES is declared scrambled. */
  static final int SCRAMBLED_PACKET_LIMIT = 500;
  /** Packets after the first PAT after which the default program is chosen from the PMTs seen so far. */
  static final long PROGRAM_SELECTION_PACKETS = 20_000;

  private final Emitter out;
  private final DiscontinuityPlacer placer;
  private final int requestedProgram;
  private final ElementaryStreamReaderFactory factory;
  private final TsStatisticsListener listener;
  private final long statisticsInterval90k;
  private final int maxPesBytes;
  private final TsPacketFramer framer;

  private final PidContext[] pids = new PidContext[PID_COUNT];
  private final Map<Integer, ProgramState> programs = new LinkedHashMap<>();
  private final TreeMap<Integer, PatReader.Pat> patSections = new TreeMap<>();
  private final Map<Integer, Integer> patSectionCrcs = new HashMap<>();
  private int patVersion = -1;
  private long firstPatPacket = -1;

  private ProgramState selected;
  private ProgramTimeline timeline;
  private EsTrack.Shared shared;
  private final Map<Integer, EsTrack> tracks = new LinkedHashMap<>();
  private int pcrPid = ProgramState.NO_PCR_PID;
  private long firstPcrPacket = -1;
  private long lastPcrPacket = -1;
  private long nextStatistics90k;

  private long teiPackets;
  private long ccErrors;
  private long damagedPackets;
  private boolean finished;
  private MediaException failure;
  private byte[] scratch;

  private TsDemuxer(Builder b, Emitter out) {
    this.out = out;
    this.placer = new DiscontinuityPlacer(out);
    this.requestedProgram = b.programNumber;
    this.factory = b.factory != null ? b.factory : ElementaryStreamReaders::create;
    this.listener = b.listener;
    this.statisticsInterval90k = Timestamps.fromDuration(b.statisticsInterval != null ? b.statisticsInterval
        : Duration.ofSeconds(1));
    this.nextStatistics90k = statisticsInterval90k;
    this.maxPesBytes = b.maxPesBytes > 0 ? b.maxPesBytes : 8 << 20;
    this.framer = new TsPacketFramer(this::onPacket, b.maxResyncBytes > 0 ? b.maxResyncBytes : 1 << 20);
    context(PID_PAT).psi = new SectionReader(this::onPatSection);
  }

  /** Starts configuring a demuxer. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link TsDemuxer}. Strict: each setter validates its argument at once and may be called only
   * once. Not thread-safe.
   */
  public static final class Builder {
    private int programNumber = -1;
    private ElementaryStreamReaderFactory factory;
    private TsStatisticsListener listener;
    private Duration statisticsInterval;
    private int maxPesBytes = -1;
    private int maxResyncBytes = -1;

    private Builder() {}

    /**
     * Selects the program to demux by program_number (1..65535). Default: the first program in PAT order that
     * has a video stream, else the first program.
     */
    public Builder programNumber(int n) {
      Preconditions.requireState(programNumber < 0, "programNumber was already set to %d", programNumber);
      Preconditions.requireArgument(n >= 1 && n <= 0xFFFF, "programNumber %d is not in 1..65535", n);
      programNumber = n;
      return this;
    }

    /** Sets the factory of elementary-stream readers; default {@link ElementaryStreamReaders#create}. */
    public Builder readerFactory(ElementaryStreamReaderFactory f) {
      Preconditions.requireState(factory == null, "readerFactory was already set to %s", factory);
      factory = Objects.requireNonNull(f, "readerFactory");
      return this;
    }

    /** Sets the listener of statistics snapshots (periodic and at finish). Optional. */
    public Builder statisticsListener(TsStatisticsListener l) {
      Preconditions.requireState(listener == null, "statisticsListener was already set to %s", listener);
      listener = Objects.requireNonNull(l, "statisticsListener");
      return this;
    }

    /** Sets the stream time (PCR, else PTS) between periodic snapshots; default 1 s, at least 1 ms. */
    public Builder statisticsInterval(Duration d) {
      Preconditions.requireState(statisticsInterval == null, "statisticsInterval was already set to %s",
          statisticsInterval);
      Objects.requireNonNull(d, "statisticsInterval");
      Preconditions.requireArgument(d.compareTo(Duration.ofMillis(1)) >= 0 && d.compareTo(Duration.ofDays(1)) <= 0,
          "statisticsInterval %s is not in 1 ms..1 day", d);
      statisticsInterval = d;
      return this;
    }

    /**
     * Sets the largest PES packet kept (default 8 MiB, at least 64 KiB); a larger one is dropped and counted,
     * which bounds memory even for unbounded video PES packets.
     */
    public Builder maxPesBytes(int n) {
      Preconditions.requireState(maxPesBytes < 0, "maxPesBytes was already set to %d", maxPesBytes);
      Preconditions.requireArgument(n >= 64 * 1024, "maxPesBytes %d < 65536", n);
      maxPesBytes = n;
      return this;
    }

    /**
     * Sets how many bytes are searched for sync before giving up with a {@link MediaException} of kind
     * MALFORMED (default 1 MiB, at least 1 KiB).
     */
    public Builder maxResyncBytes(int n) {
      Preconditions.requireState(maxResyncBytes < 0, "maxResyncBytes was already set to %d", maxResyncBytes);
      Preconditions.requireArgument(n >= 1024, "maxResyncBytes %d < 1024", n);
      maxResyncBytes = n;
      return this;
    }

    /** Builds a demuxer that emits to {@code out}. */
    public TsDemuxer build(Emitter out) {
      return new TsDemuxer(this, Objects.requireNonNull(out, "out"));
    }
  }

  /**
   * Feeds the next bytes of the stream.
   *
   * @throws MediaException when the input is not a transport stream (no sync within maxResyncBytes), the
   *     selected program is scrambled, or the emitter threw
   */
  public void feed(byte[] data, int offset, int length) throws MediaException {
    Objects.checkFromIndexSize(offset, length, data.length);
    checkUsable();
    try {
      framer.feed(data, offset, length);
    } catch (MediaException e) {
      failure = e;
      throw e;
    }
  }

  /** Feeds the remaining bytes of {@code data}, advancing its position to its limit. */
  public void feed(ByteBuffer data) throws MediaException {
    if (data.hasArray()) {
      int length = data.remaining();
      feed(data.array(), data.arrayOffset() + data.position(), length);
      data.position(data.position() + length);
      return;
    }
    if (scratch == null) {
      scratch = new byte[64 * 1024];
    }
    while (data.hasRemaining()) {
      int n = Math.min(scratch.length, data.remaining());
      data.get(scratch, 0, n);
      feed(scratch, 0, n);
    }
  }

  /**
   * Ends the input: processes the last packet, flushes the readers, reports statistics and emits
   * {@code EndOfStream}. Idempotent.
   *
   * @throws MediaException when nothing was ever synced in non-empty input, or all audio/video streams of
   *     the selected program were scrambled
   */
  public void finish() throws MediaException {
    if (failure != null) {
      throw failure;
    }
    if (finished) {
      return;
    }
    finished = true;
    try {
      framer.finish();
      for (EsTrack track : tracks.values()) {
        track.flush();
      }
      checkScrambledAtEnd();
      placer.flushPending();
      if (listener != null) {
        listener.onStatistics(statistics());
      }
      out.emit(new StreamEvent.EndOfStream());
    } catch (MediaException e) {
      failure = e;
      throw e;
    }
  }

  /** Returns a snapshot of the counters. */
  public TsStatistics statistics() {
    long pesDropped = shared == null ? 0 : shared.pesDropped;
    for (EsTrack track : tracks.values()) {
      pesDropped += track.pesDroppedPending();
    }
    long span90k = timeline == null ? 0 : (timeline.pcr.span > 0 ? timeline.pcr.span : timeline.dts.span);
    long span27 = span90k * 300;
    long bitrate = 0;
    if (span90k > 0) {
      long streamPackets = timeline.pcr.span > 0 ? lastPcrPacket - firstPcrPacket : framer.packets;
      bitrate = (long) (streamPackets * (double) TsPacketFramer.TS_PACKET_SIZE * 8 * 90_000 / span90k);
    }
    List<PidStatistics> pidStatistics = new ArrayList<>();
    for (PidContext context : pids) {
      if (context != null && (context.packets > 0 || context.tei > 0)) {
        pidStatistics.add(context.snapshot(span27));
      }
    }
    return new TsStatistics(framer.detectedPacketSize, framer.bytesIn, framer.packets, framer.syncLosses,
        framer.bytesSkipped, framer.truncatedBytes, teiPackets, damagedPackets, crcErrors(), ccErrors,
        timeline == null ? 0 : timeline.discontinuities,
        timeline == null ? 0 : timeline.clock.wrapCount(),
        shared == null ? 0 : shared.dtsAfterPts, pesDropped,
        span90k > 0 ? Timestamps.toDuration(span90k).toNanos() : 0, bitrate, pidStatistics);
  }

  /** Returns every program seen in the PAT, in order of appearance, with its latest PMT. */
  public List<ProgramInfo> programs() {
    List<ProgramInfo> list = new ArrayList<>(programs.size());
    for (ProgramState program : programs.values()) {
      list.add(program.toInfo());
    }
    return List.copyOf(list);
  }

  /** Packets skipped because their header was inconsistent (adaptation_field_length out of range, reserved adaptation_field_control). */
  long damagedPackets() {
    return damagedPackets;
  }

  /** PSI sections ignored for a bad CRC_32. */
  long crcErrors() {
    long sum = 0;
    for (PidContext context : pids) {
      if (context != null && context.psi != null) {
        sum += context.psi.crcErrors;
      }
    }
    return sum;
  }

  private void checkUsable() throws MediaException {
    if (failure != null) {
      throw failure;
    }
    Preconditions.requireState(!finished, "feed after finish()");
  }

  private PidContext context(int pid) {
    PidContext context = pids[pid];
    if (context == null) {
      context = new PidContext(pid);
      pids[pid] = context;
    }
    return context;
  }

  // ---------------------------------------------------------------------------------------------------
  // Packet level (ISO/IEC 13818-1 §2.4.3.2 transport packet, §2.4.3.4 adaptation field)

  private void onPacket(byte[] d, int p) throws MediaException {
    int b1 = d[p + 1] & 0xFF;
    int pid = (b1 & 0x1F) << 8 | (d[p + 2] & 0xFF); // PID (13)
    PidContext context = pids[pid];
    if (context == null) {
      context = context(pid);
    }
    if ((b1 & 0x80) != 0) { // transport_error_indicator (1)
      context.tei++;
      teiPackets++;
      return;
    }
    context.packets++;
    boolean payloadUnitStart = (b1 & 0x40) != 0; // payload_unit_start_indicator (1)
    int b3 = d[p + 3] & 0xFF;
    int scrambling = b3 >> 6; // transport_scrambling_control (2)
    int adaptationFieldControl = (b3 >> 4) & 0x03; // adaptation_field_control (2)
    int cc = b3 & 0x0F; // continuity_counter (4)
    if (adaptationFieldControl == 0) { // reserved
      damagedPackets++;
      return;
    }
    int payloadOffset = p + 4;
    boolean discontinuity = false;
    boolean randomAccess = false;
    int pcrOffset = -1;
    if ((adaptationFieldControl & 0x02) != 0) {
      int adaptationFieldLength = d[p + 4] & 0xFF; // adaptation_field_length (8)
      if (adaptationFieldLength > (adaptationFieldControl == 0x03 ? 182 : 183)) {
        damagedPackets++;
        return;
      }
      payloadOffset = p + 5 + adaptationFieldLength;
      if (adaptationFieldLength > 0) {
        int flags = d[p + 5] & 0xFF;
        discontinuity = (flags & 0x80) != 0; // discontinuity_indicator (1)
        randomAccess = (flags & 0x40) != 0; // random_access_indicator (1)
        if ((flags & 0x10) != 0 && adaptationFieldLength >= 7) { // PCR_flag (1)
          pcrOffset = p + 6;
        }
      }
    }
    boolean hasPayload = (adaptationFieldControl & 0x01) != 0;
    if (pid != PID_NULL && hasPayload && !checkContinuity(context, d, p, cc, discontinuity)) {
      return; // duplicate
    }
    if (discontinuity && selected != null && (context.track != null || context.programPcr)) {
      timeline.onSignalled(context, framer.packets - 1, placer);
    }
    if (pcrOffset >= 0) {
      onPcr(context, d, pcrOffset, discontinuity);
    }
    if (scrambling != 0) {
      context.scrambled++;
      if (context.track != null) {
        context.track.onScrambled();
        checkScrambled();
      }
      return;
    }
    if (!hasPayload || payloadOffset >= p + TsPacketFramer.TS_PACKET_SIZE) {
      return;
    }
    int payloadLength = p + TsPacketFramer.TS_PACKET_SIZE - payloadOffset;
    if (context.psi != null) {
      context.psi.consume(d, payloadOffset, payloadLength, payloadUnitStart);
    }
    EsTrack track = context.track;
    if (track != null) {
      track.consume(d, payloadOffset, payloadLength, payloadUnitStart, randomAccess);
      if (track.watched && pcrPid == ProgramState.NO_PCR_PID) {
        maybeReportStatistics(); // no PCR: the watched stream's DTS is the program's clock
      }
    }
  }

  /**
   * Checks continuity_counter (§2.4.3.3) of a packet with payload; returns false for a duplicate (the
   * same packet sent twice in a row, allowed once), which is then ignored.
   */
  private boolean checkContinuity(PidContext context, byte[] d, int p, int cc, boolean discontinuity)
      throws MediaException {
    int last = context.lastCc;
    if (last >= 0 && !discontinuity && cc != ((last + 1) & 0x0F)) {
      if (cc == last && !context.lastWasDuplicate && context.hasLastPacket
          && Arrays.equals(d, p, p + TsPacketFramer.TS_PACKET_SIZE, context.lastPacket, 0,
              TsPacketFramer.TS_PACKET_SIZE)) {
        context.duplicates++;
        context.lastWasDuplicate = true;
        return false;
      }
      context.ccErrors++;
      ccErrors++;
      onDataLost(context);
    }
    context.lastCc = cc;
    context.lastWasDuplicate = false;
    System.arraycopy(d, p, context.lastPacket, 0, TsPacketFramer.TS_PACKET_SIZE);
    context.hasLastPacket = true;
    return true;
  }

  private void onDataLost(PidContext context) throws MediaException {
    if (context.psi != null) {
      context.psi.reset();
    }
    if (context.track != null) {
      context.track.onDataLost();
    }
  }

  /** program_clock_reference_base (33), reserved (6), program_clock_reference_extension (9): §2.4.3.5. */
  private void onPcr(PidContext context, byte[] d, int o, boolean discontinuity) throws MediaException {
    long base = (d[o] & 0xFFL) << 25 | (d[o + 1] & 0xFF) << 17 | (d[o + 2] & 0xFF) << 9 | (d[o + 3] & 0xFF) << 1
        | (d[o + 4] & 0xFF) >> 7;
    int extension = (d[o + 4] & 0x01) << 8 | (d[o + 5] & 0xFF);
    if (context.pcr == null) {
      context.pcr = new PcrAnalyzer();
    }
    long packetIndex = framer.packets - 1;
    context.pcr.onPcr(base * 300 + extension, packetIndex * TsPacketFramer.TS_PACKET_SIZE, discontinuity);
    if (context.programPcr) {
      timeline.onWatched(timeline.pcr, base, discontinuity, placer);
      if (firstPcrPacket < 0) {
        firstPcrPacket = packetIndex;
      }
      lastPcrPacket = packetIndex;
      maybeReportStatistics();
    }
  }

  private void maybeReportStatistics() {
    if (listener == null) {
      return;
    }
    long span90k = timeline.pcr.span > 0 ? timeline.pcr.span : timeline.dts.span;
    if (span90k >= nextStatistics90k) {
      while (nextStatistics90k <= span90k) {
        nextStatistics90k += statisticsInterval90k;
      }
      listener.onStatistics(statistics());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Scrambling

  private void checkScrambled() throws MediaException {
    if (shared.scrambledAvPackets >= SCRAMBLED_PACKET_LIMIT && !shared.clearAvPesDelivered) {
      throw scrambledProgram();
    }
  }

  private void checkScrambledAtEnd() throws MediaException {
    if (selected == null || shared.clearAvPesDelivered) {
      return;
    }
    boolean anyAv = false;
    for (EsTrack track : tracks.values()) {
      if (track.isAudioOrVideo()) {
        anyAv = true;
        if (track.scrambledPackets == 0) {
          return;
        }
      }
    }
    if (anyAv) {
      throw scrambledProgram();
    }
  }

  private MediaException scrambledProgram() {
    StringBuilder list = new StringBuilder();
    for (EsTrack track : tracks.values()) {
      if (track.scrambledPackets > 0) {
        list.append(list.length() == 0 ? "" : ", ").append(String.format("0x%04X", track.info.pid()));
      }
    }
    return MediaException.scrambled("program " + selected.programNumber + " is scrambled (PIDs " + list
        + "): cannot be read in the clear");
  }

  // ---------------------------------------------------------------------------------------------------
  // PSI: PAT (§2.4.4.3) and PMT (§2.4.4.8)

  private void onPatSection(byte[] s, int offset, int length) throws MediaException {
    PatReader.Pat pat = PatReader.parse(s, offset, length);
    if (pat == null) {
      return;
    }
    if (firstPatPacket < 0) {
      firstPatPacket = framer.packets;
    }
    int crc = crcOf(s, offset, length);
    Integer known = patSectionCrcs.get(pat.sectionNumber());
    if (known == null || known != crc || pat.version() != patVersion) {
      if (pat.version() != patVersion) {
        patSections.clear();
        patSectionCrcs.clear();
        patVersion = pat.version();
      }
      patSections.put(pat.sectionNumber(), pat);
      patSectionCrcs.put(pat.sectionNumber(), crc);
      for (PatReader.Pat section : patSections.values()) {
        for (int i = 0; i < section.programNumbers().length; i++) {
          addProgram(section.programNumbers()[i], section.pmtPids()[i]);
        }
      }
    }
    trySelectProgram();
  }

  private void addProgram(int programNumber, int pmtPid) {
    ProgramState program = programs.get(programNumber);
    if (program == null) {
      program = new ProgramState(programNumber, pmtPid);
      programs.put(programNumber, program);
    } else if (program.pmtPid != pmtPid) {
      program.pmtPid = pmtPid;
      program.pmt = null;
    }
    PidContext context = context(pmtPid);
    if (context.psi == null && pmtPid != PID_PAT && pmtPid != PID_NULL) {
      context.psi = new SectionReader((section, o, l) -> onPmtSection(pmtPid, section, o, l));
    }
  }

  private void onPmtSection(int pid, byte[] s, int offset, int length) throws MediaException {
    PmtReader.Pmt pmt = PmtReader.parse(s, offset, length);
    if (pmt == null) {
      return;
    }
    ProgramState program = programs.get(pmt.programNumber());
    if (program == null || program.pmtPid != pid) {
      return;
    }
    int crc = crcOf(s, offset, length);
    if (program.pmt != null && program.pmtCrc == crc) {
      return; // repetition
    }
    program.pmt = pmt;
    program.pmtCrc = crc;
    if (program == selected) {
      applyPmt(pmt);
    } else {
      trySelectProgram();
    }
  }

  private static int crcOf(byte[] s, int offset, int length) {
    int p = offset + length - 4;
    return (s[p] & 0xFF) << 24 | (s[p + 1] & 0xFF) << 16 | (s[p + 2] & 0xFF) << 8 | (s[p + 3] & 0xFF);
  }

  private void trySelectProgram() throws MediaException {
    if (selected != null) {
      return;
    }
    if (requestedProgram > 0) {
      ProgramState program = programs.get(requestedProgram);
      if (program != null && program.pmt != null) {
        select(program);
      }
      return;
    }
    boolean waitedEnough = firstPatPacket >= 0 && framer.packets - firstPatPacket >= PROGRAM_SELECTION_PACKETS;
    ProgramState firstWithPmt = null;
    for (ProgramState program : programs.values()) {
      if (program.pmt == null) {
        if (!waitedEnough) {
          return; // an earlier program may still turn out to have video
        }
        continue;
      }
      if (program.hasVideo()) {
        select(program);
        return;
      }
      if (firstWithPmt == null) {
        firstWithPmt = program;
      }
    }
    if (firstWithPmt != null) {
      select(firstWithPmt);
    }
  }

  private void select(ProgramState program) throws MediaException {
    selected = program;
    timeline = new ProgramTimeline();
    shared = new EsTrack.Shared(timeline, maxPesBytes, placer);
    applyPmt(program.pmt);
  }

  /** Applies a (new version of the) selected program's PMT: PCR PID, new, removed and changed streams. */
  private void applyPmt(PmtReader.Pmt pmt) throws MediaException {
    if (pmt.pcrPid() != pcrPid) {
      if (pcrPid != ProgramState.NO_PCR_PID) {
        context(pcrPid).programPcr = false;
      }
      pcrPid = pmt.pcrPid();
      if (pcrPid != ProgramState.NO_PCR_PID) {
        context(pcrPid).programPcr = true;
      }
    }
    Map<Integer, EsInfo> next = new LinkedHashMap<>();
    for (EsInfo info : pmt.streams()) {
      if (info.pid() != PID_PAT && info.pid() != PID_NULL && info.pid() != selected.pmtPid) {
        next.putIfAbsent(info.pid(), info);
      }
    }
    for (var it = tracks.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, EsTrack> entry = it.next();
      EsTrack track = entry.getValue();
      EsInfo info = next.get(entry.getKey());
      if (info == null) {
        track.flush();
        track.retire();
        context(entry.getKey()).track = null;
        it.remove();
      } else if (info.streamType() != track.info.streamType() || info.codec() != track.info.codec()) {
        track.replace(info, factory.create(info, timeline.clock));
      } else {
        track.info = info;
      }
    }
    for (EsInfo info : next.values()) {
      if (!tracks.containsKey(info.pid())) {
        ElementaryStreamReader reader = factory.create(info, timeline.clock);
        EsTrack track = new EsTrack(info, reader, shared);
        tracks.put(info.pid(), track);
        context(info.pid()).track = track;
      }
    }
    EsTrack watched = null;
    for (TrackType type : new TrackType[] {TrackType.VIDEO, TrackType.AUDIO}) {
      for (EsTrack track : tracks.values()) {
        if (watched == null && track.info.codec().type() == type) {
          watched = track;
        }
      }
    }
    for (EsTrack track : tracks.values()) {
      track.watched = track == watched;
    }
  }
}
