package io.iptv.segmenter.ts;

/**
 * The 4-bit continuity_counter of one PID on the writing side (ISO/IEC 13818-1 §2.4.3.3).
 *
 * <p>The counter increments with every packet that carries payload and wraps from 15 to 0. Packets without
 * payload (adaptation_field_control '10', e.g. PCR-only packets) repeat the value of the previous payload
 * packet, see {@link #current()}. One instance lives as long as its PID in the muxer, so counters continue
 * across segment boundaries and concatenated segments play as one stream.
 *
 * <p>Not thread-safe; owned by one {@link TsMuxer}.
 *
 * <pre>{@code
 * ContinuityCounter cc = new ContinuityCounter();
 * int first = cc.next();   // 0
 * int second = cc.next();  // 1
 * }</pre>
 */
final class ContinuityCounter {
  private int next;

  /** Returns the value for the next packet with payload and advances. */
  int next() {
    int value = next;
    next = (next + 1) & 0x0F;
    return value;
  }

  /**
   * The value to put into a packet without payload: that of the last payload packet (15 before the first,
   * so that the first payload packet, 0, follows without a gap).
   */
  int current() {
    return (next - 1) & 0x0F;
  }
}
