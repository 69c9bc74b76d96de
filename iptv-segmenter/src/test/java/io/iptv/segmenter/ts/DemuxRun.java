package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.ByteSplits;
import java.util.ArrayList;
import java.util.List;

/**
 * Test harness: runs a {@link TsDemuxer} over a whole byte array (fed in chunks of a {@link ByteSplits})
 * and keeps everything it produced.
 *
 * @param events every event, in order, ending with EndOfStream
 * @param statistics the final statistics
 * @param programs the programs as known at the end
 */
record DemuxRun(List<StreamEvent> events, TsStatistics statistics, List<ProgramInfo> programs) {
  /** Program selection left to the demuxer's default (first program with video). */
  static final int DEFAULT_PROGRAM = 0;

  /** Demuxes {@code ts} fed as one buffer. */
  static DemuxRun of(byte[] ts) throws MediaException {
    return of(ts, DEFAULT_PROGRAM, ByteSplits.aligned(Math.max(1, ts.length)));
  }

  /** Demuxes {@code ts} for {@code programNumber} ({@link #DEFAULT_PROGRAM}: default) in chunks of {@code split}. */
  static DemuxRun of(byte[] ts, int programNumber, ByteSplits split) throws MediaException {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer.Builder builder = TsDemuxer.builder();
    if (programNumber != DEFAULT_PROGRAM) {
      builder.programNumber(programNumber);
    }
    TsDemuxer demuxer = builder.build(events::add);
    split.feed(ts, demuxer::feed);
    demuxer.finish();
    return new DemuxRun(List.copyOf(events), demuxer.statistics(), demuxer.programs());
  }

  /** All samples, in emission order. */
  List<MediaSample> samples() {
    return events.stream().filter(MediaSample.class::isInstance).map(MediaSample.class::cast).toList();
  }

  /** The samples of one PID. */
  List<MediaSample> samples(int pid) {
    return samples().stream().filter(s -> s.trackId() == pid).toList();
  }

  /** The statistics of one PID, or null if the demuxer has none for it. */
  PidStatistics pidStatistics(int pid) {
    return statistics.pids().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
  }
}
