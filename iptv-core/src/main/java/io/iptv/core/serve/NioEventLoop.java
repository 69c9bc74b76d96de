package io.iptv.core.serve;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One selector thread of {@link NioHttpServerAdapter}: owns its connections, runs tasks handed to it (new
 * connections, asynchronous answers), and closes connections that idle or dribble past their timeouts.
 *
 * <p>Everything but {@link #execute} and {@link #shutdown} runs on the loop's own thread.
 */
final class NioEventLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(NioEventLoop.class.getName());
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private final Selector selector;
  private final OriginHandler origin;
  private final long idleTimeoutNanos;
  private final long requestTimeoutNanos;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<NioConnection> connections = new HashSet<>();
  private final Thread thread;
  private volatile boolean stopping;
  private long dateSecond = -1;
  private String date;
  private long lastSweepNanos;
  private final DirectBodyCache directBodies;
  /** Shared by the adapter's loops: counted up on accept, down when a connection is closed. */
  private final AtomicInteger openConnections;

  NioEventLoop(String name, OriginHandler origin, long idleTimeoutNanos, long requestTimeoutNanos,
      long directBodyBytes, AtomicInteger openConnections) throws IOException {
    this.openConnections = openConnections;
    this.directBodies = new DirectBodyCache(directBodyBytes);
    this.selector = Selector.open();
    this.origin = origin;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Runs {@code task} on the loop thread soon. Thread-safe. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Takes over an accepted connection. Thread-safe. */
  void adopt(SocketChannel channel) {
    execute(() -> {
      try {
        channel.configureBlocking(false);
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        NioConnection connection = new NioConnection(this, channel, key, origin, System.nanoTime());
        key.attach(connection);
        connections.add(connection);
      } catch (IOException | RuntimeException e) { // ClosedSelectorException when the loop has stopped
        LOG.log(Level.DEBUG, "cannot register connection", e);
        openConnections.decrementAndGet();
        closeQuietly(channel);
      }
    });
  }

  DirectBodyCache directBodies() {
    return directBodies;
  }

  int connectionCount() {
    return connections.size();
  }

  void forget(NioConnection connection) {
    if (connections.remove(connection)) {
      openConnections.decrementAndGet();
    }
  }

  /** Stops the loop and closes its connections; waits up to {@code millis} for the thread. Thread-safe. */
  void shutdown(long millis) {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The current date as an IMF-fixdate (RFC 9110 §5.6.7), formatted once a second. */
  String httpDate() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
    return date;
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        selector.select(1000);
        runTasks();
        Set<SelectionKey> ready = selector.selectedKeys();
        long now = System.nanoTime();
        for (Iterator<SelectionKey> it = ready.iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          handle(key, now);
        }
        if (now - lastSweepNanos > 1_000_000_000L) {
          lastSweepNanos = now;
          sweep(now);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "event loop failed", e);
    } finally {
      for (NioConnection c : new ArrayList<>(connections)) {
        c.close();
      }
      try {
        selector.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "selector close failed", e);
      }
      runTasks(); // connections handed over while stopping: registration fails and closes them
    }
  }

  private void runTasks() {
    for (Runnable task; (task = tasks.poll()) != null; ) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event loop task failed", e);
      }
    }
  }

  private void handle(SelectionKey key, long now) {
    NioConnection connection = (NioConnection) key.attachment();
    try {
      if (!key.isValid()) {
        connection.close();
      } else if (key.isWritable()) {
        connection.onWritable(now);
      } else if (key.isReadable()) {
        connection.onReadable(now);
      }
    } catch (IOException | CancelledKeyException e) {
      LOG.log(Level.DEBUG, "connection failed", e);
      connection.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connection handler failed", e);
      connection.close();
    }
  }

  /** Closes idle keep-alive connections, and requests that arrive too slowly (slowloris). */
  private void sweep(long now) {
    for (NioConnection c : new ArrayList<>(connections)) {
      boolean slowRequest = c.requestStartNanos != 0 && c.idle() && now - c.requestStartNanos > requestTimeoutNanos;
      boolean idle = now - c.lastActivityNanos > idleTimeoutNanos;
      if (slowRequest || idle) {
        c.close();
      }
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "close failed", e);
    }
  }
}
