package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.time.PtsUnwrapper;
import java.util.Arrays;

/**
 * Builds one PES packet at a time (ISO/IEC 13818-1 §2.4.3.6, §2.4.3.7): the header with PTS and, when it
 * differs, DTS in a reused buffer, and the payload as a gather list of {@link ByteSlice} pieces that are
 * not copied here: {@link TsPacketWriter#writePes} copies them once, straight into the transport packets.
 *
 * <p>Header fields written: packet_start_code_prefix 0x000001, stream_id, PES_packet_length (0 =
 * unbounded, allowed only for video streams in transport streams, §2.4.3.7), '10', PES_scrambling_control
 * '00', PES_priority 0, data_alignment_indicator 1 (every PES packet starts with an access unit or audio
 * sync word), copyright 0, original_or_copy 0, PTS_DTS_flags '10' or '11', all other flags 0.
 * Timestamps are unwrapped 90 kHz values and are re-wrapped to 33 bits here with
 * {@link PtsUnwrapper#wrap(long)}.
 *
 * <p>Appended byte arrays are referenced, not copied: like a {@link ByteSlice}'s array, they must not be
 * modified until the packet is written. Not thread-safe; one per muxed track, so that an audio PES can stay
 * open while video is written.
 *
 * <pre>{@code
 * PesPacketizer pes = new PesPacketizer();
 * pes.begin(0xC0, pts90k, pts90k);
 * pes.append(adtsFrame);
 * pes.finish(false);
 * packets.writePes(pid, counter, pes, TsPacketWriter.NO_PCR, true, false);
 * }</pre>
 */
final class PesPacketizer {
  /** Largest PES_packet_length value. */
  static final int MAX_PES_PACKET_LENGTH = 0xFFFF;
  private static final int PTS_ONLY_HEADER = 14;
  private static final int PTS_DTS_HEADER = 19;

  private final byte[] header = new byte[PTS_DTS_HEADER];
  private ByteSlice[] pieces = new ByteSlice[16];
  private int pieceCount;
  private int length;
  private int headerLength;
  private boolean open;

  /** Starts a PES packet with the given stream_id and timestamps (DTS written only if it differs). */
  void begin(int streamId, long pts90k, long dts90k) {
    boolean withDts = pts90k != dts90k;
    header[0] = 0; // packet_start_code_prefix (24)
    header[1] = 0;
    header[2] = 1;
    header[3] = (byte) streamId; // stream_id (8)
    header[4] = 0; // PES_packet_length (16): set in finish()
    header[5] = 0;
    // '10' (2), PES_scrambling_control (2) = 0, PES_priority (1) = 0, data_alignment_indicator (1) = 1,
    // copyright (1) = 0, original_or_copy (1) = 0
    header[6] = (byte) 0x84;
    // PTS_DTS_flags (2), ESCR_flag, ES_rate_flag, DSM_trick_mode_flag, additional_copy_info_flag,
    // PES_CRC_flag, PES_extension_flag (1 each) = 0
    header[7] = (byte) (withDts ? 0xC0 : 0x80);
    header[8] = (byte) (withDts ? 10 : 5); // PES_header_data_length (8)
    writeTimestamp(9, withDts ? 0b0011 : 0b0010, pts90k);
    if (withDts) {
      writeTimestamp(14, 0b0001, dts90k);
    }
    headerLength = withDts ? PTS_DTS_HEADER : PTS_ONLY_HEADER;
    length = headerLength;
    Arrays.fill(pieces, 0, pieceCount, null); // let the previous packet's payloads be collected
    pieceCount = 0;
    open = true;
  }

  /** Appends payload bytes (referenced until the packet is written, not copied). */
  void append(byte[] source, int offset, int count) {
    if (count > 0) {
      append(ByteSlice.wrap(source, offset, count));
    }
  }

  /** Appends payload bytes (referenced, not copied). */
  void append(ByteSlice source) {
    if (source.isEmpty()) {
      return;
    }
    if (pieceCount == pieces.length) {
      pieces = Arrays.copyOf(pieces, pieceCount * 2);
    }
    pieces[pieceCount++] = source;
    length += source.length();
  }

  /** Appends part of a slice. */
  void append(ByteSlice source, int from, int count) {
    if (count > 0) {
      append(source.slice(from, count));
    }
  }

  /**
   * Completes the packet.
   *
   * @param unbounded write PES_packet_length 0 (video only); otherwise the payload must fit
   * @throws IllegalStateException if a bounded packet is longer than {@link #MAX_PES_PACKET_LENGTH} + 6
   */
  void finish(boolean unbounded) {
    int pesPacketLength = length - 6;
    if (!unbounded) {
      if (pesPacketLength > MAX_PES_PACKET_LENGTH) {
        throw new IllegalStateException("PES packet of " + length + " bytes needs PES_packet_length 0");
      }
      header[4] = (byte) (pesPacketLength >> 8);
      header[5] = (byte) pesPacketLength;
    }
    open = false;
  }

  /** Whether a packet was begun and not finished. */
  boolean isOpen() {
    return open;
  }

  /** Payload bytes appended so far (excluding the header). */
  int payloadLength() {
    return length - headerLength;
  }

  /** Header bytes of the current packet. */
  int headerLength() {
    return headerLength;
  }

  /** The header, from index 0 ({@link #headerLength()} bytes). */
  byte[] header() {
    return header;
  }

  /** Number of payload pieces. */
  int pieceCount() {
    return pieceCount;
  }

  /** The {@code index}th payload piece. */
  ByteSlice piece(int index) {
    return pieces[index];
  }

  /** Length of the packet (header and payload) in bytes. */
  int length() {
    return length;
  }

  /** A copy of the whole packet, header and payload (tests, diagnostics). */
  byte[] toByteArray() {
    byte[] out = Arrays.copyOf(header, length);
    int p = headerLength;
    for (int i = 0; i < pieceCount; i++) {
      pieces[i].copyTo(out, p);
      p += pieces[i].length();
    }
    return out;
  }

  /**
   * Writes a PTS or DTS field (§2.4.3.7): prefix (4), [32..30] (3), marker_bit, [29..15] (15),
   * marker_bit, [14..0] (15), marker_bit.
   */
  private void writeTimestamp(int p, int prefix, long value90k) {
    long v = PtsUnwrapper.wrap(value90k);
    header[p] = (byte) (prefix << 4 | (int) (v >>> 29) & 0x0E | 1);
    header[p + 1] = (byte) (v >>> 22);
    header[p + 2] = (byte) ((v >>> 14) & 0xFE | 1);
    header[p + 3] = (byte) (v >>> 7);
    header[p + 4] = (byte) ((v << 1) & 0xFE | 1);
  }
}
