package io.iptv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc32Mpeg2Test {
  @Test
  void checkValueOfTheCatalogue() {
    byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0x0376E6E7, Crc32Mpeg2.compute(data, 0, data.length));
  }

  @Test
  void sectionIncludingItsCrcGivesZero() {
    // A PAT body (program 1 → PID 0x1000, program 2 → PID 0x1001) with its CRC appended.
    byte[] body = {0x00, (byte) 0xB0, 0x11, 0x00, 0x03, (byte) 0xC1, 0x00, 0x00, 0x00, 0x01, (byte) 0xF0, 0x00,
        0x00, 0x02, (byte) 0xF0, 0x01};
    int crc = Crc32Mpeg2.compute(body, 0, body.length);
    byte[] section = java.util.Arrays.copyOf(body, body.length + 4);
    section[body.length] = (byte) (crc >>> 24);
    section[body.length + 1] = (byte) (crc >>> 16);
    section[body.length + 2] = (byte) (crc >>> 8);
    section[body.length + 3] = (byte) crc;
    assertEquals(0, Crc32Mpeg2.compute(section, 0, section.length));
    section[5] ^= 0x02;
    assertEquals(false, Crc32Mpeg2.compute(section, 0, section.length) == 0);
  }

  @Test
  void knownPatOfFfmpeg() {
    // PAT written by ffmpeg's mpegts muxer: program 1 on PMT PID 0x1000, CRC 0x2AB104B2
    byte[] pat = {0x00, (byte) 0xB0, 0x0D, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00, 0x00, 0x01, (byte) 0xF0, 0x00,
        0x2A, (byte) 0xB1, 0x04, (byte) 0xB2};
    assertEquals(0, Crc32Mpeg2.compute(pat, 0, pat.length));
  }
}
