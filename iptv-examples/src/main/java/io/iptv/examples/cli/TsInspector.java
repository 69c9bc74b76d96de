package io.iptv.examples.cli;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.es.EsInfo;
import io.iptv.segmenter.ts.PidStatistics;
import io.iptv.segmenter.ts.ProgramInfo;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsStatistics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Analyses a transport-stream file with {@link TsDemuxer}: every program is demuxed (one pass per program),
 * and per-track sample statistics are combined with the demuxer's packet statistics.
 *
 * <p>Not thread-safe; one inspection per instance.
 */
final class TsInspector {
  private static final int CHUNK_BYTES = 1 << 20;
  /** Larger DTS steps than this are timeline breaks, not frame durations. */
  private static final long MAX_STEP_90K = 10 * Timestamps.TICKS_PER_SECOND;

  InspectReport inspect(Path file) throws IOException {
    long size = Files.size(file);
    ProgramPass first = demux(file, null);
    List<ProgramInfo> programs = first.programs;
    if (programs.isEmpty()) {
      throw MediaException.malformed("no program found (no PAT/PMT) in " + file.getFileName());
    }
    Map<Integer, ProgramPass> passes = new HashMap<>();
    passes.put(first.selectedProgram(), first);
    for (ProgramInfo program : programs) {
      if (!passes.containsKey(program.programNumber())) {
        passes.put(program.programNumber(), demux(file, program.programNumber()));
      }
    }
    List<InspectReport.ProgramReport> programReports = new ArrayList<>();
    double duration = 0;
    for (ProgramInfo program : programs) {
      ProgramPass pass = passes.get(program.programNumber());
      InspectReport.ProgramReport report = pass.report(program);
      duration = Math.max(duration, report.durationSeconds());
      programReports.add(report);
    }
    TsStatistics stats = first.statistics;
    TreeSet<Integer> scrambled = new TreeSet<>();
    long ccErrors = 0;
    for (PidStatistics pid : stats.pids()) {
      if (pid.scrambledPackets() > 0) {
        scrambled.add(pid.pid());
      }
      ccErrors += pid.ccErrors();
    }
    int wraps = 0;
    long discontinuities = 0;
    long dtsAfterPts = 0;
    for (ProgramPass pass : passes.values()) {
      wraps = Math.max(wraps, pass.statistics.timestampWraps());
      discontinuities += pass.statistics.discontinuities();
      dtsAfterPts += pass.statistics.dtsAfterPts();
    }
    InspectReport.DamageReport damage = new InspectReport.DamageReport(ccErrors, stats.teiPackets(), stats.damagedPackets(), stats.crcErrors(),
        stats.syncLosses(), stats.bytesSkipped(), stats.truncatedBytes(), stats.pesDropped(), discontinuities,
        wraps, dtsAfterPts, List.copyOf(scrambled));
    long bitrate = duration > 0 ? Math.round(size * 8 / duration) : 0;
    return new InspectReport(file.toString(), size, stats.packetSize(), duration, bitrate, programReports, damage);
  }

