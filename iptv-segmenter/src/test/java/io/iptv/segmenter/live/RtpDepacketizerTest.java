package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpDepacketizerTest {
  /** An RTP packet (RFC 3550 §5.1) around {@code payload}. */
  static byte[] rtp(int sequence, long ssrc, int csrcs, int extensionWords, int padding, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | (padding > 0 ? 0x20 : 0) | (extensionWords >= 0 ? 0x10 : 0) | csrcs);
    out.write(33); // MP2T
    out.write(sequence >> 8);
    out.write(sequence);
    out.writeBytes(new byte[] {0, 1, 2, 3}); // timestamp
    out.writeBytes(new byte[] {(byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc});
    for (int i = 0; i < csrcs; i++) {
      out.writeBytes(new byte[] {9, 9, 9, (byte) i});
    }
    if (extensionWords >= 0) {
      out.writeBytes(new byte[] {(byte) 0xBE, (byte) 0xDE, 0, (byte) extensionWords});
      out.writeBytes(new byte[4 * extensionWords]);
    }
    out.writeBytes(payload);
    for (int i = 1; i <= padding; i++) {
      out.write(i == padding ? padding : 0);
    }
    return out.toByteArray();
  }

  private static byte[] payload(int seed) {
    byte[] p = new byte[188 * 7];
    new Random(seed).nextBytes(p);
    p[0] = 0x47;
    return p;
  }

  @Test
  void stripsCsrcsExtensionAndPadding() {
    byte[] payload = payload(1);
    for (int csrcs : new int[] {0, 1, 15}) {
      for (int ext : new int[] {-1, 0, 3}) {
        for (int pad : new int[] {0, 1, 4}) {
          RtpDepacketizer rtp = new RtpDepacketizer();
          byte[] packet = rtp(7, 42, csrcs, ext, pad, payload);
          byte[] framed = new byte[packet.length + 10];
          System.arraycopy(packet, 0, framed, 5, packet.length);
          assertTrue(rtp.parse(framed, 5, packet.length), csrcs + "/" + ext + "/" + pad);
          assertEquals(payload.length, rtp.payloadLength());
          assertEquals(0x47, framed[rtp.payloadOffset()] & 0xFF);
          assertEquals(payload[100], framed[rtp.payloadOffset() + 100]);
        }
      }
    }
  }

  @Test
  void countsGapsAcrossTheSequenceWrap() {
    RtpDepacketizer rtp = new RtpDepacketizer();
    byte[] p = payload(2);
    int[] sequence = {65530, 65531, 65534, 65535, 0, 3, 4};
    for (int s : sequence) {
      assertTrue(rtp.parse(rtp(s, 1, 0, -1, 0, p), 0, rtp(s, 1, 0, -1, 0, p).length));
    }
    assertEquals(2 + 2, rtp.lostPackets()); // 65532, 65533, 1, 2
    assertEquals(sequence.length, rtp.packets());
  }

  @Test
  void dropsLateAndDuplicatePacketsWithoutCountingLoss() {
    RtpDepacketizer rtp = new RtpDepacketizer();
    byte[] p = payload(3);
    assertTrue(rtp.parse(rtp(100, 1, 0, -1, 0, p), 0, rtp(100, 1, 0, -1, 0, p).length));
    assertTrue(rtp.parse(rtp(102, 1, 0, -1, 0, p), 0, rtp(102, 1, 0, -1, 0, p).length));
    assertFalse(rtp.parse(rtp(101, 1, 0, -1, 0, p), 0, rtp(101, 1, 0, -1, 0, p).length)); // late
    assertFalse(rtp.parse(rtp(102, 1, 0, -1, 0, p), 0, rtp(102, 1, 0, -1, 0, p).length)); // duplicate
    assertEquals(1, rtp.lostPackets());
    assertEquals(2, rtp.lateOrDuplicatePackets());
  }

  @Test
  void newSsrcOrBigJumpIsARestartNotALoss() {
    RtpDepacketizer rtp = new RtpDepacketizer();
    byte[] p = payload(4);
    rtp.parse(rtp(10, 1, 0, -1, 0, p), 0, rtp(10, 1, 0, -1, 0, p).length);
    assertTrue(rtp.parse(rtp(30_000, 1, 0, -1, 0, p), 0, rtp(30_000, 1, 0, -1, 0, p).length));
    assertTrue(rtp.parse(rtp(5, 2, 0, -1, 0, p), 0, rtp(5, 2, 0, -1, 0, p).length));
    assertTrue(rtp.parse(rtp(6, 2, 0, -1, 0, p), 0, rtp(6, 2, 0, -1, 0, p).length));
    assertEquals(0, rtp.lostPackets());
    assertEquals(2, rtp.restarts());
  }

  @Test
  void rejectsMalformedHeadersWithoutThrowing() {
    RtpDepacketizer rtp = new RtpDepacketizer();
    Random random = new Random(5);
    byte[] p = payload(5);
    assertFalse(rtp.parse(new byte[11], 0, 11)); // shorter than the fixed header
    byte[] v1 = rtp(1, 1, 0, -1, 0, p);
    v1[0] = (byte) 0x40; // version 1
    assertFalse(rtp.parse(v1, 0, v1.length));
    byte[] hugeExtension = rtp(1, 1, 0, 0, 0, new byte[8]);
    hugeExtension[12 + 2] = (byte) 0xFF; // extension length far past the end
    assertFalse(rtp.parse(hugeExtension, 0, hugeExtension.length));
    byte[] badPadding = rtp(1, 1, 0, -1, 0, new byte[4]);
    badPadding[0] |= 0x20;
    badPadding[badPadding.length - 1] = (byte) 200; // more padding than the packet holds
    assertFalse(rtp.parse(badPadding, 0, badPadding.length));
    for (int i = 0; i < 10_000; i++) {
      byte[] garbage = new byte[random.nextInt(100)];
      random.nextBytes(garbage);
      if (rtp.parse(garbage, 0, garbage.length)) {
        assertTrue(rtp.payloadOffset() >= 12 && rtp.payloadOffset() + rtp.payloadLength() <= garbage.length);
      }
    }
    assertTrue(rtp.malformedPackets() >= 4);
  }
}
