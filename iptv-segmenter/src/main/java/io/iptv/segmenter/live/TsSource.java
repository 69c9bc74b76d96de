package io.iptv.segmenter.live;

import java.io.IOException;

/**
 * A live transport-stream input (UDP, RTP, HTTP pull, a pipe) that pushes what it receives into a
 * {@link TsReceiver}. Sources do not own threads per stream where the I/O allows it: UDP sources share one
 * selector thread ({@link UdpReceiverLoop}), HTTP sources use the asynchronous JDK client.
 *
 * <p>Lifecycle: {@link #start} once, {@link #close} once (idempotent). Thread-safe.
 *
 * <pre>{@code
 * TsSource source = TsSources.open(SourceUri.parse("udp://239.1.1.1:5000?interface=eth0"), packager.io());
 * channel.attach(source);   // starts it; channel.close() closes it
 * }</pre>
 */
public interface TsSource extends AutoCloseable {
  /** Starts delivering to {@code receiver}. */
  void start(TsReceiver receiver) throws IOException;

  /** RTP packets lost (sequence-number gaps) so far; 0 for sources without sequence numbers. */
  default long lostPackets() {
    return 0;
  }

  /** A short description for logs ({@code udp://239.1.1.1:5000}). */
  String describe();

  /** Stops receiving and releases the socket or connection. Idempotent. */
  @Override
  void close();
}
