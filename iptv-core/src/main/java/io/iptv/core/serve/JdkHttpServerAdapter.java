package io.iptv.core.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsExchange;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Serves an {@link OriginHandler} with the JDK's built-in {@code com.sun.net.httpserver} (module
 * {@code jdk.httpserver}): the most conservative embedded server (also speaks HTTPS through
 * {@code HttpsServer}). For throughput prefer {@link NioHttpServerAdapter}: this server's own per-request
 * overhead caps it at about half of nginx's small-file request rate, even with a handler that does nothing.
 *
 * <p><b>System properties.</b> The JDK server reads its settings once, from system properties, when its
 * configuration class loads. Before creating the first server this adapter sets, unless already set:
 * <ul>
 *   <li>{@code sun.net.httpserver.nodelay=true}: TCP_NODELAY. Without it the server writes headers and body in
 *       separate segments and Nagle's algorithm meets the client's delayed ACK: small responses stall ~40 ms.
 *   <li>{@code sun.net.httpserver.maxReqHeaderSize}: the JDK's own bound on request line plus headers, set to
 *       twice the {@link ServeLimits} so that oversized requests are cut off while being read; between the limit
 *       and the bound the handler answers 414 or 431.
 * </ul>
 * If another {@code HttpServer} was created in the JVM before, these come too late; set them on the command
 * line ({@code -Dsun.net.httpserver.nodelay=true}) in that case.
 *
 * <p>Threading: requests run on the executor given to the builder (default: the JDK's dispatcher thread, which
 * suits handlers that never block, such as a warm cache). The adapter never starts threads of its own.
 * {@link #close()} stops the server and is idempotent.
 *
 * <pre>{@code
 * try (JdkHttpServerAdapter server = JdkHttpServerAdapter.builder(origin)
 *     .address(new InetSocketAddress("127.0.0.1", 8080)).executor(pool).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class JdkHttpServerAdapter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(JdkHttpServerAdapter.class.getName());
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
  static final String MAX_HEADER_SIZE_PROPERTY = "sun.net.httpserver.maxReqHeaderSize";

  /** Largest single write to the socket stream. */
  static final int WRITE_CHUNK_BYTES = 256 * 1024;

  private final HttpServer server;
  private final OriginHandler origin;
  private volatile boolean closed;

  private JdkHttpServerAdapter(HttpServer server, OriginHandler origin) {
    this.server = server;
    this.origin = origin;
  }

  /** A builder serving {@code origin}. */
  public static Builder builder(OriginHandler origin) {
    return new Builder(origin);
  }

  /** The bound address (with the actual port when port 0 was requested). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting requests and closes the listening socket at once. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      server.stop(0);
    }
  }

  private void handle(HttpExchange exchange) {
    try {
      HttpRequest request = toRequest(exchange);
      if (request == null) {
        send(exchange, HttpResponse.text(413, "request body too large", List.of()));
        return;
      }
      CompletableFuture<HttpResponse> answer = origin.handle(request);
      if (answer.isDone() && !answer.isCompletedExceptionally()) {
        send(exchange, answer.join()); // cache hit: no callback, no thread hop
        return;
      }
      answer.whenComplete((response, error) -> {
        if (error != null) { // OriginHandler never fails; defensive
          response = HttpResponse.text(500, "internal error", List.of());
        }
        send(exchange, response);
      });
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "request failed", e);
      exchange.close();
    }
  }

  private HttpRequest toRequest(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String method = exchange.getRequestMethod();
    ByteSlice body = ByteSlice.empty();
    if (method.equals("POST") || method.equals("PUT")) {
      int max = origin.limits().maxBodyBytes();
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
          return null;
        }
        body = ByteSlice.wrap(bytes);
      }
    }
    return new HttpRequest(method, exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
        new JdkHeaders(headers), exchange.getRemoteAddress(), exchange instanceof HttpsExchange, body);
  }

  private static void send(HttpExchange exchange, HttpResponse response) {
    try {
      Headers out = exchange.getResponseHeaders();
      List<HttpResponse.Header> headers = response.headers();
      for (int i = 0, n = headers.size(); i < n; i++) {
        HttpResponse.Header h = headers.get(i);
        out.add(h.name(), h.value());
      }
      if (!response.sendBody() && response.contentLength() >= 0) {
        // HEAD: announce the length a GET would send; the JDK sends no body for HEAD requests.
        out.set("Content-Length", Long.toString(response.contentLength()));
      }
      long length = response.sendBody() ? (response.body().isEmpty() ? -1 : response.body().length()) : -1;
      exchange.sendResponseHeaders(response.status(), length);
      if (length > 0) {
        try (OutputStream body = exchange.getResponseBody()) {
          writeBody(response.body(), body);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "cannot send response", e);
    } finally {
      exchange.close();
    }
  }

  /**
   * Writes {@code body} in chunks: the JDK copies each heap write into a temporary direct buffer of the same
   * size before the socket write, so bounded chunks keep that buffer small and in the CPU cache instead of
   * allocating (and caching, per thread) one as large as the biggest segment.
   */
  static void writeBody(ByteSlice body, OutputStream out) throws IOException {
    int length = body.length();
    if (length <= WRITE_CHUNK_BYTES) {
      body.writeTo(out);
      return;
    }
    for (int from = 0; from < length; from += WRITE_CHUNK_BYTES) {
      body.slice(from, Math.min(WRITE_CHUNK_BYTES, length - from)).writeTo(out);
    }
  }

  /**
   * The request headers of a JDK {@code HttpExchange} as {@link RequestHeaders}, for hosts that run their own
   * {@code HttpServer} contexts next to the origin (as the demo does).
   */
  public static RequestHeaders requestHeaders(Headers headers) {
    return new JdkHeaders(Objects.requireNonNull(headers, "headers"));
  }

  /** Header view over the JDK's map (keys normalised by the JDK: first letter upper case). */
  private static final class JdkHeaders implements RequestHeaders {
    private final Headers headers;

    JdkHeaders(Headers headers) {
      this.headers = headers;
    }

    @Override
    public String first(String name) {
      return headers.getFirst(name);
    }

    @Override
    public int sizeBytes() {
      int size = 0;
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        for (String value : e.getValue()) {
          size += e.getKey().length() + (value == null ? 0 : value.length()) + 4;
        }
      }
      return size;
    }
  }

  /** Builds and starts a {@link JdkHttpServerAdapter}. Not thread-safe. */
  public static final class Builder {
    private final OriginHandler origin;
    private InetSocketAddress address;
    private Executor executor;
    private Integer backlog;

    private Builder(OriginHandler origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** Where to listen (default {@code 127.0.0.1} on an ephemeral port). */
    public Builder address(InetSocketAddress value) {
      Preconditions.requireState(address == null, "address was already set to %s", address);
      address = Objects.requireNonNull(value, "address");
      return this;
    }

    /** The executor requests run on (default: the JDK's dispatcher thread). */
    public Builder executor(Executor value) {
      Preconditions.requireState(executor == null, "executor was already set");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** The listen backlog (default: the JDK's default). */
    public Builder backlog(int value) {
      Preconditions.requireState(backlog == null, "backlog was already set to %s", backlog);
      Preconditions.requireArgument(value > 0, "backlog must be positive: %s", value);
      backlog = value;
      return this;
    }

    /** Creates, binds and starts the server. */
    public JdkHttpServerAdapter start() throws IOException {
      configureJdkServer(origin.limits());
      InetSocketAddress bind = address != null ? address
          : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      HttpServer server = HttpServer.create(bind, backlog != null ? backlog : 0);
      JdkHttpServerAdapter adapter = new JdkHttpServerAdapter(server, origin);
      server.createContext("/", adapter::handle);
      if (executor != null) {
        server.setExecutor(executor);
      }
      server.start();
      return adapter;
    }

    private static synchronized void configureJdkServer(ServeLimits limits) {
      if (System.getProperty(NODELAY_PROPERTY) == null) {
        System.setProperty(NODELAY_PROPERTY, "true");
      }
      if (System.getProperty(MAX_HEADER_SIZE_PROPERTY) == null) {
        long bound = 2L * (limits.maxRequestLineBytes() + limits.maxHeaderBytes());
        System.setProperty(MAX_HEADER_SIZE_PROPERTY, Long.toString(Math.min(bound, Integer.MAX_VALUE)));
      }
    }
  }
}
