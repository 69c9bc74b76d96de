package io.iptv.segmenter.live;

import io.iptv.core.internal.Preconditions;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls a continuous transport stream over HTTP(S) with the JDK's asynchronous client: the body is streamed
 * through a {@link Flow.Subscriber} (one buffer list requested at a time, no thread per stream). When the
 * response ends, fails, answers a non-2xx status or stalls, the source reconnects after an exponential back-off
 * ({@code initialBackoff} doubling up to {@code maxBackoff}, reset once data flows again), at most
 * {@code maxReconnects} times in a row without data (default unlimited). Each reconnect that delivers data is
 * reported as {@link TsReceiver#sourceRestarted}; the cut in the byte stream is the demuxer's normal resync.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * TsSource pull = HttpTsSource.builder(URI.create("http://encoder:8080/live.ts"))
 *     .client(HttpClient.newHttpClient()).scheduler(timers)
 *     .initialBackoff(Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(10))
 *     .build();
 * channel.attach(pull);
 * }</pre>
 */
public final class HttpTsSource implements TsSource {
  private static final System.Logger LOG = System.getLogger(HttpTsSource.class.getName());

  private final URI uri;
  private final HttpClient client;
  private final ScheduledExecutorService scheduler;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration stallTimeout;
  private final int maxReconnects;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private TsReceiver receiver;
  private ScheduledFuture<?> watchdog;
  private int failuresInARow;
  private boolean everDelivered;
  private volatile Flow.Subscription subscription;
  private volatile long lastDataNanos;
  private volatile boolean closed;

  private HttpTsSource(Builder b) {
    this.uri = b.uri;
    this.client = b.client != null ? b.client : HttpClient.newHttpClient();
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.stallTimeout = b.stallTimeout;
    this.maxReconnects = b.maxReconnects;
  }

  /** Starts configuring a source pulling {@code uri}. */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public synchronized void start(TsReceiver target) {
    Preconditions.requireState(receiver == null, "%s already started", uri);
    receiver = Objects.requireNonNull(target, "receiver");
    long period = Math.max(100, stallTimeout.toMillis() / 4);
    watchdog = scheduler.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
    connect();
  }

  /** Connections opened so far (1 + reconnects). */
  public long connections() {
    return connections.get();
  }

  /** Body bytes received so far. */
  public long bytesReceived() {
    return bytes.get();
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
    generation.incrementAndGet();
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    long gen = generation.incrementAndGet();
    connections.incrementAndGet();
    lastDataNanos = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(uri).GET().header("Accept", "video/mp2t, */*").build();
    Body body = new Body(gen);
    client.sendAsync(request, info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.fromSubscriber(body)
            : HttpResponse.BodySubscribers.discarding())
        .whenComplete((response, error) -> {
          String why = error != null ? error.getClass().getSimpleName() + ": " + error.getMessage()
              : response.statusCode() / 100 != 2 ? "HTTP " + response.statusCode() : "end of body";
          connectionEnded(gen, why);
        });
  }

  private synchronized void connectionEnded(long gen, String why) {
    if (closed || gen != generation.get()) {
      return; // closed, or already replaced (stall)
    }
    generation.incrementAndGet();
    failuresInARow++;
    if (maxReconnects >= 0 && failuresInARow > maxReconnects) {
      LOG.log(Level.WARNING, () -> uri + ": giving up after " + maxReconnects + " reconnects (" + why + ")");
      return;
    }
    long delay = initialBackoff.toMillis() << Math.min(20, failuresInARow - 1);
    delay = Math.min(delay, maxBackoff.toMillis());
    long d = delay;
    LOG.log(Level.INFO, () -> uri + ": " + why + "; reconnecting in " + d + " ms");
    scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void checkStall() {
    if (closed || System.nanoTime() - lastDataNanos < stallTimeout.toNanos()) {
      return;
    }
    Flow.Subscription s = subscription;
    long gen = generation.get();
    if (s != null) {
      s.cancel();
    }
    connectionEnded(gen, "no data for " + stallTimeout.toMillis() + " ms");
  }

  private synchronized void delivered() {
    failuresInARow = 0;
    if (everDelivered && connections.get() > 1) {
      receiver.sourceRestarted("HTTP reconnect to " + uri);
    }
    everDelivered = true;
  }

  /** The body of one connection. */
  private final class Body implements Flow.Subscriber<List<ByteBuffer>> {
    private final long gen;
    private boolean first = true;

    Body(long gen) {
      this.gen = gen;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (closed || gen != generation.get()) {
        s.cancel();
        return;
      }
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (gen != generation.get()) {
        subscription.cancel();
        return;
      }
      lastDataNanos = System.nanoTime();
      if (first) {
        first = false;
        delivered();
      }
      for (ByteBuffer b : buffers) {
        bytes.addAndGet(b.remaining());
        receiver.receive(b);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
      // reported through the response future
    }

    @Override
    public void onComplete() {
      // reported through the response future
    }
  }

  /** Configures an {@link HttpTsSource}; each setting once, validated at once. Not thread-safe. */
  public static final class Builder {
    private final URI uri;
    private HttpClient client;
    private ScheduledExecutorService scheduler;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration stallTimeout = Duration.ofSeconds(10);
    private int maxReconnects = -1;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      Preconditions.requireArgument("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme),
          "not an http(s) URI: %s", uri);
    }

    /** The HTTP client (default: a new one). */
    public Builder client(HttpClient value) {
      once("client");
      client = Objects.requireNonNull(value, "client");
      return this;
    }

    /** Runs the back-off timers and the stall watchdog (required). */
    public Builder scheduler(ScheduledExecutorService value) {
      once("scheduler");
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** First reconnect delay (default 250 ms; 10 ms to 1 min). */
    public Builder initialBackoff(Duration value) {
      once("initialBackoff");
      Preconditions.requireArgument(value.toMillis() >= 10 && value.compareTo(Duration.ofMinutes(1)) <= 0,
          "initialBackoff %s out of range", value);
      initialBackoff = value;
      return this;
    }

    /** Longest reconnect delay (default 10 s; at least the initial back-off, at most 10 min). */
    public Builder maxBackoff(Duration value) {
      once("maxBackoff");
      Preconditions.requireArgument(value.toMillis() >= 10 && value.compareTo(Duration.ofMinutes(10)) <= 0,
          "maxBackoff %s out of range", value);
      maxBackoff = value;
      return this;
    }

    /** A connection without data for this long is dropped and reconnected (default 10 s; at least 200 ms). */
    public Builder stallTimeout(Duration value) {
      once("stallTimeout");
      Preconditions.requireArgument(value.toMillis() >= 200, "stallTimeout %s < 200 ms", value);
      stallTimeout = value;
      return this;
    }

    /** Reconnects in a row without data before giving up (default -1: never give up). */
    public Builder maxReconnects(int value) {
      once("maxReconnects");
      Preconditions.requireArgument(value >= -1, "maxReconnects %d < -1", value);
      maxReconnects = value;
      return this;
    }

    /** Builds the source. */
    public HttpTsSource build() {
      Preconditions.requireState(scheduler != null, "a scheduler is required");
      Preconditions.requireState(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff %s < initialBackoff %s",
          maxBackoff, initialBackoff);
      return new HttpTsSource(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
