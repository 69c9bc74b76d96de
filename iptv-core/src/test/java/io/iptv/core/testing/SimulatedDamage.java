package io.iptv.core.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Damage that broadcast transport streams suffer, simulated on a copy of a 188-byte-packet stream: lost
 * packets, bit errors flagged by the demodulator (transport_error_indicator), a cut-off end, garbage between
 * packets, duplicated packets. Every function is pure (returns a new array, never changes its input) and
 * deterministic for a given seed.
 *
 * <p>Packets are assumed to start at offset 0 and to be {@value #PACKET_SIZE} bytes long; a trailing partial
 * packet is kept as it is. Thread-safe (stateless).
 *
 * <pre>{@code
 * byte[] lossy = SimulatedDamage.dropEveryNth(ts, 0x100, 50);
 * byte[] noisy = SimulatedDamage.setTransportErrorIndicator(ts, 97);
 * }</pre>
 */
public final class SimulatedDamage {
  /** MPEG-TS packet size (ISO/IEC 13818-1 §2.4.3.2). */
  public static final int PACKET_SIZE = 188;
  /** sync_byte. */
  public static final int SYNC_BYTE = 0x47;
  /** Matches packets of every PID. */
  public static final int ANY_PID = -1;

  private SimulatedDamage() {}

  /** Number of whole packets in {@code ts}. */
  public static int packetCount(byte[] ts) {
    return ts.length / PACKET_SIZE;
  }

  /** The PID (13 bits after the sync byte) of packet {@code index}. */
  public static int pid(byte[] ts, int index) {
    int at = index * PACKET_SIZE;
    return ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
  }

  /** Number of whole packets of {@code pid} ({@link #ANY_PID} for all). */
  public static int packetCount(byte[] ts, int pid) {
    int count = 0;
    for (int i = 0; i < packetCount(ts); i++) {
      if (matches(ts, i, pid)) {
        count++;
      }
    }
    return count;
  }

  /** Drops the n-th, 2n-th, … packet of {@code pid} ({@link #ANY_PID}: of all packets). */
  public static byte[] dropEveryNth(byte[] ts, int pid, int n) {
    requirePositive(n);
    ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length);
    int seen = 0;
    for (int i = 0; i < packetCount(ts); i++) {
      if (matches(ts, i, pid) && ++seen % n == 0) {
        continue;
      }
      out.write(ts, i * PACKET_SIZE, PACKET_SIZE);
    }
    writeTail(ts, out);
    return out.toByteArray();
  }

  /** Drops each packet of {@code pid} ({@link #ANY_PID}: any) with {@code probability}, seeded. */
  public static byte[] dropRandom(byte[] ts, int pid, double probability, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length);
    for (int i = 0; i < packetCount(ts); i++) {
      if (matches(ts, i, pid) && random.nextDouble() < probability) {
        continue;
      }
      out.write(ts, i * PACKET_SIZE, PACKET_SIZE);
    }
    writeTail(ts, out);
    return out.toByteArray();
  }

  /**
   * Sets transport_error_indicator on every n-th packet (counting all PIDs) and flips a payload byte, as a
   * demodulator does when forward error correction fails.
   */
  public static byte[] setTransportErrorIndicator(byte[] ts, int n) {
    requirePositive(n);
    byte[] out = ts.clone();
    for (int i = n - 1; i < packetCount(ts); i += n) {
      int at = i * PACKET_SIZE;
      out[at + 1] |= (byte) 0x80; // transport_error_indicator (1)
      out[at + PACKET_SIZE - 1] ^= (byte) 0xFF; // the bit error the indicator reports
    }
    return out;
  }

  /** The first {@code length} bytes (a stream cut off mid-packet when length is not a multiple of 188). */
  public static byte[] truncate(byte[] ts, int length) {
    return Arrays.copyOf(ts, Math.min(length, ts.length));
  }

  /**
   * Inserts {@code garbageLength} random bytes after every n-th packet. The garbage never contains the sync
   * byte 0x47, so a demuxer can resynchronise deterministically on the next real packet.
   */
  public static byte[] insertGarbage(byte[] ts, int n, int garbageLength, long seed) {
    requirePositive(n);
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length + ts.length / n / PACKET_SIZE * garbageLength);
    byte[] garbage = new byte[garbageLength];
    for (int i = 0; i < packetCount(ts); i++) {
      out.write(ts, i * PACKET_SIZE, PACKET_SIZE);
      if ((i + 1) % n == 0) {
        random.nextBytes(garbage);
        for (int g = 0; g < garbage.length; g++) {
          if (garbage[g] == SYNC_BYTE) {
            garbage[g] = 0;
          }
        }
        out.write(garbage, 0, garbage.length);
      }
    }
    writeTail(ts, out);
    return out.toByteArray();
  }

  /**
   * Sends every n-th packet of {@code pid} twice in a row, a legal duplicate (same continuity_counter,
   * ISO/IEC 13818-1 §2.4.3.3) that a demuxer must drop.
   */
  public static byte[] duplicateEveryNth(byte[] ts, int pid, int n) {
    requirePositive(n);
    ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length + ts.length / n);
    int seen = 0;
    for (int i = 0; i < packetCount(ts); i++) {
      out.write(ts, i * PACKET_SIZE, PACKET_SIZE);
      if (matches(ts, i, pid) && ++seen % n == 0) {
        out.write(ts, i * PACKET_SIZE, PACKET_SIZE);
      }
    }
    writeTail(ts, out);
    return out.toByteArray();
  }

  private static boolean matches(byte[] ts, int index, int pid) {
    return pid == ANY_PID || pid(ts, index) == pid;
  }

  private static void writeTail(byte[] ts, ByteArrayOutputStream out) {
    int whole = packetCount(ts) * PACKET_SIZE;
    out.write(ts, whole, ts.length - whole);
  }

  private static void requirePositive(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
  }
}
