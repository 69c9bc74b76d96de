package io.iptv.core.io;

/**
 * CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value 0xFFFFFFFF,
 * no reflection, no final XOR. Running it over a whole section including its CRC_32 field gives 0 when the
 * section is intact. Table-driven; stateless and thread-safe.
 *
 * <pre>{@code
 * boolean intact = Crc32Mpeg2.compute(section, 0, sectionLength) == 0;
 * }</pre>
 */
public final class Crc32Mpeg2 {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc32Mpeg2() {}

  /** Returns the CRC of {@code length} bytes of {@code data} from {@code offset}. */
  public static int compute(byte[] data, int offset, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = offset, end = offset + length; i < end; i++) {
      crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
    }
    return crc;
  }
}
