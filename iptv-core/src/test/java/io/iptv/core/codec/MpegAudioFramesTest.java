package io.iptv.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Frame sizes and durations from ISO/IEC 11172-3 §2.4.3.1 and 13818-3, and the headers refused. */
class MpegAudioFramesTest {
  @Test
  void sizesAndDurations() {
    int layer2 = 0xFFFDA400; // MPEG-1 layer II, no CRC, 192 kbit/s, 48 kHz
    assertEquals(2, MpegAudioFrames.layer(layer2));
    assertEquals(576, MpegAudioFrames.frameBytes(layer2)); // 144 × 192000 / 48000
    assertEquals(1152, MpegAudioFrames.samplesPerFrame(layer2));
    int layer3Padded = 0xFFFB9200; // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, padding
    assertEquals(418, MpegAudioFrames.frameBytes(layer3Padded)); // 144 × 128000 / 44100 = 417, + 1
    assertEquals(44100, MpegAudioFrames.sampleRate(layer3Padded));
    int lsf = 0xFFF38000; // MPEG-2 layer III, 64 kbit/s, 22.05 kHz
    assertEquals(22050, MpegAudioFrames.sampleRate(lsf));
    assertEquals(576, MpegAudioFrames.samplesPerFrame(lsf));
    assertEquals(208, MpegAudioFrames.frameBytes(lsf)); // 72 × 64000 / 22050
    int layer1 = 0xFFFF9000; // MPEG-1 layer I, 288 kbit/s, 44.1 kHz
    assertEquals(384, MpegAudioFrames.samplesPerFrame(layer1));
    assertEquals(312, MpegAudioFrames.frameBytes(layer1)); // (12 × 288000 / 44100) × 4
  }

  @Test
  void reservedAndFreeFormatHeadersAreRefused() {
    assertFalse(MpegAudioFrames.isValid(0xFFFD0400), "free format");
    assertFalse(MpegAudioFrames.isValid(0xFFFDF400), "bitrate_index 15");
    assertFalse(MpegAudioFrames.isValid(0xFFFDAC00), "sampling_frequency 3");
    assertFalse(MpegAudioFrames.isValid(0xFFEDA400), "version 01");
    assertFalse(MpegAudioFrames.isValid(0xFFF9A400), "layer 00");
    assertFalse(MpegAudioFrames.isValid(0x0B770000), "no syncword");
    assertEquals(0, MpegAudioFrames.frameBytes(0xFFFD0400));
  }
}