  private ProgramPass demux(Path file, Integer programNumber) throws IOException {
    ProgramPass pass = new ProgramPass();
    TsDemuxer.Builder builder = TsDemuxer.builder();
    if (programNumber != null) {
      builder.programNumber(programNumber);
    }
    TsDemuxer demuxer = builder.build(pass::onEvent);
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        demuxer.feed(buffer.array(), 0, buffer.limit());
        buffer.clear();
      }
    }
    demuxer.finish();
    pass.programs = demuxer.programs();
    pass.statistics = demuxer.statistics();
    pass.programNumber = programNumber;
    return pass;
  }

  /** Everything learned from demuxing one program. */
  private static final class ProgramPass {
    final Map<Integer, TrackAccumulator> tracks = new HashMap<>();
    List<ProgramInfo> programs = List.of();
    TsStatistics statistics;
    Integer programNumber;

    void onEvent(StreamEvent event) {
      if (event instanceof MediaSample sample) {
        tracks.computeIfAbsent(sample.trackId(), TrackAccumulator::new).add(sample);
      } else if (event instanceof StreamEvent.TrackAdded added) {
        tracks.computeIfAbsent(added.format().trackId(), TrackAccumulator::new).format = added.format();
      } else if (event instanceof StreamEvent.TrackChanged changed) {
        tracks.computeIfAbsent(changed.format().trackId(), TrackAccumulator::new).format = changed.format();
      }
    }

    /** The program this pass demuxed: the requested one, or the one whose PIDs produced tracks. */
    int selectedProgram() {
      if (programNumber != null) {
        return programNumber;
      }
      for (ProgramInfo program : programs) {
        for (EsInfo es : program.streams()) {
          if (tracks.containsKey(es.pid())) {
            return program.programNumber();
          }
        }
      }
      return programs.isEmpty() ? -1 : programs.get(0).programNumber();
    }

    InspectReport.ProgramReport report(ProgramInfo program) {
      Map<Integer, PidStatistics> pidStats = new HashMap<>();
      for (PidStatistics p : statistics.pids()) {
        pidStats.put(p.pid(), p);
      }
      List<InspectReport.StreamReport> streams = new ArrayList<>();
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      double longestPlayed = 0;
      for (EsInfo es : program.streams()) {
        TrackAccumulator track = tracks.get(es.pid());
        PidStatistics p = pidStats.get(es.pid());
        streams.add(streamReport(es, track, p));
        if (track != null && track.samples > 0) {
          start = Math.min(start, track.minPts90k);
          end = Math.max(end, track.maxPts90k + track.lastStep90k);
          longestPlayed = Math.max(longestPlayed, track.played90k + track.lastStep90k);
        }
      }
      double duration = 0;
      if (start != Long.MAX_VALUE) {
        // A clean timeline is measured first to last; across a break only the played time adds up.
        duration = statistics.discontinuities() == 0 ? Timestamps.toSeconds(end - start)
            : Timestamps.toSeconds((long) longestPlayed);
      }
      return new InspectReport.ProgramReport(program.programNumber(), program.pmtPid(), program.pcrPid(), duration,
          streams);
    }

    private static InspectReport.StreamReport streamReport(EsInfo es, TrackAccumulator track, PidStatistics p) {
      TrackFormat f = track == null ? null : track.format;
      long samples = track == null ? 0 : track.samples;
      long keyframes = track == null ? 0 : track.keyframes;
      boolean video = f != null && f.type() == io.iptv.core.media.TrackType.VIDEO;
      double gopFrames = video && keyframes > 0 ? samples / (double) keyframes : 0;
      double gopSeconds = video && keyframes > 1
          ? Timestamps.toSeconds(track.lastKeyPts90k - track.firstKeyPts90k) / (keyframes - 1) : 0;
      return new InspectReport.StreamReport(
          es.pid(),
          es.streamType(),
          f == null ? es.codec().type().name().toLowerCase(java.util.Locale.ROOT) : f.type().name().toLowerCase(java.util.Locale.ROOT),
          f == null ? es.codec().name() : f.codec().name(),
          f == null ? null : f.codecString(),
          f == null ? 0 : f.width(),
          f == null ? 0 : f.height(),
          f == null ? 0 : f.frameRate(),
          f == null ? 0 : f.sampleRate(),
          f == null ? 0 : f.channels(),
          f != null && f.language() != null ? f.language() : es.language(),
          (f != null && f.scrambled()) || (p != null && p.scrambledPackets() > 0),
          p == null ? 0 : p.packets(),
          p == null ? 0 : p.ccErrors(),
          p == null ? 0 : p.bitrateBitsPerSecond(),
          samples,
          keyframes,
          gopFrames,
          gopSeconds,
          track == null || samples == 0 ? 0 : Timestamps.toSeconds(track.minPts90k),
          track == null || samples == 0 ? 0 : Timestamps.toSeconds(track.played90k + track.lastStep90k));
    }
  }

  /** Per-track sample statistics. */
  private static final class TrackAccumulator {
    TrackFormat format;
    long samples;
    long keyframes;
    long minPts90k = Long.MAX_VALUE;
    long maxPts90k = Long.MIN_VALUE;
    long firstKeyPts90k;
    long lastKeyPts90k;
    long lastDts90k = Timestamps.NO_TIMESTAMP;
    long lastStep90k;
    long played90k;

    TrackAccumulator(int trackId) {}

    void add(MediaSample sample) {
      samples++;
      if (sample.keyframe()) {
        if (keyframes == 0) {
          firstKeyPts90k = sample.pts90k();
        }
        lastKeyPts90k = sample.pts90k();
        keyframes++;
      }
      minPts90k = Math.min(minPts90k, sample.pts90k());
      maxPts90k = Math.max(maxPts90k, sample.pts90k());
      if (lastDts90k != Timestamps.NO_TIMESTAMP) {
        long step = sample.dts90k() - lastDts90k;
        if (step > 0 && step <= MAX_STEP_90K) {
          played90k += step;
          lastStep90k = step;
        }
      }
      lastDts90k = sample.dts90k();
    }
  }
}
