package io.iptv.segmenter.live;

import io.iptv.core.internal.Preconditions;

/**
 * A bounded byte queue between a network thread and a channel's packaging task: a ring buffer of entries
 * {@code [length (4)] [arrival nanos (8)] [bytes]}. {@link #offer} never blocks and never allocates: when the
 * entry does not fit, it is dropped and counted (the packager fell behind; the demuxer will see the gap as
 * continuity-counter errors). Memory is fixed at construction.
 *
 * <p>Thread-safe (one short lock per call); intended for one producer per source and one consumer (the
 * channel's serialised drain task).
 *
 * <pre>{@code
 * InputQueue queue = new InputQueue(4 << 20, 64 * 1024);
 * queue.offer(datagram, 0, n, System.nanoTime());   // network thread
 * byte[] scratch = new byte[queue.maxEntryBytes()];
 * int n = queue.poll(scratch);                       // drain task; queue.lastArrivalNanos()
 * }</pre>
 */
final class InputQueue {
  private static final int HEADER_BYTES = 12;

  private final byte[] ring;
  private final int maxEntryBytes;
  private final byte[] header = new byte[HEADER_BYTES];
  private final byte[] pollHeader = new byte[HEADER_BYTES];
  private int head; // next byte to read
  private int used; // bytes in the ring
  private long droppedEntries;
  private long droppedBytes;
  private long acceptedEntries;
  private long acceptedBytes;
  private long lastArrivalNanos;

  InputQueue(int capacityBytes, int maxEntryBytes) {
    Preconditions.requireArgument(maxEntryBytes >= 188 && capacityBytes >= maxEntryBytes + HEADER_BYTES,
        "capacity %d too small for entries of %d bytes", capacityBytes, maxEntryBytes);
    this.ring = new byte[capacityBytes];
    this.maxEntryBytes = maxEntryBytes;
  }

  /** The largest entry accepted; longer input must be split by the caller. */
  int maxEntryBytes() {
    return maxEntryBytes;
  }

  /** Appends an entry, or drops and counts it when the queue is full. Returns whether it was queued. */
  synchronized boolean offer(byte[] data, int offset, int length, long arrivalNanos) {
    Preconditions.requireArgument(length <= maxEntryBytes, "entry of %d bytes > %d", length, maxEntryBytes);
    if (length == 0) {
      return true;
    }
    if (ring.length - used < HEADER_BYTES + length) {
      droppedEntries++;
      droppedBytes += length;
      return false;
    }
    putInt(header, 0, length);
    putLong(header, 4, arrivalNanos);
    write(header, 0, HEADER_BYTES);
    write(data, offset, length);
    acceptedEntries++;
    acceptedBytes += length;
    return true;
  }

  /** As {@link #offer(byte[], int, int, long)} for the remaining bytes of {@code data} (consumed when queued). */
  synchronized boolean offer(java.nio.ByteBuffer data, long arrivalNanos) {
    int length = data.remaining();
    Preconditions.requireArgument(length <= maxEntryBytes, "entry of %d bytes > %d", length, maxEntryBytes);
    if (length == 0) {
      return true;
    }
    if (ring.length - used < HEADER_BYTES + length) {
      droppedEntries++;
      droppedBytes += length;
      data.position(data.limit());
      return false;
    }
    putInt(header, 0, length);
    putLong(header, 4, arrivalNanos);
    write(header, 0, HEADER_BYTES);
    int tail = (head + used) % ring.length;
    int first = Math.min(length, ring.length - tail);
    data.get(ring, tail, first);
    data.get(ring, 0, length - first);
    used += length;
    acceptedEntries++;
    acceptedBytes += length;
    return true;
  }

  /**
   * Removes the oldest entry into {@code target} (at least {@link #maxEntryBytes()} long) and returns its
   * length, or -1 when empty. Its arrival time is then {@link #lastArrivalNanos()}.
   */
  synchronized int poll(byte[] target) {
    if (used == 0) {
      return -1;
    }
    read(pollHeader, HEADER_BYTES);
    int length = getInt(pollHeader, 0);
    lastArrivalNanos = getLong(pollHeader, 4);
    read(target, length);
    return length;
  }

  /** Arrival time of the entry last returned by {@link #poll}. */
  synchronized long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  synchronized boolean isEmpty() {
    return used == 0;
  }

  /** Bytes queued now (headers included). */
  synchronized int usedBytes() {
    return used;
  }

  synchronized long droppedEntries() {
    return droppedEntries;
  }

  synchronized long droppedBytes() {
    return droppedBytes;
  }

  synchronized long acceptedEntries() {
    return acceptedEntries;
  }

  synchronized long acceptedBytes() {
    return acceptedBytes;
  }

  /** Empties the queue (the channel closes without flushing). */
  synchronized void clear() {
    head = 0;
    used = 0;
  }

  private void write(byte[] src, int offset, int length) {
    int tail = (head + used) % ring.length;
    int first = Math.min(length, ring.length - tail);
    System.arraycopy(src, offset, ring, tail, first);
    System.arraycopy(src, offset + first, ring, 0, length - first);
    used += length;
  }

  private void read(byte[] dst, int length) {
    int first = Math.min(length, ring.length - head);
    System.arraycopy(ring, head, dst, 0, first);
    System.arraycopy(ring, 0, dst, first, length - first);
    head = (head + length) % ring.length;
    used -= length;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  private static long getLong(byte[] b, int at) {
    return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFFFFFFL);
  }
}
