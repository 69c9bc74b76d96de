package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.segmenter.es.EsInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a TS_program_map_section (ISO/IEC 13818-1 §2.4.4.8, table_id 0x02): PCR_PID, program_info
 * descriptors and the elementary stream loop, resolving each stream's codec with {@link StreamType} and its
 * language from an ISO_639_language_descriptor. Stateless.
 *
 * <pre>{@code
 * PmtReader.Pmt pmt = PmtReader.parse(section, 0, length); // null if not a usable PMT
 * }</pre>
 */
final class PmtReader {
  static final int TABLE_ID_PMT = 0x02;

  /** One PMT. */
  record Pmt(int programNumber, int version, int pcrPid, ByteSlice programDescriptors, List<EsInfo> streams) {}

  private PmtReader() {}

  /** Returns the section's content, or null if it is not a current, well-formed PMT section. */
  static Pmt parse(byte[] s, int offset, int length) {
    if (length < 16 || (s[offset] & 0xFF) != TABLE_ID_PMT || (s[offset + 1] & 0x80) == 0) {
      return null; // table_id (8), section_syntax_indicator (1)
    }
    int programNumber = (s[offset + 3] & 0xFF) << 8 | (s[offset + 4] & 0xFF); // program_number (16)
    int version = (s[offset + 5] >> 1) & 0x1F; // version_number (5)
    if ((s[offset + 5] & 0x01) == 0) { // current_next_indicator (1)
      return null;
    }
    int pcrPid = (s[offset + 8] & 0x1F) << 8 | (s[offset + 9] & 0xFF); // PCR_PID (13)
    int programInfoLength = (s[offset + 10] & 0x0F) << 8 | (s[offset + 11] & 0xFF); // program_info_length (12)
    int end = offset + length - 4; // before CRC_32
    int position = offset + 12;
    if (position + programInfoLength > end) {
      return null;
    }
    ByteSlice programDescriptors = ByteSlice.copyOf(s, position, programInfoLength);
    position += programInfoLength;
    List<EsInfo> streams = new ArrayList<>();
    while (position + 5 <= end) {
      int streamType = s[position] & 0xFF; // stream_type (8)
      int pid = (s[position + 1] & 0x1F) << 8 | (s[position + 2] & 0xFF); // elementary_PID (13)
      int esInfoLength = (s[position + 3] & 0x0F) << 8 | (s[position + 4] & 0xFF); // ES_info_length (12)
      position += 5;
      if (position + esInfoLength > end) {
        return null;
      }
      ByteSlice descriptors = ByteSlice.copyOf(s, position, esInfoLength);
      position += esInfoLength;
      Codec codec = StreamType.codecOf(streamType, descriptors, programDescriptors);
      streams.add(new EsInfo(programNumber, pid, streamType, codec, Descriptors.language(descriptors), descriptors));
    }
    return new Pmt(programNumber, version, pcrPid, programDescriptors, List.copyOf(streams));
  }
}
