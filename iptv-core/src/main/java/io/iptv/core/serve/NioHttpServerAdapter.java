package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves an {@link OriginHandler} with a minimal HTTP/1.1 server on {@code java.nio} selectors: the fast,
 * zero-dependency alternative to {@link JdkHttpServerAdapter} for serving from a warm cache.
 *
 * <p>Why it exists: {@code com.sun.net.httpserver} hands every request from its single dispatcher thread to a
 * worker and back, re-registering the connection each time; even a handler that writes a constant answers only
 * about 0.4–0.5× the small-file requests per second of nginx on the same machine. Here each of {@code eventLoops}
 * threads owns its connections from accept to close, a cache hit is answered on that thread without any hand-off,
 * the header and body of a small answer leave in one {@code writev}, and large bodies answered repeatedly are
 * written from off-heap copies ({@link Builder#directBodyBytes}).
 *
 * <p>What it speaks: HTTP/1.1 and 1.0 with keep-alive and in-order pipelining; origin-form targets;
 * {@code Content-Length} request bodies up to {@link ServeLimits#maxBodyBytes()}. It refuses, and then closes the
 * connection: {@code Transfer-Encoding} (501), conflicting lengths, obsolete folding and whitespace before a colon
 * (400), heads beyond the {@link ServeLimits} (414/431). No TLS (terminate TLS in front), no HTTP/2, no
 * {@code Expect: 100-continue} (clients send the body after their own short wait). Connections idle longer than
 * {@code idleTimeout}, or whose request head takes longer than {@code requestTimeout}, are closed, and beyond
 * {@code maxConnections} new connections are closed at once.
 *
 * <p><b>Threading.</b> The origin is called on the event loop threads and must not block there: put a
 * {@code SegmentCache} in front of blocking loaders (its misses load on its executor), or give the
 * {@link OriginHandler} an executor. Answers that complete later are written by the loop that owns the
 * connection. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (NioHttpServerAdapter server = NioHttpServerAdapter.builder(origin)
 *     .address(new InetSocketAddress("127.0.0.1", 8080)).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class NioHttpServerAdapter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NioHttpServerAdapter.class.getName());

  private final ServerSocketChannel server;
  private final List<NioEventLoop> loops;
  private final Thread acceptor;
  private final AtomicInteger openConnections;
  private final int maxConnections;
  private volatile boolean closed;

  private NioHttpServerAdapter(ServerSocketChannel server, List<NioEventLoop> loops, AtomicInteger openConnections,
      int maxConnections) {
    this.server = server;
    this.loops = loops;
    this.openConnections = openConnections;
    this.maxConnections = maxConnections;
    this.acceptor = new Thread(this::acceptLoop, "iptv-http-accept");
    this.acceptor.setDaemon(true);
  }

  /** A builder serving {@code origin}. */
  public static Builder builder(OriginHandler origin) {
    return new Builder(origin);
  }

  /** The bound address (with the actual port when port 0 was requested). */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("server socket closed", e);
    }
  }

  /** The bound port. */
  public int port() {
    return address().getPort();
  }

  /** Stops accepting, closes every connection and stops the threads (waiting up to a second each). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot close server socket", e);
    }
    for (NioEventLoop loop : loops) {
      loop.shutdown(1000);
    }
    // The listening socket is released only once the accept thread has left accept(): a thread blocked there
    // holds it, and close() alone returned while a connect could still succeed (a restart on the same port, or a
    // test, then saw the old server).
    if (Thread.currentThread() != acceptor) {
      try {
        acceptor.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void acceptLoop() {
    int next = 0;
    while (!closed) {
      try {
        SocketChannel channel = server.accept();
        if (openConnections.get() >= maxConnections) {
          channel.close(); // over the limit: refuse at once rather than queue without bound
          continue;
        }
        openConnections.incrementAndGet();
        loops.get(next).adopt(channel);
        next = (next + 1) % loops.size();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "accept failed", e); // e.g. out of file descriptors: back off a little
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Builds and starts a {@link NioHttpServerAdapter}. Not thread-safe; each setter may be called once. */
  public static final class Builder {
    private final OriginHandler origin;
    private InetSocketAddress address;
    private Integer eventLoops;
    private Duration idleTimeout;
    private Duration requestTimeout;
    private Integer backlog;
    private Long directBodyBytes;
    private Integer maxConnections;

    private Builder(OriginHandler origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** Where to listen (default {@code 127.0.0.1} on an ephemeral port). */
    public Builder address(InetSocketAddress value) {
      Preconditions.requireState(address == null, "address was already set to %s", address);
      address = Objects.requireNonNull(value, "address");
      return this;
    }

    /** Selector threads (default: one per available processor). */
    public Builder eventLoops(int value) {
      Preconditions.requireState(eventLoops == null, "eventLoops was already set to %s", eventLoops);
      Preconditions.requireArgument(value > 0 && value <= 256, "eventLoops must be in 1..256: %s", value);
      eventLoops = value;
      return this;
    }

    /** How long a keep-alive connection may stay silent (default 60 s). */
    public Builder idleTimeout(Duration value) {
      Preconditions.requireState(idleTimeout == null, "idleTimeout was already set to %s", idleTimeout);
      Preconditions.requireArgument(value.toMillis() > 0, "idleTimeout must be positive: %s", value);
      idleTimeout = value;
      return this;
    }

    /** How long a client may take to send one request head and body (default 10 s). */
    public Builder requestTimeout(Duration value) {
      Preconditions.requireState(requestTimeout == null, "requestTimeout was already set to %s", requestTimeout);
      Preconditions.requireArgument(value.toMillis() > 0, "requestTimeout must be positive: %s", value);
      requestTimeout = value;
      return this;
    }

    /** The listen backlog (default 1024). */
    public Builder backlog(int value) {
      Preconditions.requireState(backlog == null, "backlog was already set to %s", backlog);
      Preconditions.requireArgument(value > 0, "backlog must be positive: %s", value);
      backlog = value;
      return this;
    }

    /**
     * Native memory for off-heap copies of hot, large bodies (default 64 MiB, split between the event loops;
     * 0 disables): repeated answers of the same segment are then written without a heap-to-native copy.
     */
    public Builder directBodyBytes(long value) {
      Preconditions.requireState(directBodyBytes == null, "directBodyBytes was already set to %s", directBodyBytes);
      Preconditions.requireArgument(value >= 0, "directBodyBytes must not be negative: %s", value);
      directBodyBytes = value;
      return this;
    }

    /** Open connections beyond which new ones are closed at once (default 10,000). */
    public Builder maxConnections(int value) {
      Preconditions.requireState(maxConnections == null, "maxConnections was already set to %s", maxConnections);
      Preconditions.requireArgument(value > 0, "maxConnections must be positive: %s", value);
      maxConnections = value;
      return this;
    }

    /** Binds and starts the threads. */
    public NioHttpServerAdapter start() throws IOException {
      InetSocketAddress bind = address != null ? address
          : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      int threads = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
      long idle = (idleTimeout != null ? idleTimeout : Duration.ofSeconds(60)).toNanos();
      long request = (requestTimeout != null ? requestTimeout : Duration.ofSeconds(10)).toNanos();
      long direct = directBodyBytes != null ? directBodyBytes : 64L << 20;
      ServerSocketChannel channel = ServerSocketChannel.open();
      List<NioEventLoop> loops = new ArrayList<>();
      AtomicInteger open = new AtomicInteger();
      try {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(bind, backlog != null ? backlog : 1024);
        for (int i = 0; i < threads; i++) {
          loops.add(new NioEventLoop("iptv-http-" + i, origin, idle, request, direct / threads, open));
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      NioHttpServerAdapter adapter = new NioHttpServerAdapter(channel, List.copyOf(loops), open,
          maxConnections != null ? maxConnections : 10_000);
      loops.forEach(NioEventLoop::start);
      adapter.acceptor.start();
      return adapter;
    }
  }
}
