package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.io.Crc32Mpeg2;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsiTableWriterTest {
  @Test
  void patHasProgramAndValidCrc() {
    PsiTableWriter psi = new PsiTableWriter();
    psi.buildPat(0x1234, 1, 0x1000);
    byte[] s = Arrays.copyOf(psi.buffer(), psi.length());
    assertEquals(16, s.length);
    assertEquals(0x00, s[0], "table_id");
    assertEquals(0xB0, s[1] & 0xF0, "section_syntax_indicator, '0', reserved");
    assertEquals(13, ((s[1] & 0x0F) << 8) | (s[2] & 0xFF), "section_length");
    assertEquals(0x1234, ((s[3] & 0xFF) << 8) | (s[4] & 0xFF), "transport_stream_id");
    assertEquals(0xC1, s[5] & 0xFF, "version 0, current_next 1");
    assertEquals(1, ((s[8] & 0xFF) << 8) | (s[9] & 0xFF), "program_number");
    assertEquals(0x1000, ((s[10] & 0x1F) << 8) | (s[11] & 0xFF), "program_map_PID");
    assertEquals(0, Crc32Mpeg2.compute(s, 0, s.length), "CRC over section incl. CRC_32 is 0");
  }

  @Test
  void pmtListsStreamsWithDescriptors() {
    PsiTableWriter psi = new PsiTableWriter();
    byte[] lang = {0x0A, 4, 'e', 'n', 'g', 0};
    psi.buildPmt(7, 3, 0x100, new byte[0], List.of(
        new PsiTableWriter.Stream(0x1B, 0x100, new byte[0]),
        new PsiTableWriter.Stream(0x0F, 0x101, lang)));
    byte[] s = Arrays.copyOf(psi.buffer(), psi.length());
    assertEquals(0x02, s[0], "table_id");
    assertEquals(s.length - 3, ((s[1] & 0x0F) << 8) | (s[2] & 0xFF), "section_length");
    assertEquals(7, ((s[3] & 0xFF) << 8) | (s[4] & 0xFF), "program_number");
    assertEquals(3, (s[5] & 0x3E) >> 1, "version_number");
    assertEquals(0x100, ((s[8] & 0x1F) << 8) | (s[9] & 0xFF), "PCR_PID");
    assertEquals(0, ((s[10] & 0x0F) << 8) | (s[11] & 0xFF), "program_info_length");
    assertEquals(0x1B, s[12] & 0xFF);
    assertEquals(0x100, ((s[13] & 0x1F) << 8) | (s[14] & 0xFF));
    assertEquals(0, ((s[15] & 0x0F) << 8) | (s[16] & 0xFF));
    assertEquals(0x0F, s[17] & 0xFF);
    assertEquals(0x101, ((s[18] & 0x1F) << 8) | (s[19] & 0xFF));
    assertEquals(6, ((s[20] & 0x0F) << 8) | (s[21] & 0xFF));
    assertArrayEquals(lang, Arrays.copyOfRange(s, 22, 28));
    assertEquals(32, s.length);
    assertEquals(0, Crc32Mpeg2.compute(s, 0, s.length));
  }

  @Test
  void rejectsPmtLargerThanOneSection() {
    PsiTableWriter psi = new PsiTableWriter();
    assertThrows(IllegalArgumentException.class,
        () -> psi.buildPmt(1, 0, 0x100, new byte[1020], List.of()));
  }
}
