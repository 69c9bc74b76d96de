package io.iptv.segmenter.live;

/**
 * Strips the RTP header (RFC 3550 §5.1) from MPEG-TS carried in RTP (RFC 2250 §2) and counts lost packets from
 * sequence-number gaps. One instance per RTP stream; not thread-safe (the receiving thread owns it). No
 * allocation per packet.
 *
 * <p>Sequence handling follows RFC 3550 Appendix A.1 in simplified form: a forward gap smaller than
 * {@value #MAX_DROPOUT} counts the missing packets as lost; a packet up to {@value #MAX_MISORDER} behind the
 * expected number is late or duplicated and dropped (TS out of order is useless to the demuxer); any other jump,
 * or a new SSRC, is a sender restart: the sequence is resynchronised without counting losses.
 *
 * <pre>{@code
 * RtpDepacketizer rtp = new RtpDepacketizer();
 * if (rtp.parse(datagram, 0, n)) {
 *   channel.feed(datagram, rtp.payloadOffset(), rtp.payloadLength());
 * }
 * long lost = rtp.lostPackets();
 * }</pre>
 */
public final class RtpDepacketizer {
  /** Largest forward sequence gap treated as loss (RFC 3550 A.1 MAX_DROPOUT). */
  public static final int MAX_DROPOUT = 3000;
  /** Largest backward step treated as reordering (RFC 3550 A.1 MAX_MISORDER). */
  public static final int MAX_MISORDER = 100;
  private static final int FIXED_HEADER_BYTES = 12;

  private int expectedSequence = -1;
  private long ssrc = -1;
  private int payloadOffset;
  private int payloadLength;
  private long packets;
  private long lost;
  private long lateOrDuplicate;
  private long malformed;
  private long restarts;

  /**
   * Parses one datagram. Returns true when it carries payload to use, then at {@link #payloadOffset()} for
   * {@link #payloadLength()} bytes; false for a malformed, late or duplicate packet (counted).
   */
  public boolean parse(byte[] data, int offset, int length) {
    if (length < FIXED_HEADER_BYTES) {
      malformed++;
      return false;
    }
    int b0 = data[offset] & 0xFF;
    int version = b0 >>> 6; // version (2)
    boolean padding = (b0 & 0x20) != 0; // padding (1)
    boolean extension = (b0 & 0x10) != 0; // extension (1)
    int csrcCount = b0 & 0x0F; // CSRC count (4)
    // marker (1) and payload type (7) in byte 1: MP2T is static payload type 33 (RFC 3551 §6); not enforced,
    // senders use dynamic types too.
    int sequence = (data[offset + 2] & 0xFF) << 8 | (data[offset + 3] & 0xFF); // sequence number (16)
    long packetSsrc = ((long) (data[offset + 8] & 0xFF) << 24 | (data[offset + 9] & 0xFF) << 16
        | (data[offset + 10] & 0xFF) << 8 | (data[offset + 11] & 0xFF)); // SSRC (32)
    if (version != 2) {
      malformed++;
      return false;
    }
    int header = FIXED_HEADER_BYTES + 4 * csrcCount; // CSRC list (32 each)
    if (extension) {
      // RFC 3550 §5.3.1: defined by profile (16), length (16) in 32-bit words, excluding this 4-byte header
      if (length < header + 4) {
        malformed++;
        return false;
      }
      int words = (data[offset + header + 2] & 0xFF) << 8 | (data[offset + header + 3] & 0xFF);
      header += 4 + 4 * words;
    }
    int end = length;
    if (padding) {
      int pad = data[offset + length - 1] & 0xFF; // the last octet counts the padding octets, itself included
      end -= pad;
    }
    if (header > end || (padding && end == length)) {
      malformed++;
      return false;
    }
    if (!acceptSequence(sequence, packetSsrc)) {
      return false;
    }
    packets++;
    payloadOffset = offset + header;
    payloadLength = end - header;
    return true;
  }

  private boolean acceptSequence(int sequence, long packetSsrc) {
    if (expectedSequence < 0 || packetSsrc != ssrc) {
      if (expectedSequence >= 0) {
        restarts++;
      }
      ssrc = packetSsrc;
      expectedSequence = (sequence + 1) & 0xFFFF;
      return true;
    }
    int delta = (sequence - expectedSequence) & 0xFFFF;
    if (delta == 0) {
      expectedSequence = (sequence + 1) & 0xFFFF;
      return true;
    }
    if (delta < MAX_DROPOUT) {
      lost += delta;
      expectedSequence = (sequence + 1) & 0xFFFF;
      return true;
    }
    if (delta >= 0x10000 - MAX_MISORDER) {
      lateOrDuplicate++;
      return false;
    }
    restarts++; // a jump: the sender restarted with a new random initial sequence number
    expectedSequence = (sequence + 1) & 0xFFFF;
    return true;
  }

  /** Offset of the payload of the last accepted packet in the array given to {@link #parse}. */
  public int payloadOffset() {
    return payloadOffset;
  }

  /** Length of the payload of the last accepted packet. */
  public int payloadLength() {
    return payloadLength;
  }

  /** Packets accepted. */
  public long packets() {
    return packets;
  }

  /** Packets missing from sequence-number gaps. */
  public long lostPackets() {
    return lost;
  }

  /** Packets dropped as late or duplicate. */
  public long lateOrDuplicatePackets() {
    return lateOrDuplicate;
  }

  /** Datagrams that were not RTP version 2 or whose header did not fit. */
  public long malformedPackets() {
    return malformed;
  }

  /** Sender restarts seen (new SSRC or a sequence jump). */
  public long restarts() {
    return restarts;
  }
}
