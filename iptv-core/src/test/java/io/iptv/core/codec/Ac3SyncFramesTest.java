package io.iptv.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Frame sizes against ATSC A/52 Table 5.18 (words of 16 bits), and the reserved codes. */
class Ac3SyncFramesTest {
  @Test
  void frameSizesFollowTable518() {
    assertEquals(2 * 64, Ac3SyncFrames.frameBytes(0, 0)); // 32 kbit/s, 48 kHz
    assertEquals(2 * 69, Ac3SyncFrames.frameBytes(1, 0)); // 32 kbit/s, 44.1 kHz
    assertEquals(2 * 70, Ac3SyncFrames.frameBytes(1, 1)); // ... with the padding word
    assertEquals(2 * 96, Ac3SyncFrames.frameBytes(2, 0)); // 32 kbit/s, 32 kHz
    assertEquals(2 * 384, Ac3SyncFrames.frameBytes(0, 20)); // 192 kbit/s, 48 kHz
    assertEquals(2 * 1393, Ac3SyncFrames.frameBytes(1, 36)); // 640 kbit/s, 44.1 kHz
    assertEquals(2 * 1394, Ac3SyncFrames.frameBytes(1, 37));
    assertEquals(2 * 1920, Ac3SyncFrames.frameBytes(2, 37)); // 640 kbit/s, 32 kHz
    assertEquals(0, Ac3SyncFrames.frameBytes(3, 0), "reserved fscod");
    assertEquals(0, Ac3SyncFrames.frameBytes(0, 38), "reserved frmsizecod");
  }

  @Test
  void ratesChannelsAndBlocks() {
    assertEquals(48000, Ac3SyncFrames.sampleRate(0));
    assertEquals(44100, Ac3SyncFrames.sampleRate(1));
    assertEquals(32000, Ac3SyncFrames.sampleRate(2));
    assertEquals(0, Ac3SyncFrames.sampleRate(3));
    assertEquals(2, Ac3SyncFrames.fullBandwidthChannels(0)); // 1+1
    assertEquals(5, Ac3SyncFrames.fullBandwidthChannels(7)); // 3/2
    assertEquals(6, Ac3SyncFrames.eac3Blocks(3));
  }
}
