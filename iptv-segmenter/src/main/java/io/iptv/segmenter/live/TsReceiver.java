package io.iptv.segmenter.live;

import java.nio.ByteBuffer;

/**
 * Where a {@link TsSource} delivers what it receives: transport-stream bytes in chunks of any size, plus what
 * the source knows about losses. {@link LiveChannel} implements it.
 *
 * <p>Thread-safe implementations; every method must return quickly and never block (it is called on network
 * threads such as the shared UDP selector thread).
 *
 * <pre>{@code
 * TsReceiver receiver = channel;
 * receiver.receive(datagram, 0, n);
 * receiver.lostPackets(3);   // an RTP sequence gap
 * }</pre>
 */
public interface TsReceiver {
  /** Transport-stream bytes (any split; partial packets are fine). The bytes are copied before returning. */
  void receive(byte[] data, int offset, int length);

  /** The remaining bytes of {@code data}, advancing its position. Copied before returning. */
  void receive(ByteBuffer data);

  /** The source knows that {@code count} transport packets (RTP: RTP packets) were lost. */
  default void lostPackets(long count) {}

  /** The source reconnected or restarted (an HTTP reconnect, an RTP SSRC change). */
  default void sourceRestarted(String reason) {}
}
