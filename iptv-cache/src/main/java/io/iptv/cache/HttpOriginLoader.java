package io.iptv.cache;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Edge mode: loads resources from an upstream HTTP origin (this library's own, nginx, a CDN) with the JDK's
 * {@link HttpClient}. Put a {@link SegmentCache} in front of it and each segment is fetched from the upstream
 * once per edge, however many players ask.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>{@code /{channel}/{name}} is fetched from {@code upstream(channel) + name}.
 *   <li>200: the body (bounded by {@code maxBodyBytes}), upstream Content-Type and strong ETag are kept; the
 *       upstream {@code Cache-Control} ({@code max-age}/{@code s-maxage} minus {@code Age}; {@code no-store}
 *       and {@code no-cache} as zero) becomes the resource's {@link ServedResource#maxAge()} (RFC 9111 §4.2.1).
 *   <li>404/410: not found ({@code null}), which the cache keeps briefly.
 *   <li>Revalidation sends {@code If-None-Match} with the cached ETag; a 304 renews the cached bytes
 *       (RFC 9111 §4.3).
 *   <li>Timeouts, I/O errors, 5xx and 429 are retried up to {@code maxAttempts} with exponential backoff; then
 *       the load fails with an {@link IOException} (503 downstream). Other statuses fail at once.
 * </ul>
 *
 * <p>Thread-safe and non-blocking: {@link #loadAsync} uses {@link HttpClient#sendAsync}. Share one instance.
 *
 * <pre>{@code
 * HttpOriginLoader edge = HttpOriginLoader.builder()
 *     .upstream("news", URI.create("http://origin.internal:8080/news/"))
 *     .build();
 * SegmentCache cache = SegmentCache.builder().maximumBytes(1L << 30).build(edge);
 * }</pre>
 */
public final class HttpOriginLoader implements ResourceLoader {
  private final Map<String, URI> upstreams;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final long maxBodyBytes;

  private HttpOriginLoader(Builder b) {
    this.upstreams = Map.copyOf(b.upstreams);
    this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : Duration.ofSeconds(10);
    Duration connectTimeout = b.connectTimeout != null ? b.connectTimeout : Duration.ofSeconds(3);
    this.client = b.client != null ? b.client
        : HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.maxAttempts = b.maxAttempts != null ? b.maxAttempts : 3;
    this.initialBackoff = b.initialBackoff != null ? b.initialBackoff : Duration.ofMillis(100);
    this.maxBodyBytes = b.maxBodyBytes != null ? b.maxBodyBytes : 256L << 20;
  }

  /** A builder without upstreams. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    try {
      return loadAsync(key, Runnable::run).join();
    } catch (CompletionException e) {
      Throwable cause = ResourceLoader.unwrap(e);
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw e;
    }
  }

  @Override
  public CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    return fetch(key, null, executor);
  }

  @Override
  public CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
      Executor executor) {
    return fetch(key, Objects.requireNonNull(stale, "stale"), executor);
  }

  private CompletableFuture<ServedResource> fetch(ResourceKey key, ServedResource stale, Executor executor) {
    URI base = upstreams.get(key.channel());
    if (base == null) {
      return CompletableFuture.completedFuture(null);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(key.name())).timeout(requestTimeout).GET();
    if (stale != null) {
      request.header("If-None-Match", stale.etag());
    }
    return attempt(key, request.build(), stale, 1, executor);
  }

  private CompletableFuture<ServedResource> attempt(ResourceKey key, HttpRequest request, ServedResource stale,
      int attempt, Executor executor) {
    return client.sendAsync(request, info -> new LimitedBodySubscriber(maxBodyBytes))
        .handle((response, error) -> {
          if (error == null) {
            int status = response.statusCode();
            if (status < 500 && status != 429) {
              return CompletableFuture.completedFuture(toResource(key, response, stale));
            }
          }
          Throwable cause = error != null ? ResourceLoader.unwrap(error) : null;
          if (cause != null && !(cause instanceof IOException)) {
            return CompletableFuture.<ServedResource>failedFuture(cause);
          }
          if (cause instanceof IOException && cause.getMessage() != null
              && cause.getMessage().startsWith("upstream body larger")) {
            return CompletableFuture.<ServedResource>failedFuture(
                MediaException.limitExceeded(key + ": " + cause.getMessage()));
          }
          String what = cause != null ? (cause instanceof HttpTimeoutException ? "timeout" : cause.toString())
              : "status " + response.statusCode();
          if (attempt >= maxAttempts) {
            return CompletableFuture.<ServedResource>failedFuture(
                new IOException("upstream " + request.uri() + " failed after " + attempt + " attempts: " + what,
                    cause));
          }
          long delayMillis = initialBackoff.toMillis() << Math.min(attempt - 1, 10);
          Executor later = CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, executor);
          return CompletableFuture.supplyAsync(() -> null, later)
              .thenCompose(ignored -> attempt(key, request, stale, attempt + 1, executor));
        })
        .thenCompose(f -> f);
  }

  private ServedResource toResource(ResourceKey key, HttpResponse<byte[]> response, ServedResource stale) {
    int status = response.statusCode();
    Duration maxAge = maxAgeOf(response);
    if (status == 304 && stale != null) {
      return stale.toBuilder().maxAge(maxAge != null ? maxAge : stale.maxAge()).build();
    }
    if (status == 404 || status == 410) {
      return null;
    }
    if (status != 200) {
      throw new CompletionException(new IOException("upstream " + response.uri() + " answered " + status));
    }
    ServedResource.Builder b = ServedResource.builder(key, ByteSlice.wrap(response.body())).maxAge(maxAge);
    if (maxAge != null) {
      b.immutable(!key.kind().isIndex() && isImmutable(response)); // RFC 8246: keep the upstream's promise
    }
    response.headers().firstValue("Content-Type").ifPresent(b::contentType);
    response.headers().firstValue("ETag").filter(HttpOriginLoader::isStrong).ifPresent(b::etag);
    return b.sniffIndex().build();
  }

  private static boolean isStrong(String etag) {
    return etag.length() >= 2 && etag.charAt(0) == '"' && etag.charAt(etag.length() - 1) == '"'
        && etag.indexOf('"', 1) == etag.length() - 1;
  }

  /** Whether the upstream's Cache-Control carries the {@code immutable} extension (RFC 8246 §2). */
  static boolean isImmutable(HttpResponse<?> response) {
    for (String cacheControl : response.headers().allValues("Cache-Control")) {
      for (String directive : cacheControl.split(",")) {
        if (directive.trim().equalsIgnoreCase("immutable")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Freshness from Cache-Control (RFC 9111 §5.2.2) minus Age (§5.1), or null if the upstream gave none. */
  static Duration maxAgeOf(HttpResponse<?> response) {
    String cacheControl = response.headers().firstValue("Cache-Control").orElse(null);
    if (cacheControl == null) {
      return null;
    }
    long maxAge = -1;
    long sharedMaxAge = -1;
    for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
      String d = directive.trim();
      if (d.equals("no-store") || d.equals("no-cache") || d.equals("private")) {
        return Duration.ZERO;
      }
      if (d.startsWith("s-maxage=")) {
        sharedMaxAge = seconds(d.substring(9));
      } else if (d.startsWith("max-age=")) {
        maxAge = seconds(d.substring(8));
      }
    }
    long fresh = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
    if (fresh < 0) {
      return null;
    }
    long age = response.headers().firstValue("Age").map(HttpOriginLoader::seconds).orElse(0L);
    return Duration.ofSeconds(Math.max(0, fresh - Math.max(0, age)));
  }

  private static long seconds(String text) {
    String t = text.trim();
    if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || t.length() > 12) {
      return -1;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(t);
  }

  /** Builds an {@link HttpOriginLoader}; each setter validates at once and may be called once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, URI> upstreams = new LinkedHashMap<>();
    private HttpClient client;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private Integer maxAttempts;
    private Duration initialBackoff;
    private Long maxBodyBytes;

    private Builder() {}

    /**
     * Fetches channel {@code channel} from {@code base}, an absolute http(s) URI; a missing trailing {@code /}
     * is added, so {@code http://origin/news} serves {@code /news/seg-1.ts} from {@code http://origin/news/seg-1.ts}.
     */
    public Builder upstream(String channel, URI base) {
      Objects.requireNonNull(base, "base");
      new ResourceKey(channel, io.iptv.core.serve.ResourceKind.SEGMENT, "x.ts"); // validates the channel
      Preconditions.requireArgument(!upstreams.containsKey(channel), "channel %s already has an upstream", channel);
      String scheme = base.getScheme();
      Preconditions.requireArgument(("http".equals(scheme) || "https".equals(scheme)) && base.getHost() != null
          && base.getRawQuery() == null && base.getRawFragment() == null, "bad upstream URI: %s", base);
      String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
      upstreams.put(channel, path.endsWith("/") ? base : URI.create(base + "/"));
      return this;
    }

    /** The client to use (default: a new one with the connect timeout, no redirects). */
    public Builder httpClient(HttpClient value) {
      Preconditions.requireState(client == null, "httpClient was already set");
      Preconditions.requireState(connectTimeout == null, "connectTimeout is set: configure it on the client");
      client = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /** Connect timeout of the default client (default 3 s). */
    public Builder connectTimeout(Duration value) {
      Preconditions.requireState(connectTimeout == null, "connectTimeout was already set to %s", connectTimeout);
      Preconditions.requireState(client == null, "httpClient is set: configure the timeout on it");
      connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** Timeout of each attempt, until the response headers arrive (default 10 s). */
    public Builder requestTimeout(Duration value) {
      Preconditions.requireState(requestTimeout == null, "requestTimeout was already set to %s", requestTimeout);
      requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /** Attempts per load, including the first (default 3). */
    public Builder maxAttempts(int value) {
      Preconditions.requireState(maxAttempts == null, "maxAttempts was already set to %s", maxAttempts);
      Preconditions.requireArgument(value >= 1 && value <= 10, "maxAttempts must be in [1, 10]: %s", value);
      maxAttempts = value;
      return this;
    }

    /** Delay before the second attempt, doubled for each further one (default 100 ms). */
    public Builder initialBackoff(Duration value) {
      Preconditions.requireState(initialBackoff == null, "initialBackoff was already set to %s", initialBackoff);
      Objects.requireNonNull(value, "initialBackoff");
      Preconditions.requireArgument(!value.isNegative(), "initialBackoff must not be negative: %s", value);
      initialBackoff = value;
      return this;
    }

    /** Largest body accepted from the upstream (default 256 MiB). */
    public Builder maxBodyBytes(long value) {
      Preconditions.requireState(maxBodyBytes == null, "maxBodyBytes was already set to %s", maxBodyBytes);
      Preconditions.requireArgument(value > 0 && value < Integer.MAX_VALUE, "bad maxBodyBytes: %s", value);
      maxBodyBytes = value;
      return this;
    }

    /** Builds the loader. */
    public HttpOriginLoader build() {
      Preconditions.requireState(!upstreams.isEmpty(), "no upstream configured");
      return new HttpOriginLoader(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      Preconditions.requireArgument(value.compareTo(Duration.ZERO) > 0, "%s must be positive: %s", name, value);
      return value;
    }
  }
}
