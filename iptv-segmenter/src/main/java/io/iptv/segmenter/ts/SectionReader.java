package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;
import io.iptv.core.io.Crc32Mpeg2;

/**
 * Reassembles PSI sections (ISO/IEC 13818-1 §2.4.4) from the payloads of one PID's TS packets: follows the
 * pointer_field, joins sections that span packets, splits several sections carried in one packet, stops at
 * stuffing bytes (0xFF), and checks each section's CRC_32 ({@link Crc32Mpeg2}) before handing it on.
 *
 * <p>Memory is bounded by the maximum section size (4096 bytes). Not thread-safe; one per PID.
 *
 * <pre>{@code
 * SectionReader reader = new SectionReader((section, offset, length) -> parse(section, offset, length));
 * reader.consume(packet, payloadOffset, payloadLength, payloadUnitStart);
 * }</pre>
 */
final class SectionReader {
  /** Largest section: 3 header bytes plus a 12-bit section_length of at most 4093 (private sections). */
  static final int MAX_SECTION_SIZE = 4096;
  private static final int HEADER_SIZE = 3;

  /** Receives each intact section (header to CRC_32 inclusive), valid only during the call. */
  @FunctionalInterface
  interface SectionConsumer {
    void onSection(byte[] section, int offset, int length) throws MediaException;
  }

  private final SectionConsumer consumer;
  private final byte[] buffer = new byte[MAX_SECTION_SIZE];
  private int bytesRead;
  private int sectionSize; // 0 until the header is complete
  private boolean inSection; // collecting a section (bytesRead may still be 0)

  long crcErrors;
  long malformedSections;

  SectionReader(SectionConsumer consumer) {
    this.consumer = consumer;
  }

  /**
   * Consumes one packet's payload.
   *
   * @param payloadUnitStart the packet's payload_unit_start_indicator: the payload begins with a pointer_field
   */
  void consume(byte[] data, int offset, int length, boolean payloadUnitStart) throws MediaException {
    int position = offset;
    int end = offset + length;
    if (payloadUnitStart) {
      if (length < 1) {
        reset();
        return;
      }
      int pointerField = data[position++] & 0xFF; // pointer_field (8)
      if (pointerField > end - position) {
        malformedSections++;
        reset();
        return;
      }
      if (inSection && bytesRead > 0) {
        appendAndMaybeComplete(data, position, pointerField); // the tail of the previous section
      }
      reset();
      position += pointerField;
      inSection = true;
    } else if (!inSection) {
      return; // waiting for the start of a section
    }
    while (position < end && inSection) {
      if (bytesRead == 0 && (data[position] & 0xFF) == 0xFF) {
        reset(); // stuffing: the rest of the packet carries no section
        return;
      }
      position += appendAndMaybeComplete(data, position, end - position);
    }
  }

  /** Drops any partial section (after lost packets). */
  void reset() {
    bytesRead = 0;
    sectionSize = 0;
    inSection = false;
  }

  /** Appends up to {@code length} bytes of the current section; returns how many were used. */
  private int appendAndMaybeComplete(byte[] data, int offset, int length) throws MediaException {
    int used = 0;
    if (sectionSize == 0) {
      int n = Math.min(HEADER_SIZE - bytesRead, length);
      System.arraycopy(data, offset, buffer, bytesRead, n);
      bytesRead += n;
      used += n;
      if (bytesRead < HEADER_SIZE) {
        return used;
      }
      int sectionLength = ((buffer[1] & 0x0F) << 8) | (buffer[2] & 0xFF); // section_length (12)
      if (sectionLength < 4 || sectionLength > MAX_SECTION_SIZE - HEADER_SIZE) { // CRC_32 .. 4093
        malformedSections++;
        reset();
        return length;
      }
      sectionSize = HEADER_SIZE + sectionLength;
    }
    int n = Math.min(sectionSize - bytesRead, length - used);
    System.arraycopy(data, offset + used, buffer, bytesRead, n);
    bytesRead += n;
    used += n;
    if (bytesRead == sectionSize) {
      int size = sectionSize;
      bytesRead = 0;
      sectionSize = 0; // stay inSection: another section may follow in this packet
      if (Crc32Mpeg2.compute(buffer, 0, size) != 0) {
        crcErrors++;
      } else {
        consumer.onSection(buffer, 0, size);
      }
    }
    return used;
  }
}
