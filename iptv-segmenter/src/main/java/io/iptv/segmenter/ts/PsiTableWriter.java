package io.iptv.segmenter.ts;

import io.iptv.core.io.Crc32Mpeg2;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the program-specific information sections a single-program segment starts with: the
 * program_association_section (PAT, ISO/IEC 13818-1 §2.4.4.3) and the TS_program_map_section (PMT,
 * §2.4.4.8), each ending in its CRC_32 (Annex A).
 *
 * <p>Sections are written into a reused scratch array; {@link #buffer()} and {@link #length()} expose the
 * last one built. Stateless apart from that scratch; not thread-safe.
 *
 * <pre>{@code
 * PsiTableWriter psi = new PsiTableWriter();
 * psi.buildPat(1, 1, 0x1000);
 * packets.writeSection(0, patCounter, psi.buffer(), 0, psi.length());
 * }</pre>
 */
final class PsiTableWriter {
  /** PID of the PAT (§2.4.4.3, Table 2-3). */
  static final int PAT_PID = 0x0000;
  /** Largest section we write: one PMT must fit into section_length's 1021-byte limit (§2.4.4.9). */
  private static final int MAX_SECTION_LENGTH = 1021;
  private static final int TABLE_ID_PAT = 0x00;
  private static final int TABLE_ID_PMT = 0x02;

  private final byte[] section = new byte[3 + MAX_SECTION_LENGTH];
  private int length;

  /** One elementary stream entry of the PMT's ES loop. */
  record Stream(int streamType, int pid, byte[] descriptors) {}

  /** The scratch array holding the last built section. */
  byte[] buffer() {
    return section;
  }

  /** Length of the last built section, CRC included. */
  int length() {
    return length;
  }

  /** Builds a PAT with one program. */
  void buildPat(int transportStreamId, int programNumber, int pmtPid) {
    int p = writeLongHeader(TABLE_ID_PAT, transportStreamId, 0);
    section[p++] = (byte) (programNumber >> 8); // program_number (16)
    section[p++] = (byte) programNumber;
    section[p++] = (byte) (0xE0 | pmtPid >> 8); // reserved (3), program_map_PID (13)
    section[p++] = (byte) pmtPid;
    finish(p);
  }

  /**
   * Builds a PMT.
   *
   * @throws IllegalArgumentException if the streams do not fit into one section
   */
  void buildPmt(int programNumber, int version, int pcrPid, byte[] programDescriptors, List<Stream> streams) {
    int needed = 9 + 4 + programDescriptors.length;
    for (Stream s : streams) {
      needed += 5 + s.descriptors().length;
    }
    if (needed > MAX_SECTION_LENGTH) {
      throw new IllegalArgumentException("PMT of " + needed + " bytes exceeds one section");
    }
    int p = writeLongHeader(TABLE_ID_PMT, programNumber, version);
    section[p++] = (byte) (0xE0 | pcrPid >> 8); // reserved (3), PCR_PID (13)
    section[p++] = (byte) pcrPid;
    section[p++] = (byte) (0xF0 | programDescriptors.length >> 8); // reserved (4), program_info_length (12)
    section[p++] = (byte) programDescriptors.length;
    System.arraycopy(programDescriptors, 0, section, p, programDescriptors.length);
    p += programDescriptors.length;
    for (Stream s : streams) {
      section[p++] = (byte) s.streamType(); // stream_type (8)
      section[p++] = (byte) (0xE0 | s.pid() >> 8); // reserved (3), elementary_PID (13)
      section[p++] = (byte) s.pid();
      byte[] d = s.descriptors();
      section[p++] = (byte) (0xF0 | d.length >> 8); // reserved (4), ES_info_length (12)
      section[p++] = (byte) d.length;
      System.arraycopy(d, 0, section, p, d.length);
      p += d.length;
    }
    finish(p);
  }

  /** Writes table_id up to last_section_number; section_length is filled in by {@link #finish}. */
  private int writeLongHeader(int tableId, int tableIdExtension, int version) {
    Arrays.fill(section, (byte) 0);
    section[0] = (byte) tableId; // table_id (8)
    // section_syntax_indicator (1) = 1, '0' (1), reserved (2), section_length (12): set in finish()
    section[3] = (byte) (tableIdExtension >> 8); // transport_stream_id / program_number (16)
    section[4] = (byte) tableIdExtension;
    // reserved (2), version_number (5), current_next_indicator (1) = 1
    section[5] = (byte) (0xC0 | (version & 0x1F) << 1 | 0x01);
    section[6] = 0; // section_number (8)
    section[7] = 0; // last_section_number (8)
    return 8;
  }

  private void finish(int endBeforeCrc) {
    int sectionLength = endBeforeCrc + 4 - 3;
    section[1] = (byte) (0xB0 | sectionLength >> 8);
    section[2] = (byte) sectionLength;
    int crc = Crc32Mpeg2.compute(section, 0, endBeforeCrc);
    section[endBeforeCrc] = (byte) (crc >>> 24); // CRC_32 (32)
    section[endBeforeCrc + 1] = (byte) (crc >>> 16);
    section[endBeforeCrc + 2] = (byte) (crc >>> 8);
    section[endBeforeCrc + 3] = (byte) crc;
    length = endBeforeCrc + 4;
  }
}
