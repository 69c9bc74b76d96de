package io.iptv.segmenter.live;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.Collections;
import java.util.Objects;

/**
 * A UDP or RTP source, unicast or multicast (any-source or source-specific, RFC 4607), received on the
 * {@link LivePackager}'s shared selector thread. Multicast sockets bind to the group address (so that two
 * channels on the same port but different groups do not see each other's traffic on Linux) and join on the
 * chosen interface: {@code join(group, interface)} or {@code join(group, interface, source)}.
 *
 * <p>Thread-safe; see {@link TsSource}.
 */
final class UdpSource implements TsSource {
  /** Supplies the shared loop (started lazily). */
  @FunctionalInterface
  interface LoopSupplier {
    UdpReceiverLoop get() throws IOException;
  }

  private static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

  private final SourceUri uri;
  private final LoopSupplier loops;
  private final RtpDepacketizer rtp;
  private DatagramChannel channel;
  private MembershipKey membership;
  private UdpReceiverLoop loop;
  private TsReceiver receiver;
  private long reportedLost;
  private long reportedRestarts;
  private volatile long datagrams;
  private volatile boolean closed;

  UdpSource(SourceUri uri, LoopSupplier loops) {
    this.uri = Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(loops, "loops");
    this.loops = loops;
    this.rtp = uri.scheme() == SourceUri.Scheme.RTP ? new RtpDepacketizer() : null;
  }

  @Override
  public synchronized void start(TsReceiver target) throws IOException {
    if (receiver != null) {
      throw new IllegalStateException(describe() + " already started");
    }
    receiver = Objects.requireNonNull(target, "receiver");
    boolean ipv6 = uri.address() instanceof Inet6Address;
    DatagramChannel ch = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.setOption(StandardSocketOptions.SO_RCVBUF,
          uri.receiveBufferBytes() > 0 ? uri.receiveBufferBytes() : DEFAULT_RECEIVE_BUFFER);
      if (uri.isMulticast()) {
        ch.bind(new InetSocketAddress(uri.address(), uri.port()));
        NetworkInterface nif = networkInterface(uri);
        membership = uri.source() != null ? ch.join(uri.address(), nif, uri.source()) : ch.join(uri.address(), nif);
      } else {
        ch.bind(uri.address() != null ? new InetSocketAddress(uri.address(), uri.port())
            : new InetSocketAddress(uri.port()));
      }
      ch.configureBlocking(false);
      loop = loops.get();
      channel = ch;
      loop.register(ch, this::onDatagram);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw new IOException("cannot open " + describe() + ": " + e.getMessage(), e);
    }
  }

  /** The bound local port (useful with port 0 in tests), or -1 before start. */
  synchronized int localPort() throws IOException {
    return channel == null ? -1 : ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** Datagrams received so far. */
  long datagrams() {
    return datagrams;
  }

  @Override
  public long lostPackets() {
    return rtp == null ? 0 : rtp.lostPackets();
  }

  @Override
  public String describe() {
    return uri.toString();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (membership != null) {
      membership.drop();
    }
    if (channel != null) {
      loop.unregister(channel);
    }
  }

  /** On the loop thread. */
  private void onDatagram(ByteBuffer datagram, SocketAddress from) {
    datagrams++;
    byte[] array = datagram.array();
    int offset = datagram.arrayOffset() + datagram.position();
    int length = datagram.remaining();
    if (rtp == null) {
      receiver.receive(array, offset, length);
      return;
    }
    boolean use = rtp.parse(array, offset, length);
    long lost = rtp.lostPackets();
    if (lost != reportedLost) {
      receiver.lostPackets(lost - reportedLost);
      reportedLost = lost;
    }
    if (rtp.restarts() != reportedRestarts) {
      reportedRestarts = rtp.restarts();
      receiver.sourceRestarted("RTP sender restarted (new SSRC or sequence jump)");
    }
    if (use) {
      receiver.receive(array, rtp.payloadOffset(), rtp.payloadLength());
    }
  }

  /** The interface named by the URI (name or address), else the first up, multicast-capable one, else loopback. */
  static NetworkInterface networkInterface(SourceUri uri) throws SocketException {
    String wanted = uri.networkInterface();
    if (wanted != null) {
      NetworkInterface byName = NetworkInterface.getByName(wanted);
      if (byName != null) {
        return byName;
      }
      try {
        NetworkInterface byAddress = NetworkInterface.getByInetAddress(InetAddress.getByName(wanted));
        if (byAddress != null) {
          return byAddress;
        }
      } catch (java.net.UnknownHostException e) {
        // not an address either
      }
      throw new SocketException("no network interface " + wanted);
    }
    NetworkInterface loopback = null;
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      if (nif.isLoopback()) {
        loopback = nif;
      } else if (nif.supportsMulticast()) {
        return nif;
      }
    }
    if (loopback == null) {
      throw new SocketException("no network interface to join " + uri.address().getHostAddress() + " on");
    }
    return loopback;
  }
}
