package io.iptv.examples.demo;

import io.iptv.segmenter.live.TsReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a transport stream as UDP datagrams of seven 188-byte packets (1316 bytes: the usual IPTV payload,
 * fitting a 1500-byte Ethernet MTU), as a headend does towards a unicast or multicast address. A
 * {@link TsReceiver}, so that a {@link TsHeadend} can send either over the network or straight into a channel.
 *
 * <p>Sending never blocks for long (a datagram is queued or dropped by the kernel); a send error (for example
 * ICMP port unreachable before the receiver is bound) is counted and the datagram dropped, like a network would.
 *
 * <p>Threading: {@link #receive} from one thread at a time (the headend's task); counters from any thread.
 *
 * <pre>{@code
 * try (UdpTsSender sender = UdpTsSender.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000))) {
 *   sender.receive(tsBytes, 0, tsBytes.length);
 * }
 * }</pre>
 */
public final class UdpTsSender implements TsReceiver, AutoCloseable {
  /** TS packets per datagram. */
  public static final int PACKETS_PER_DATAGRAM = 7;
  private static final int DATAGRAM_BYTES = PACKETS_PER_DATAGRAM * 188;

  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  private UdpTsSender(DatagramChannel channel, InetSocketAddress target) {
    this.channel = channel;
    this.target = target;
  }

  /** Opens a sender to {@code target} (connected: the kernel reports an unreachable port as an error). */
  public static UdpTsSender open(InetSocketAddress target) throws IOException {
    Objects.requireNonNull(target, "target");
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.connect(target);
      return new UdpTsSender(channel, target);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void receive(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    receive(ByteBuffer.wrap(data, offset, length));
  }

  @Override
  public void receive(ByteBuffer data) {
    int limit = data.limit();
    while (data.hasRemaining()) {
      data.limit(data.position() + Math.min(DATAGRAM_BYTES, limit - data.position()));
      try {
        channel.write(data);
        datagrams.incrementAndGet();
      } catch (IOException e) {
        errors.incrementAndGet();
      }
      data.position(data.limit());
      data.limit(limit);
    }
  }

  /** {@code udp://HOST:PORT} of the target. */
  public String describe() {
    return "udp://" + target.getAddress().getHostAddress() + ":" + target.getPort();
  }

  /** Datagrams sent. */
  public long datagrams() {
    return datagrams.get();
  }

  /** Datagrams that could not be sent. */
  public long errors() {
    return errors.get();
  }

  /** Closes the socket. Idempotent. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
