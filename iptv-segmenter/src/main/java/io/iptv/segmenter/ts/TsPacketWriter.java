package io.iptv.segmenter.ts;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.time.PtsUnwrapper;
import java.util.Arrays;

/**
 * Cuts PES packets and PSI sections into 188-byte transport packets (ISO/IEC 13818-1 §2.4.3.2) and appends
 * them to a growing segment buffer.
 *
 * <p>The transport packet header is always written with transport_error_indicator 0, transport_priority 0
 * and transport_scrambling_control '00'. The first packet of a PES packet may carry an adaptation field
 * (§2.4.3.4) with a PCR, the random_access_indicator and the discontinuity_indicator; the last packet is
 * filled up with adaptation-field stuffing so that the PES packet ends exactly at a packet end. PSI
 * sections start with a pointer_field of 0 and are padded with 0xFF payload bytes (§2.4.4.1, §2.4.4.2).
 *
 * <p>Nothing is allocated per packet. {@link #takeOut()} hands the filled buffer over as the segment's
 * bytes (no copy) and starts a new one sized for a segment like the last, so each segment's bytes are
 * allocated once and written once; with a {@link SegmentBufferPool} the buffer comes from the pool and is
 * lent out through it, so that a recycled segment's array backs a later segment. Not thread-safe; owned by
 * one {@link TsMuxer}.
 *
 * <pre>{@code
 * TsPacketWriter writer = new TsPacketWriter();
 * writer.writeSection(0x0000, patCounter, pat, 0, pat.length);
 * writer.writePes(0x100, videoCounter, pes, pcr90k, true, false);
 * ByteSlice segment = writer.takeOut();
 * }</pre>
 */
final class TsPacketWriter {
  /** Size of a transport packet. */
  static final int PACKET_SIZE = 188;
  /** Marks "no PCR in this packet". */
  static final long NO_PCR = Long.MIN_VALUE;

  private static final int SYNC_BYTE = 0x47;
  private static final int HEADER_SIZE = 4;
  private static final int PAYLOAD_SIZE = PACKET_SIZE - HEADER_SIZE;
  private static final int PCR_SIZE = 6;
  // adaptation_field_control values (§2.4.3.3, Table 2-5)
  private static final int AFC_PAYLOAD_ONLY = 0b01;
  private static final int AFC_ADAPTATION_ONLY = 0b10;
  private static final int AFC_ADAPTATION_AND_PAYLOAD = 0b11;

