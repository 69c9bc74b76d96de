package io.iptv.segmenter.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The small parts: ADTS framing, Annex B conversion, edit lists, mdhd languages. */
class Mp4UnitsTest {
  @Test
  void adtsHeaderFromAudioSpecificConfig() throws Exception {
    // AAC LC (2), 48 kHz (index 3), stereo (2): 0x11 0x90
    AudioSpecificConfig asc = AudioSpecificConfig.parse(new byte[] {0x11, (byte) 0x90});
    assertEquals(2, asc.coreObjectType());
    assertEquals(48_000, asc.sampleRate());
    byte[] frame = new AdtsFramer(asc).convert(new byte[] {1, 2, 3}, 3).toByteArray();
    // Same header ffmpeg's ADTS muxer writes for a 10-byte LC 48 kHz stereo frame.
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xF1, 0x4C, (byte) 0x80, 0x01, 0x5F, (byte) 0xFC, 1, 2, 3},
        frame);
  }

  @Test
  void heAacKeepsTheCoreInAdts() throws Exception {
    // audioObjectType 5 (SBR), 24 kHz core (6), stereo, extension 48 kHz (3), core AAC LC (2)
    // bits: 00101 0110 0010 0011 00010 -> 0x2B 0x11 0x88 0x00
    AudioSpecificConfig asc = AudioSpecificConfig.parse(new byte[] {0x2B, 0x11, (byte) 0x88, 0x00});
    assertEquals(5, asc.audioObjectType());
    assertEquals(2, asc.coreObjectType());
    assertEquals(6, asc.samplingFrequencyIndex());
    assertEquals(48_000, asc.sampleRate());
  }

  @Test
  void programConfigElementIsUnsupported() {
    MediaException e = assertThrows(MediaException.class,
        () -> AudioSpecificConfig.parse(new byte[] {0x11, (byte) 0x80}));
    assertEquals(MediaException.Kind.UNSUPPORTED, e.kind());
  }

  @Test
  void lengthPrefixedToAnnexB() throws Exception {
    byte[] sample = {0, 0, 0, 2, 0x09, (byte) 0xF0, 0, 0, 0, 3, 0x65, 1, 2};
    byte[] out = new NalLengthToAnnexB(4).convert(sample, sample.length).toByteArray();
    assertArrayEquals(new byte[] {0, 0, 0, 1, 0x09, (byte) 0xF0, 0, 0, 0, 1, 0x65, 1, 2}, out);
    byte[] twoByte = {0, 1, 0x09, 0, 2, 0x65, 7};
    assertArrayEquals(new byte[] {0, 0, 0, 1, 0x09, 0, 0, 0, 1, 0x65, 7},
        new NalLengthToAnnexB(2).convert(twoByte, twoByte.length).toByteArray());
  }

  @Test
  void inPlaceConversionMatchesCopyingConversion() throws Exception {
    NalLengthToAnnexB four = new NalLengthToAnnexB(4);
    assertTrue(four.convertsInPlace());
    assertFalse(new NalLengthToAnnexB(2).convertsInPlace(), "2-byte lengths grow: no in-place conversion");
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 200; round++) {
      java.io.ByteArrayOutputStream sample = new java.io.ByteArrayOutputStream();
      for (int nal = random.nextInt(5); nal >= 0; nal--) {
        byte[] body = new byte[random.nextInt(300)];
        random.nextBytes(body);
        sample.writeBytes(new byte[] {0, 0, (byte) (body.length >> 8), (byte) body.length});
        sample.writeBytes(body);
      }
      byte[] bytes = sample.toByteArray();
      byte[] expected = four.convert(bytes, bytes.length).toByteArray();
      assertArrayEquals(expected, four.convertInPlace(bytes.clone()).toByteArray(), "round " + round);
    }
    byte[] overlong = {0, 0, 0, 9, 0x65, 1};
    assertThrows(MediaException.class, () -> four.convertInPlace(overlong));
    byte[] cut = {0, 0, 0, 1, 0x65, 0, 0};
    assertThrows(MediaException.class, () -> four.convertInPlace(cut));
  }

  @Test
  void overlongNalLengthIsMalformed() {
    byte[] sample = {0, 0, 0, 9, 0x65, 1};
    assertThrows(MediaException.class, () -> new NalLengthToAnnexB(4).convert(sample, sample.length));
    byte[] cut = {0, 0};
    assertThrows(MediaException.class, () -> new NalLengthToAnnexB(4).convert(cut, cut.length));
  }

  @Test
  void editListEmptyEditsAndShift() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 3 * 12);
    b.putInt(0).putInt(3);
    b.putInt(500).putInt(-1).putInt(0x10000); // empty edit, 0.5 s in movie timescale 1000
    b.putInt(2000).putInt(1024).putInt(0x10000); // presents from media time 1024
    b.putInt(1000).putInt(9999).putInt(0x10000); // a later cut: ignored
    EditList edits = EditList.parse(new ByteCursor(b.array()));
    assertEquals(500, edits.delayMovie());
    assertEquals(1024, edits.mediaTime());
    assertEquals(24_000 - 1024, edits.shift(1000, 48_000));
  }

  @Test
  void truncatedEditListIsMalformed() {
    ByteBuffer b = ByteBuffer.allocate(8 + 12);
    b.putInt(0).putInt(1000);
    assertThrows(MediaException.class, () -> EditList.parse(new ByteCursor(b.array())));
  }

  @Test
  void mdhdLanguage() {
    assertEquals("eng", MovieBox.language(((('e' - 0x60) << 10) | (('n' - 0x60) << 5) | ('g' - 0x60))));
    assertNull(MovieBox.language(((('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60))));
    assertNull(MovieBox.language(0));
  }
}
