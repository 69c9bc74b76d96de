package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CodecStringsTest {
  @Test
  void joinsSkipsDuplicatesAndUsesHvc1() {
    assertEquals("avc1.64001f,mp4a.40.2", CodecStrings.join("avc1.64001f", null, "mp4a.40.2", "avc1.64001f"));
    assertEquals("hvc1.1.6.L93.B0,ec-3", CodecStrings.join("hev1.1.6.L93.B0", " ec-3 ,"));
    assertNull(CodecStrings.join(null, ""));
  }
}
