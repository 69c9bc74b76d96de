package io.iptv.segmenter.ts;

import io.iptv.segmenter.es.EsInfo;
import java.util.List;

/**
 * One program of a transport stream as its PAT and latest PMT describe it (ISO/IEC 13818-1 §2.4.4).
 * Immutable and thread-safe; listed by {@link TsDemuxer#programs()}.
 *
 * <pre>{@code
 * for (ProgramInfo program : demuxer.programs()) {
 *   System.out.println(program.programNumber() + ": " + program.streams().size() + " streams");
 * }
 * }</pre>
 *
 * @param programNumber program_number
 * @param pmtPid the PID of its program_map_section
 * @param pcrPid PCR_PID (may carry no elementary stream), or 0x1FFF when the program has no PCR
 * @param pmtVersion version_number of the PMT in force, or -1 before the PMT was read
 * @param streams its elementary streams in PMT order
 */
public record ProgramInfo(int programNumber, int pmtPid, int pcrPid, int pmtVersion, List<EsInfo> streams) {
  /** Copies. */
  public ProgramInfo {
    streams = List.copyOf(streams);
  }
}
