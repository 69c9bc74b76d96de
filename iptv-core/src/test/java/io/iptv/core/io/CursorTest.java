package io.iptv.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CursorTest {
  @Test
  void byteCursorReadsBigEndianAndChecksLimit() throws MediaException {
    byte[] data = {0x47, 0x40, 0x11, 0x10, 0x00, 0x01, 0x02, 0x03, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    ByteCursor c = new ByteCursor(data, 0, 8);
    assertEquals(0x47, c.readUnsignedByte());
    assertEquals(0x4011, c.readUnsignedShort());
    assertEquals(0x100001, c.readUnsignedInt24());
    assertEquals(2, c.bytesLeft());
    MediaException e = assertThrows(MediaException.class, c::readUnsignedInt24);
    assertEquals(MediaException.Kind.TRUNCATED, e.kind());
    c.reset(data, 8, 12);
    assertEquals(0xFFFFFFFFL, c.readUnsignedInt());
    assertThrows(MediaException.class, () -> c.skip(1));
    assertThrows(MediaException.class, () -> c.skip(-1));
  }

  @Test
  void bitCursorReadsFieldsAcrossByteBoundaries() throws MediaException {
    // 1010 1100 0011 0101 1111 0000
    BitCursor b = new BitCursor(new byte[] {(byte) 0xAC, 0x35, (byte) 0xF0});
    assertTrue(b.readBit());
    assertEquals(0b010, b.readBits(3));
    assertEquals(0b11000011, b.readBits(8));
    assertEquals(0b0101, b.readBits(4));
    assertEquals(0xF0, b.readBits(8));
    assertEquals(0, b.bitsLeft());
    assertThrows(MediaException.class, b::readBit);
  }

  @Test
  void expGolombMatchesTheTableOfH264Section9() throws MediaException {
    // codeNum 0..8 encoded: 1, 010, 011, 00100, 00101, 00110, 00111, 0001000, 0001001
    String bits = "1" + "010" + "011" + "00100" + "00101" + "00110" + "00111" + "0001000" + "0001001";
    BitCursor b = new BitCursor(pack(bits));
    for (int expected = 0; expected <= 8; expected++) {
      assertEquals(expected, b.readUnsignedExpGolomb());
    }
    // se(v): codeNum 1 → 1, 2 → -1, 3 → 2, 4 → -2
    BitCursor s = new BitCursor(pack("010" + "011" + "00100" + "00101"));
    assertEquals(1, s.readSignedExpGolomb());
    assertEquals(-1, s.readSignedExpGolomb());
    assertEquals(2, s.readSignedExpGolomb());
    assertEquals(-2, s.readSignedExpGolomb());
  }

  @Test
  void expGolombWithEndlessZerosIsMalformedNotAHang() {
    BitCursor b = new BitCursor(new byte[8]);
    MediaException e = assertThrows(MediaException.class, b::readUnsignedExpGolomb);
    assertEquals(MediaException.Kind.MALFORMED, e.kind());
    BitCursor shortInput = new BitCursor(new byte[2]);
    assertThrows(MediaException.class, shortInput::readUnsignedExpGolomb);
  }

  @Test
  void readBitsLongReads64Bits() throws MediaException {
    BitCursor b = new BitCursor(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    b.skipBits(4);
    assertEquals(0x1020304050607080L >>> 0, b.readBitsLong(60) << 4 | 0);
    assertFalse(b.bitsLeft() < 8);
  }

  @Test
  void emulationPreventionRoundTrips() {
    byte[] escaped = {0x67, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03};
    byte[] rbsp = EmulationPrevention.unescape(escaped, 0, escaped.length);
    assertArrayEquals(new byte[] {0x67, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00}, rbsp);
    assertArrayEquals(escaped, EmulationPrevention.escape(rbsp, 0, rbsp.length));
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] raw = new byte[random.nextInt(64)];
      for (int j = 0; j < raw.length; j++) {
        raw[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
      }
      byte[] esc = EmulationPrevention.escape(raw, 0, raw.length);
      assertArrayEquals(raw, EmulationPrevention.unescape(esc, 0, esc.length));
      for (int j = 2; j < esc.length; j++) {
        assertFalse(esc[j - 2] == 0 && esc[j - 1] == 0 && (esc[j] & 0xFF) <= 2, "start-code emulation left");
      }
    }
  }

  @Test
  void byteSliceIsImmutableAndComparesByContent() {
    byte[] source = {1, 2, 3, 4};
    ByteSlice copy = ByteSlice.copyOf(source, 1, 2);
    source[1] = 9;
    assertEquals(2, copy.byteAt(0));
    assertEquals(ByteSlice.copyOf(new byte[] {2, 3}), copy);
    assertEquals(ByteSlice.copyOf(new byte[] {2, 3}).hashCode(), copy.hashCode());
    assertTrue(copy.asReadOnlyByteBuffer().isReadOnly());
    assertEquals(3, copy.slice(1, 1).byteAt(0));
    assertThrows(IndexOutOfBoundsException.class, () -> copy.slice(1, 2));
  }

  private static byte[] pack(String bits) {
    byte[] out = new byte[(bits.length() + 7) / 8 + 1];
    for (int i = 0; i < bits.length(); i++) {
      if (bits.charAt(i) == '1') {
        out[i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    }
    return out;
  }
}
