package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceUriTest {
  @Test
  void sourceSpecificMulticast() {
    SourceUri u = SourceUri.parse("udp://232.1.2.3:5000?source=10.0.0.5&interface=eth1");
    assertEquals(SourceUri.Scheme.UDP, u.scheme());
    assertTrue(u.isMulticast());
    assertEquals("232.1.2.3", u.address().getHostAddress());
    assertEquals(5000, u.port());
    assertEquals("10.0.0.5", u.source().getHostAddress());
    assertEquals("eth1", u.networkInterface());
    assertEquals(u, SourceUri.parse(u.toString()));
  }

  @Test
  void unicastAndVlcForms() {
    SourceUri any = SourceUri.parse("udp://@:1234");
    assertNull(any.address());
    assertEquals(1234, any.port());
    assertFalse(any.isMulticast());
    assertNull(SourceUri.parse("udp://:1234").address());
    assertEquals("127.0.0.1", SourceUri.parse("rtp://127.0.0.1:5004").address().getHostAddress());
    assertEquals(SourceUri.Scheme.RTP, SourceUri.parse("rtp://@239.0.0.1:5004").scheme());
    assertTrue(SourceUri.parse("udp://[ff3e::1234]:5000?interface=lo").isMulticast());
    assertEquals(1 << 20, SourceUri.parse("udp://239.0.0.1:5000?buffer_size=1048576").receiveBufferBytes());
    assertEquals("192.0.2.2", SourceUri.parse("udp://239.0.0.1:5000?localaddr=192.0.2.2").networkInterface());
  }

  @Test
  void httpAndStdin() {
    SourceUri http = SourceUri.parse("http://encoder.example:8080/live.ts?token=x");
    assertEquals(SourceUri.Scheme.HTTP, http.scheme());
    assertEquals("encoder.example", http.uri().getHost());
    assertEquals(SourceUri.Scheme.STDIN, SourceUri.parse("-").scheme());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "udp://", "udp://239.0.0.1", "udp://239.0.0.1:0", "udp://239.0.0.1:70000", "udp://239.0.0.1:x",
      "udp://239.0.0.1:5000?pkt_size=1316", "udp://10.0.0.1:5000?source=10.0.0.2", "udp://host.example:5000",
      "udp://300.1.1.1:5000", "udp://239.0.0.1:5000?source=", "udp://239.0.0.1:5000?source=a.b",
      "udp://239.0.0.1:5000?source=10.0.0.1&source=10.0.0.2", "udp://[ff3e::1:5000", "srt://1.2.3.4:5000",
      "udp://239.0.0.1:5000?buffer_size=1", "udp://239.0.0.1:5000?interface=a/b", "http://"})
  void rejectsWithAMessage(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceUri.parse(text));
    assertFalse(e.getMessage().isBlank());
  }
}
