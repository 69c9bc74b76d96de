package io.iptv.segmenter.ts;

/**
 * Parses a program_association_section (ISO/IEC 13818-1 §2.4.4.3, table_id 0x00). Stateless.
 *
 * <pre>{@code
 * PatReader.Pat pat = PatReader.parse(section, 0, length); // null if not a usable PAT
 * }</pre>
 */
final class PatReader {
  static final int TABLE_ID_PAT = 0x00;

  /** One PAT section: program_number → program_map_PID pairs in section order (program 0, the NIT, excluded). */
  record Pat(int version, int sectionNumber, int[] programNumbers, int[] pmtPids) {}

  private PatReader() {}

  /** Returns the section's content, or null if it is not a current PAT section. */
  static Pat parse(byte[] s, int offset, int length) {
    if (length < 12 || (s[offset] & 0xFF) != TABLE_ID_PAT) { // table_id (8)
      return null;
    }
    if ((s[offset + 1] & 0x80) == 0) { // section_syntax_indicator (1)
      return null;
    }
    int version = (s[offset + 5] >> 1) & 0x1F; // version_number (5)
    if ((s[offset + 5] & 0x01) == 0) { // current_next_indicator (1): not yet applicable
      return null;
    }
    int sectionNumber = s[offset + 6] & 0xFF; // section_number (8)
    int loopEnd = offset + length - 4; // before CRC_32
    int count = 0;
    for (int p = offset + 8; p + 4 <= loopEnd; p += 4) {
      if (((s[p] & 0xFF) << 8 | (s[p + 1] & 0xFF)) != 0) {
        count++;
      }
    }
    int[] programs = new int[count];
    int[] pids = new int[count];
    int i = 0;
    for (int p = offset + 8; p + 4 <= loopEnd; p += 4) {
      int programNumber = (s[p] & 0xFF) << 8 | (s[p + 1] & 0xFF); // program_number (16)
      int pid = (s[p + 2] & 0x1F) << 8 | (s[p + 3] & 0xFF); // program_map_PID (13)
      if (programNumber != 0) { // 0: network_PID
        programs[i] = programNumber;
        pids[i] = pid;
        i++;
      }
    }
    return new Pat(version, sectionNumber, programs, pids);
  }
}
