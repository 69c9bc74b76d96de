package io.iptv.segmenter.ts;

import io.iptv.core.MediaException;

/**
 * Finds MPEG-TS packets in a byte stream fed in arbitrary chunks (ISO/IEC 13818-1 §2.4.3.2): locks on the
 * sync byte 0x47, detects the packet size (188; 192 for M2TS, whose 4-byte TP_extra_header precedes each
 * packet; 204 with 16 Reed-Solomon bytes after it) by checking 4 consecutive sync bytes, resyncs after
 * garbage, and hands each 188-byte packet to a {@link PacketSink}.
 *
 * <p>Whole packets are passed straight from the caller's array; only a packet split across two feeds (and
 * the few hundred bytes needed to confirm a sync) is copied into a small carry-over buffer, so memory is
 * bounded. Decisions depend only on the byte sequence, never on how it was split. Not thread-safe.
 *
 * <pre>{@code
 * TsPacketFramer framer = new TsPacketFramer((data, offset) -> handle(data, offset), 1 << 20);
 * framer.feed(chunk, 0, chunk.length);
 * framer.finish();
 * }</pre>
 */
final class TsPacketFramer {
  static final int TS_PACKET_SIZE = 188;
  static final int SYNC_BYTE = 0x47;
  private static final int[] SIZES = {188, 192, 204};
  /** Sync bytes checked after the candidate one. */
  private static final int CONFIRMATIONS = 3;
  private static final int CARRY_CAPACITY = 4 * 204 + 1;

  /** Receives each packet: the 188 bytes from {@code offset}, valid only during the call. */
  @FunctionalInterface
  interface PacketSink {
    void onPacket(byte[] data, int offset) throws MediaException;
  }

  private final PacketSink sink;
  private final int maxResyncBytes;
  private final byte[] carry = new byte[CARRY_CAPACITY];
  private int carryLength;
  private int packetSize; // 0 while searching
  private boolean everSynced;
  private long bytesSearched; // in the current search

  long bytesIn;
  long packets;
  long syncLosses;
  long bytesSkipped;
  long truncatedBytes;
  int detectedPacketSize;

  TsPacketFramer(PacketSink sink, int maxResyncBytes) {
    this.sink = sink;
    this.maxResyncBytes = maxResyncBytes;
  }

  void feed(byte[] data, int offset, int length) throws MediaException {
    bytesIn += length;
    int position = offset;
    int end = offset + length;
    while (true) {
      if (packetSize == 0) {
        int n = Math.min(end - position, CARRY_CAPACITY - carryLength);
        System.arraycopy(data, position, carry, carryLength, n);
        carryLength += n;
        position += n;
        search(false);
        if (packetSize == 0) {
          if (position == end) {
            return;
          }
          continue;
        }
      }
      if (carryLength > 0) {
        if (carryLength < packetSize) {
          int n = Math.min(packetSize - carryLength, end - position);
          System.arraycopy(data, position, carry, carryLength, n);
          carryLength += n;
          position += n;
          if (carryLength < packetSize) {
            return;
          }
        }
        drainCarry();
        if (packetSize == 0 || carryLength > 0) {
          continue; // lost sync inside the carry, or leftover to top up
        }
      }
      // Hot path: whole packets straight from the caller's array.
      int size = packetSize;
      while (end - position >= size) {
        if (data[position] != SYNC_BYTE) {
          loseSync();
          break;
        }
        packets++;
        sink.onPacket(data, position);
        position += size;
      }
      if (packetSize == 0) {
        continue;
      }
      int rest = end - position;
      System.arraycopy(data, position, carry, 0, rest);
      carryLength = rest;
      return;
    }
  }

