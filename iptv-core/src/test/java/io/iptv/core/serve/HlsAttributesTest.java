package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** RFC 8216 §4.2 attribute lists as players read them. */
class HlsAttributesTest {
  @Test
  void quotedCommasExactNamesAndEnumeratedValues() {
    String line = "#EXT-X-KEY:METHOD=AES-128,URI=\"a,b.key?x=1\",IV=0x01,KEYFORMAT=\"identity\"";
    assertEquals("AES-128", HlsAttributes.value(line, "METHOD"));
    assertEquals("a,b.key?x=1", HlsAttributes.value(line, "URI"));
    assertEquals("0x01", HlsAttributes.value(line, "IV"));
    assertEquals("identity", HlsAttributes.value(line, "KEYFORMAT"));
    assertNull(HlsAttributes.value(line, "KEYFORMATVERSIONS"));
    assertNull(HlsAttributes.value("#EXT-X-PRELOAD-HINT:TYPE=PART,XURI=\"p.m4s\"", "URI"), "exact names");
    assertEquals("3", HlsAttributes.value("#EXT-X-SKIP:SKIPPED-SEGMENTS=3", "SKIPPED-SEGMENTS"));
  }

  @Test
  void malformedListsGiveNull() {
    assertNull(HlsAttributes.value("#EXT-X-KEY", "URI"));
    assertNull(HlsAttributes.value("#EXT-X-KEY:URI=\"unterminated", "URI"));
    assertNull(HlsAttributes.value("#EXT-X-KEY:METHOD", "METHOD"));
    assertNull(HlsAttributes.value("#EXT-X-KEY:A=\"x\"junk,URI=\"u\"", "B"));
    assertEquals("u", HlsAttributes.value("#EXT-X-KEY:A=\"x\"junk,URI=\"u\"", "URI"));
  }
}
