package io.iptv.segmenter.live;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * One selector thread receiving the datagrams of every UDP/RTP source of a {@link LivePackager}: non-blocking
 * {@link DatagramChannel}s, one reusable 64 KiB buffer, no allocation per datagram. Each datagram goes to its
 * source's handler, which must return quickly (it copies into a channel's input queue).
 *
 * <p>Thread-safe: {@link #register} and {@link #unregister} hand their work to the loop thread.
 */
final class UdpReceiverLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(UdpReceiverLoop.class.getName());
  /** Datagrams read from one socket per wake-up before serving the others (fairness). */
  private static final int DATAGRAMS_PER_TURN = 64;

  /** Receives one datagram (array-backed, position 0, limit = its length). Called on the loop thread. */
  @FunctionalInterface
  interface DatagramHandler {
    void onDatagram(ByteBuffer datagram, SocketAddress from);
  }

  private final Selector selector;
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(65536);
  private final Thread thread;
  private volatile boolean running = true;

  private UdpReceiverLoop(Selector selector, ThreadFactory threads) {
    this.selector = selector;
    this.thread = threads.newThread(this::run);
    thread.setName("iptv-udp-receiver");
  }

  static UdpReceiverLoop start(ThreadFactory threads) throws IOException {
    UdpReceiverLoop loop = new UdpReceiverLoop(Selector.open(), threads);
    loop.thread.start();
    return loop;
  }

  /** Starts delivering {@code channel}'s datagrams (it must be non-blocking) to {@code handler}. */
  void register(DatagramChannel channel, DatagramHandler handler) {
    pending.add(() -> {
      try {
        channel.register(selector, SelectionKey.OP_READ, handler);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot register UDP socket: " + e.getMessage());
      }
    });
    selector.wakeup();
  }

  /** Stops delivering and closes {@code channel}. */
  void unregister(DatagramChannel channel) {
    pending.add(() -> {
      SelectionKey key = channel.keyFor(selector);
      if (key != null) {
        key.cancel();
      }
      closeQuietly(channel);
    });
    selector.wakeup();
    if (!running) {
      closeQuietly(channel);
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (running) {
        selector.select(1000);
        for (Runnable task; (task = pending.poll()) != null; ) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            readFrom(key);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      LOG.log(Level.ERROR, "UDP receiver loop failed: " + e.getMessage());
    } finally {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      closeQuietly(selector);
    }
  }

  private void readFrom(SelectionKey key) {
    DatagramChannel channel = (DatagramChannel) key.channel();
    DatagramHandler handler = (DatagramHandler) key.attachment();
    for (int i = 0; i < DATAGRAMS_PER_TURN; i++) {
      buffer.clear();
      SocketAddress from;
      try {
        from = channel.receive(buffer);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "UDP receive failed: " + e.getMessage());
        return;
      }
      if (from == null) {
        return;
      }
      buffer.flip();
      try {
        handler.onDatagram(buffer, from);
      } catch (RuntimeException e) {
        // One source's bug must not stop the thread that all UDP sources share.
        LOG.log(Level.ERROR, "UDP datagram handler failed", e);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
