package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import org.junit.jupiter.api.Test;

class StreamTypeTest {
  private static final ByteSlice NONE = ByteSlice.empty();

  private static ByteSlice bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteSlice.wrap(b);
  }

  private static ByteSlice registration(String id) {
    return bytes(0x05, 4, id.charAt(0), id.charAt(1), id.charAt(2), id.charAt(3));
  }

  @Test
  void isoTypes() {
    assertEquals(Codec.MPEG2_VIDEO, StreamType.codecOf(0x01, NONE, NONE));
    assertEquals(Codec.MPEG2_VIDEO, StreamType.codecOf(0x02, NONE, NONE));
    assertEquals(Codec.MPEG_AUDIO, StreamType.codecOf(0x03, NONE, NONE));
    assertEquals(Codec.MPEG_AUDIO, StreamType.codecOf(0x04, NONE, NONE));
    assertEquals(Codec.AAC, StreamType.codecOf(0x0F, NONE, NONE));
    assertEquals(Codec.ID3, StreamType.codecOf(0x15, NONE, NONE));
    assertEquals(Codec.H264, StreamType.codecOf(0x1B, NONE, NONE));
    assertEquals(Codec.H265, StreamType.codecOf(0x24, NONE, NONE));
    assertEquals(Codec.UNKNOWN, StreamType.codecOf(0x42, NONE, NONE));
  }

  @Test
  void atscAndScte() {
    assertEquals(Codec.AC3, StreamType.codecOf(0x81, NONE, NONE));
    assertEquals(Codec.EAC3, StreamType.codecOf(0x87, NONE, NONE));
    assertEquals(Codec.SCTE35, StreamType.codecOf(0x86, NONE, NONE));
    assertEquals(Codec.SCTE35, StreamType.codecOf(0x86, NONE, registration("CUEI")));
  }

  @Test
  void privatePesByDescriptor() {
    assertEquals(Codec.AC3, StreamType.codecOf(0x06, bytes(0x6A, 1, 0), NONE));
    assertEquals(Codec.EAC3, StreamType.codecOf(0x06, bytes(0x7A, 1, 0), NONE));
    assertEquals(Codec.AC3, StreamType.codecOf(0x06, registration("AC-3"), NONE));
    assertEquals(Codec.EAC3, StreamType.codecOf(0x06, registration("EAC3"), NONE));
    assertEquals(Codec.EAC3, StreamType.codecOf(0x06, bytes(0x0A, 4, 'e', 'n', 'g', 0, 0x7A, 1, 0), NONE));
    assertEquals(Codec.UNKNOWN, StreamType.codecOf(0x06, bytes(0x59, 0), NONE)); // DVB subtitles
    assertEquals(Codec.UNKNOWN, StreamType.codecOf(0x06, bytes(0x6A, 9, 0), NONE)); // truncated loop
  }

  @Test
  void hdmvRegistrationChangesTheMeaningOfPrivateTypes() {
    ByteSlice hdmv = registration("HDMV");
    assertEquals(Codec.AC3, StreamType.codecOf(0x81, NONE, hdmv));
    assertEquals(Codec.EAC3, StreamType.codecOf(0x84, NONE, hdmv));
    assertEquals(Codec.UNKNOWN, StreamType.codecOf(0x86, NONE, hdmv)); // DTS-HD MA on Blu-ray
    assertEquals(Codec.UNKNOWN, StreamType.codecOf(0x84, NONE, NONE));
  }

  @Test
  void languageDescriptor() {
    assertEquals("deu", Descriptors.language(bytes(0x52, 1, 0, 0x0A, 4, 'd', 'e', 'u', 0)));
    assertEquals(null, Descriptors.language(bytes(0x0A, 2, 'd', 'e')));
    assertEquals(null, Descriptors.language(NONE));
  }
}
