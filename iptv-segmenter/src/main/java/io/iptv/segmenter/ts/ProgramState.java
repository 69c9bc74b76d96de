package io.iptv.segmenter.ts;

import io.iptv.core.media.TrackType;
import io.iptv.segmenter.es.EsInfo;
import java.util.List;

/** One program as the demuxer knows it from the PAT and its latest PMT. Not thread-safe. */
final class ProgramState {
  static final int NO_PCR_PID = 0x1FFF;

  final int programNumber;
  int pmtPid;
  PmtReader.Pmt pmt;
  int pmtCrc;

  ProgramState(int programNumber, int pmtPid) {
    this.programNumber = programNumber;
    this.pmtPid = pmtPid;
  }

  boolean hasVideo() {
    if (pmt == null) {
      return false;
    }
    for (EsInfo info : pmt.streams()) {
      if (info.codec().type() == TrackType.VIDEO) {
        return true;
      }
    }
    return false;
  }

  ProgramInfo toInfo() {
    return pmt == null
        ? new ProgramInfo(programNumber, pmtPid, NO_PCR_PID, -1, List.of())
        : new ProgramInfo(programNumber, pmtPid, pmt.pcrPid(), pmt.version(), pmt.streams());
  }
}