  private static final int INITIAL_CAPACITY = PACKET_SIZE * 256;
  /** Largest buffer (whole packets, below the VM's array size limit). */
  private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 16) / PACKET_SIZE * PACKET_SIZE;
  private static final byte[] EMPTY = new byte[0];

  /** Where segment-sized buffers come from and are lent out through, or null (plain allocation). */
  private final SegmentBufferPool pool;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int size;
  /** Capacity for the next fresh buffer: the last segment's size plus an eighth. */
  private int nextCapacity = INITIAL_CAPACITY;
  /** Whether the owner sizes segments with {@link #reserve} (then a fresh buffer starts small). */
  private boolean reserveUsed;

  /** A writer allocating each segment's buffer. */
  TsPacketWriter() {
    this(null);
  }

  /** A writer taking segment buffers from {@code pool} (null: allocating them). */
  TsPacketWriter(SegmentBufferPool pool) {
    this.pool = pool;
  }

  /** Bytes written since the last {@link #reset()}. */
  int size() {
    return size;
  }

  /** Forgets the written packets, keeping the buffer. */
  void reset() {
    size = 0;
  }

  /**
   * The written packets, handed over without copying; the writer continues with a fresh buffer (of the
   * last segment's size plus an eighth, so the next similar segment needs no growing) and size 0.
   */
  ByteSlice takeOut() {
    ByteSlice packets = pool != null ? pool.lend(buffer, size) : ByteSlice.wrap(buffer, 0, size);
    nextCapacity = Math.max(INITIAL_CAPACITY, size + size / 8 / PACKET_SIZE * PACKET_SIZE);
    buffer = EMPTY; // allocated on first use, by reserve() or at the size of the last segment
    size = 0;
    return packets;
  }

  /**
   * Makes room for {@code bytes} more bytes, so that writing a segment of known size needs no growing (each
   * doubling copies everything written so far). While nothing is written, the room is a fresh array.
   */
  void reserve(int bytes) {
    reserveUsed = true;
    long needed = (long) size + bytes;
    if (needed > buffer.length && needed <= MAX_CAPACITY) {
      byte[] grown = allocate((int) needed);
      System.arraycopy(buffer, 0, grown, 0, size); // only the written bytes (the PSI), not the capacity
      if (pool != null && buffer.length > INITIAL_CAPACITY) {
        pool.giveBack(buffer); // a pooled buffer too small for this segment
      }
      buffer = grown;
    }
  }

  /**
   * Writes one PES packet as a run of transport packets.
   *
   * @param pid the PID
   * @param counter the PID's continuity counter
   * @param pes the PES packet bytes
   * @param offset where the PES packet starts in {@code pes}
   * @param length its length (at least 1)
   * @param pcr90k PCR base (unwrapped 90 kHz) for the first packet, or {@link #NO_PCR}
   * @param randomAccess random_access_indicator of the first packet
   * @param discontinuity discontinuity_indicator of the first packet
   */
  void writePes(int pid, ContinuityCounter counter, byte[] pes, int offset, int length, long pcr90k,
      boolean randomAccess, boolean discontinuity) {
    int position = offset;
    int end = offset + length;
    boolean first = true;
    while (position < end) {
      boolean flags = first && (pcr90k != NO_PCR || randomAccess || discontinuity);
      int adaptationMinimum = flags ? 2 + (pcr90k != NO_PCR ? PCR_SIZE : 0) : 0;
      int space = PAYLOAD_SIZE - adaptationMinimum;
      int chunk = Math.min(end - position, space);
      int stuffing = space - chunk;
      int adaptationTotal = adaptationMinimum + stuffing;
      int p = beginPacket(pid, first, adaptationTotal > 0 ? AFC_ADAPTATION_AND_PAYLOAD : AFC_PAYLOAD_ONLY,
          counter.next());
      if (adaptationTotal > 0) {
        p = writeAdaptationField(p, adaptationTotal, first ? pcr90k : NO_PCR, first && randomAccess,
            first && discontinuity);
      }
      System.arraycopy(pes, position, buffer, p, chunk);
      position += chunk;
      first = false;
    }
  }

  /**
   * Writes a PES packet held by {@code pes} (header plus payload pieces) as a run of transport packets,
   * copying each payload byte once, straight into the packets (no intermediate PES buffer). Nothing is
   * allocated.
   *
   * @param pid the PID
   * @param counter the PID's continuity counter
   * @param pes a finished PES packet
   * @param pcr90k PCR base (unwrapped 90 kHz) for the first packet, or {@link #NO_PCR}
   * @param randomAccess random_access_indicator of the first packet
   * @param discontinuity discontinuity_indicator of the first packet
   */
  void writePes(int pid, ContinuityCounter counter, PesPacketizer pes, long pcr90k, boolean randomAccess,
      boolean discontinuity) {
    int remaining = pes.length();
    byte[] header = pes.header();
    int headerLength = pes.headerLength();
    int headerDone = 0;
    int piece = 0;
    int pieceOffset = 0;
    boolean first = true;
    while (remaining > 0) {
      if (!first && headerDone == headerLength && remaining >= PAYLOAD_SIZE) {
        ByteSlice slice = pes.piece(piece);
        int full = fullPackets(pid, counter, slice, pieceOffset, remaining);
        if (full > 0) {
          pieceOffset += full * PAYLOAD_SIZE;
          remaining -= full * PAYLOAD_SIZE;
          if (pieceOffset == slice.length()) {
            piece++;
            pieceOffset = 0;
          }
          continue;
        }
      }
      boolean flags = first && (pcr90k != NO_PCR || randomAccess || discontinuity);
      int adaptationMinimum = flags ? 2 + (pcr90k != NO_PCR ? PCR_SIZE : 0) : 0;
      int space = PAYLOAD_SIZE - adaptationMinimum;
      int chunk = Math.min(remaining, space);
      int stuffing = space - chunk;
      int adaptationTotal = adaptationMinimum + stuffing;
      int p = beginPacket(pid, first, adaptationTotal > 0 ? AFC_ADAPTATION_AND_PAYLOAD : AFC_PAYLOAD_ONLY,
          counter.next());
      if (adaptationTotal > 0) {
        p = writeAdaptationField(p, adaptationTotal, first ? pcr90k : NO_PCR, first && randomAccess,
            first && discontinuity);
      }
      int left = chunk;
      if (headerDone < headerLength) {
        int n = Math.min(left, headerLength - headerDone);
        System.arraycopy(header, headerDone, buffer, p, n);
        headerDone += n;
        p += n;
        left -= n;
      }
      while (left > 0) {
        ByteSlice slice = pes.piece(piece);
        int n = Math.min(left, slice.length() - pieceOffset);
        slice.copyTo(pieceOffset, buffer, p, n);
        p += n;
        left -= n;
        pieceOffset += n;
        if (pieceOffset == slice.length()) {
          piece++;
          pieceOffset = 0;
        }
      }
      remaining -= chunk;
      first = false;
    }
  }

  /**
   * The middle of a PES packet, where most of its bytes are: as many whole packets as {@code slice} fills from
   * {@code offset} (and {@code remaining} allows), each a header (no payload_unit_start, no adaptation field,
   * §2.4.3.2) and 184 payload bytes, in one tight loop. The same bytes as {@link #beginPacket} plus a copy per
   * packet; on MP4 → TS, where every payload byte passes through here, the general loop's calls per packet were
   * the muxing thread's largest cost. Returns the packets written.
   */
  private int fullPackets(int pid, ContinuityCounter counter, ByteSlice slice, int offset, int remaining) {
    int full = Math.min(remaining, slice.length() - offset) / PAYLOAD_SIZE;
    if (full == 0) {
      return 0;
    }
    ensureCapacity(size + full * PACKET_SIZE);
    byte[] out = buffer;
    byte pidHigh = (byte) (pid >> 8 & 0x1F);
    byte pidLow = (byte) pid;
    int p = size;
    int from = offset;
    for (int k = 0; k < full; k++) {
      out[p] = (byte) SYNC_BYTE;
      out[p + 1] = pidHigh;
      out[p + 2] = pidLow;
      out[p + 3] = (byte) (AFC_PAYLOAD_ONLY << 4 | counter.next());
      slice.copyTo(from, out, p + HEADER_SIZE, PAYLOAD_SIZE);
      from += PAYLOAD_SIZE;
      p += PACKET_SIZE;
    }
    size = p;
    return full;
  }

  /**
   * Writes a packet with an adaptation field carrying only a PCR and no payload (adaptation_field_control
   * '10'); the continuity counter does not advance (§2.4.3.3).
   */
  void writePcrOnly(int pid, ContinuityCounter counter, long pcr90k, boolean discontinuity) {
    int p = beginPacket(pid, false, AFC_ADAPTATION_ONLY, counter.current());
    writeAdaptationField(p, PAYLOAD_SIZE, pcr90k, false, discontinuity);
  }

  /**
   * Writes one PSI section (PAT, PMT) with a leading pointer_field of 0 and 0xFF stuffing after it.
   */
  void writeSection(int pid, ContinuityCounter counter, byte[] section, int offset, int length) {
    int position = offset;
    int end = offset + length;
    boolean first = true;
    while (first || position < end) {
      int p = beginPacket(pid, first, AFC_PAYLOAD_ONLY, counter.next());
      int packetEnd = p + PAYLOAD_SIZE;
      if (first) {
        buffer[p++] = 0; // pointer_field (8): the section starts right after it
      }
      int chunk = Math.min(end - position, packetEnd - p);
      System.arraycopy(section, position, buffer, p, chunk);
      position += chunk;
      Arrays.fill(buffer, p + chunk, packetEnd, (byte) 0xFF);
      first = false;
    }
  }

  /** Appends a packet header and returns the position after it. */
  private int beginPacket(int pid, boolean unitStart, int adaptationFieldControl, int continuityCounter) {
    ensureCapacity(size + PACKET_SIZE);
    int p = size;
    size += PACKET_SIZE;
    buffer[p] = (byte) SYNC_BYTE; // sync_byte (8)
    // transport_error_indicator (1) = 0, payload_unit_start_indicator (1), transport_priority (1) = 0,
    // PID (13)
    buffer[p + 1] = (byte) ((unitStart ? 0x40 : 0) | (pid >> 8 & 0x1F));
    buffer[p + 2] = (byte) pid;
    // transport_scrambling_control (2) = '00', adaptation_field_control (2), continuity_counter (4)
    buffer[p + 3] = (byte) (adaptationFieldControl << 4 | continuityCounter);
    return p + HEADER_SIZE;
  }

  /**
   * Writes an adaptation field of {@code total} bytes including its length byte (§2.4.3.4) and returns the
   * position after it. A field of one byte is just adaptation_field_length = 0 (one stuffing byte).
   */
  private int writeAdaptationField(int p, int total, long pcr90k, boolean randomAccess, boolean discontinuity) {
    buffer[p++] = (byte) (total - 1); // adaptation_field_length (8)
    if (total == 1) {
      return p;
    }
    // discontinuity_indicator (1), random_access_indicator (1), elementary_stream_priority_indicator (1),
    // PCR_flag (1), OPCR_flag (1), splicing_point_flag (1), transport_private_data_flag (1),
    // adaptation_field_extension_flag (1)
    buffer[p++] = (byte) ((discontinuity ? 0x80 : 0) | (randomAccess ? 0x40 : 0) | (pcr90k != NO_PCR ? 0x10 : 0));
    int used = 2;
    if (pcr90k != NO_PCR) {
      long base = PtsUnwrapper.wrap(pcr90k);
      // program_clock_reference_base (33), reserved (6) = '111111', program_clock_reference_extension (9) = 0
      buffer[p++] = (byte) (base >>> 25);
      buffer[p++] = (byte) (base >>> 17);
      buffer[p++] = (byte) (base >>> 9);
      buffer[p++] = (byte) (base >>> 1);
      buffer[p++] = (byte) ((base & 1) << 7 | 0x7E);
      buffer[p++] = 0;
      used += PCR_SIZE;
    }
    int stuffing = total - used;
    Arrays.fill(buffer, p, p + stuffing, (byte) 0xFF); // stuffing_byte (8) each
    return p + stuffing;
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      if (size == 0) {
        // The first packets of a segment (its PAT): a buffer like the last segment's, unless the owner sizes
        // segments with reserve() (then only a small one, so that a segment larger than the last does not hold two
        // segment-sized arrays at once while reserve() replaces it).
        buffer = reserveUsed ? new byte[Math.max(needed, INITIAL_CAPACITY)] : allocate(Math.max(needed, nextCapacity));
      } else {
        buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_CAPACITY, Math.max(needed, buffer.length * 2L)));
      }
    }
  }

  /**
   * A segment buffer of at least {@code bytes}: from the pool (allocated with an eighth more, so that a
   * slightly larger later segment fits it too), or new. Its content is undefined: every byte of a packet is
   * written explicitly.
   */
  private byte[] allocate(int bytes) {
    if (pool == null) {
      return new byte[bytes];
    }
    long roomy = Math.min(MAX_CAPACITY, bytes + (long) bytes / 8);
    return pool.take(bytes, (int) roomy);
  }
}