  /** Processes what is left at end of input; throws if the input was non-empty but never synced. */
  void finish() throws MediaException {
    if (packetSize == 0 && carryLength > 0) {
      search(true);
    }
    if (packetSize != 0) {
      drainCarry();
      while (packetSize == 0 && carryLength > 0) {
        search(true);
        if (packetSize != 0) {
          drainCarry();
        }
      }
      if (packetSize != 0 && carryLength > 0) {
        // The last packet needs no trailer (M2TS prefix of a next packet, RS bytes).
        if (carryLength >= TS_PACKET_SIZE && carry[0] == SYNC_BYTE) {
          packets++;
          sink.onPacket(carry, 0);
          carryLength -= packetSize <= carryLength ? packetSize : carryLength;
        }
        truncatedBytes += carryLength;
        carryLength = 0;
      }
    }
    bytesSkipped += carryLength;
    carryLength = 0;
    if (!everSynced && bytesIn > 0) {
      throw MediaException.malformed("no MPEG-TS sync byte (0x47) found in " + bytesIn + " bytes: not a transport stream");
    }
  }

  /** Processes whole packets at the start of the carry, keeping the rest at its front. */
  private void drainCarry() throws MediaException {
    int position = 0;
    while (packetSize != 0 && carryLength - position >= packetSize) {
      if (carry[position] != SYNC_BYTE) {
        loseSync();
        break;
      }
      packets++;
      sink.onPacket(carry, position);
      position += packetSize;
    }
    System.arraycopy(carry, position, carry, 0, carryLength - position);
    carryLength -= position;
    if (packetSize == 0) {
      search(false);
      if (packetSize != 0) {
        drainCarry();
      }
    }
  }

  private void loseSync() {
    packetSize = 0;
    syncLosses++;
    bytesSearched = 0;
  }

  /** Searches the carry for a confirmed sync; on success the carry starts with a packet. */
  private void search(boolean atEnd) throws MediaException {
    int position = 0;
    try {
      while (position < carryLength) {
        if (carry[position] != SYNC_BYTE) {
          position++;
          skipped(1);
          continue;
        }
        int size = confirm(position, atEnd);
        if (size < 0) {
          return; // need more bytes
        }
        if (size == 0) {
          position++;
          skipped(1);
          continue;
        }
        packetSize = size;
        detectedPacketSize = size;
        if (!everSynced && size == 192 && bytesSkipped >= 4) {
          bytesSkipped -= 4; // the first packet's TP_extra_header is not garbage
        }
        everSynced = true;
        bytesSearched = 0;
        return;
      }
    } finally {
      System.arraycopy(carry, position, carry, 0, carryLength - position);
      carryLength -= position;
    }
  }

  private void skipped(int count) throws MediaException {
    bytesSkipped += count;
    bytesSearched += count;
    if (bytesSearched > maxResyncBytes) {
      throw MediaException.malformed("no MPEG-TS sync within " + maxResyncBytes + " bytes (at byte "
          + (bytesIn - carryLength) + " of the input): not a transport stream, or damaged beyond repair");
    }
  }

  /** Returns the packet size confirmed at {@code position}, 0 if none, -1 if more bytes are needed. */
  private int confirm(int position, boolean atEnd) {
    if (atEnd) {
      return confirmAtEnd(position);
    }
    for (int size : SIZES) {
      if (carryLength <= position + CONFIRMATIONS * size) {
        return -1;
      }
      boolean ok = true;
      for (int k = 1; k <= CONFIRMATIONS && ok; k++) {
        ok = carry[position + k * size] == SYNC_BYTE;
      }
      if (ok) {
        return size;
      }
    }
    return 0;
  }

  /** At end of input, fewer sync bytes may follow: accept the size confirmed by all those available. */
  private int confirmAtEnd(int position) {
    int available = carryLength - position;
    if (available < TS_PACKET_SIZE) {
      return 0;
    }
    for (int size : SIZES) {
      int checked = 0;
      boolean ok = true;
      for (int k = 1; k <= CONFIRMATIONS && position + k * size < carryLength; k++) {
        checked++;
        ok &= carry[position + k * size] == SYNC_BYTE;
      }
      if (ok && checked > 0) {
        return size;
      }
    }
    return available == TS_PACKET_SIZE ? TS_PACKET_SIZE : 0;
  }

  boolean everSynced() {
    return everSynced;
  }
}
