package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;

/**
 * Reassembles the PES packets of one PID from TS packet payloads and parses their headers (ISO/IEC 13818-1
 * §2.4.3.6/§2.4.3.7): packet_start_code_prefix, stream_id, PES_packet_length (0 = unbounded, the packet
 * then ends at the next payload_unit_start_indicator), PTS/DTS with their marker bits, and
 * PES_header_data_length; streams without the optional header (program_stream_map, padding, private_stream_2,
 * ECM, EMM, DSMCC, H.222.1 type E, program_stream_directory) carry their payload right after the 6-byte prefix.
 *
 * <p>The buffer grows up to {@code maxPesBytes}; a larger PES is dropped (counted) so memory stays bounded.
 * A packet with a known length is delivered as soon as it is complete. Not thread-safe; one per PID.
 *
 * <pre>{@code
 * PesReader pes = new PesReader((data, offset, length, pts33, dts33, randomAccess) -> ..., 8 << 20);
 * pes.consume(packet, payloadOffset, payloadLength, payloadUnitStart, randomAccess);
 * pes.flush(); // end of stream
 * }</pre>
 */
final class PesReader {
  /** Marks an absent raw timestamp. */
  static final long NO_PTS = -1;
  private static final int INITIAL_CAPACITY = 4096;

  /** Receives each complete PES payload; {@code data} is valid only during the call. */
  @FunctionalInterface
  interface PayloadConsumer {
    /**
     * @param pts33 raw 33-bit PTS or {@link #NO_PTS}
     * @param dts33 raw 33-bit DTS or {@link #NO_PTS}
     */
    void onPayload(byte[] data, int offset, int length, long pts33, long dts33, boolean randomAccess)
        throws MediaException;
  }

  private final PayloadConsumer consumer;
  private final int maxPesBytes;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int bytesRead;
  private int expectedSize; // 6 + PES_packet_length, or 0 when unbounded or not yet known
  private boolean collecting;
  private boolean randomAccess;

  /** PES packets dropped: oversize, malformed header, cut by the next start. */
  long dropped;

  PesReader(PayloadConsumer consumer, int maxPesBytes) {
    this.consumer = consumer;
    this.maxPesBytes = maxPesBytes;
  }

  /** Consumes one packet's payload. */
  void consume(byte[] data, int offset, int length, boolean payloadUnitStart, boolean randomAccessIndicator)
      throws MediaException {
    if (payloadUnitStart) {
      if (collecting) {
        if (expectedSize == 0) {
          deliver();
        } else {
          dropped++; // the previous packet was shorter than its PES_packet_length said
        }
      }
      collecting = true;
      bytesRead = 0;
      expectedSize = 0;
      randomAccess = randomAccessIndicator;
    } else if (!collecting) {
      return; // waiting for a start after a drop
    }
    if (bytesRead + length > maxPesBytes) {
      dropped++;
      collecting = false;
      bytesRead = 0;
      return;
    }
    ensureCapacity(bytesRead + length);
    System.arraycopy(data, offset, buffer, bytesRead, length);
    bytesRead += length;
    if (expectedSize == 0 && bytesRead >= 6 && bytesRead - length < 6) {
      int pesPacketLength = (buffer[4] & 0xFF) << 8 | (buffer[5] & 0xFF); // PES_packet_length (16)
      expectedSize = pesPacketLength == 0 ? 0 : 6 + pesPacketLength;
    }
    if (expectedSize != 0 && bytesRead >= expectedSize) {
      bytesRead = expectedSize; // anything after it in the packet is stuffing
      deliver();
      collecting = false;
    }
  }

  /** Drops the PES in progress (after lost packets); returns whether one was in progress. */
  boolean reset() {
    boolean was = collecting && bytesRead > 0;
    collecting = false;
    bytesRead = 0;
    expectedSize = 0;
    return was;
  }

  /** Delivers an unbounded PES in progress at end of stream; a bounded one that is incomplete is dropped. */
  void flush() throws MediaException {
    if (collecting && bytesRead > 0) {
      if (expectedSize == 0) {
        deliver();
      } else {
        dropped++;
      }
    }
    reset();
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      int capacity = buffer.length;
      while (capacity < needed) {
        capacity = (int) Math.min((long) capacity * 2, maxPesBytes);
      }
      buffer = java.util.Arrays.copyOf(buffer, capacity);
    }
  }

  private void deliver() throws MediaException {
    byte[] b = buffer;
    int length = bytesRead;
    bytesRead = 0;
    // packet_start_code_prefix (24) = 0x000001
    if (length < 6 || b[0] != 0 || b[1] != 0 || b[2] != 1) {
      dropped++;
      return;
    }
    int streamId = b[3] & 0xFF; // stream_id (8)
    if (!hasOptionalHeader(streamId)) {
      consumer.onPayload(b, 6, length - 6, NO_PTS, NO_PTS, randomAccess);
      return;
    }
    if (length < 9 || (b[6] & 0xC0) != 0x80) { // '10' marker
      dropped++;
      return;
    }
    int ptsDtsFlags = (b[7] >> 6) & 0x03; // PTS_DTS_flags (2)
    int headerDataLength = b[8] & 0xFF; // PES_header_data_length (8)
    int payloadOffset = 9 + headerDataLength;
    if (payloadOffset > length) {
      dropped++;
      return;
    }
    long pts33 = NO_PTS;
    long dts33 = NO_PTS;
    if (ptsDtsFlags >= 2) { // '10' PTS only, '11' PTS and DTS ('01' is forbidden: ignored)
      if (headerDataLength < 5 || (pts33 = readTimestamp(b, 9)) < 0) {
        dropped++;
        return;
      }
      if (ptsDtsFlags == 3 && (headerDataLength < 10 || (dts33 = readTimestamp(b, 14)) < 0)) {
        dropped++;
        return;
      }
    }
    consumer.onPayload(b, payloadOffset, length - payloadOffset, pts33, dts33, randomAccess);
  }

  /**
   * Reads a 33-bit PTS/DTS: '001x' (4), [32..30] (3), marker_bit, [29..15] (15), marker_bit, [14..0] (15),
   * marker_bit. Returns -1 when a marker bit is 0.
   */
  static long readTimestamp(byte[] b, int p) {
    if ((b[p] & 0x01) == 0 || (b[p + 2] & 0x01) == 0 || (b[p + 4] & 0x01) == 0) {
      return -1;
    }
    return ((long) (b[p] & 0x0E) << 29)
        | ((b[p + 1] & 0xFF) << 22)
        | ((b[p + 2] & 0xFE) << 14)
        | ((b[p + 3] & 0xFF) << 7)
        | ((b[p + 4] & 0xFE) >> 1);
  }

  /** Table 2-21: stream_ids whose PES packets have no PES header fields after PES_packet_length. */
  static boolean hasOptionalHeader(int streamId) {
    switch (streamId) {
      case 0xBC: // program_stream_map
      case 0xBE: // padding_stream
      case 0xBF: // private_stream_2
      case 0xF0: // ECM_stream
      case 0xF1: // EMM_stream
      case 0xFF: // program_stream_directory
      case 0xF2: // DSMCC_stream
      case 0xF8: // ITU-T Rec. H.222.1 type E
        return false;
      default:
        return true;
    }
  }
}
