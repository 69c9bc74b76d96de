package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The origin: turns an {@link HttpRequest} into an {@link HttpResponse} for the resources of named channels,
 * with no server framework. Adapters ({@link JdkHttpServerAdapter}, a Servlet, ...) only copy bytes.
 *
 * <p>What it does, in order: request limits (414, 431, 413) → host routes ({@link Builder#route}: the host's
 * own pages, status or health checks on the same listener) → CORS preflight → path to {@link ResourceKey}
 * (traversal and encoded forms: 400; unknown: 404) → method (GET/HEAD, POST only for the licence endpoint; else
 * 405) → {@link RequestInterceptor} (auth slot; its refusals get the CORS headers too, so a player on another
 * origin sees the 401/403) → {@link ResourceLoader#loadAsync} → {@link ResourceTransform} (per-request rewriting) → conditional request
 * ({@code If-None-Match} → 304, RFC 9110 §13.1.2) → single byte range (206 / 416, RFC 9110 §14) → headers:
 * Content-Type, strong ETag, Cache-Control from the {@link CachePolicy}, CORS.
 *
 * <p>Thread-safe; one instance serves every request. The returned future never completes exceptionally: loader
 * failures become 503 (I/O) or 500.
 *
 * <pre>{@code
 * OriginHandler origin = OriginHandler.builder(DirectoryResourceLoader.builder().channel("news", dir).build())
 *     .cors(CorsPolicy.anyOrigin())
 *     .build();
 * HttpResponse response = origin.handle(HttpRequest.get("/news/master.m3u8")).join();
 * }</pre>
 */
public final class OriginHandler {
  private static final System.Logger LOG = System.getLogger(OriginHandler.class.getName());
  private static final String ALLOW = "GET, HEAD, OPTIONS";
  private static final HttpResponse.Header ACCEPT_RANGES = new HttpResponse.Header("Accept-Ranges", "bytes");

  private final ResourceLoader loader;
  private final CachePolicy cachePolicy;
  private final CorsPolicy cors;
  private final ServeLimits limits;
  private final RequestInterceptor interceptor;
  private final ResourceTransform transform;
  private final Executor executor;
  private final String basePath;
  private final Function<HttpRequest, CompletableFuture<HttpResponse>> licenseHandler;
  private final BlockingReload lowLatency;
  private final List<Route> routes;

  /** A host route: requests whose raw path matches go to the host's handler. */
  private record Route(Predicate<String> rawPath, Function<HttpRequest, CompletableFuture<HttpResponse>> handler) {
  }

  private OriginHandler(Builder b) {
    this.routes = List.copyOf(b.routes);
    this.loader = b.loader;
    this.cachePolicy = b.cachePolicy != null ? b.cachePolicy : CachePolicy.defaults();
    this.cors = b.cors != null ? b.cors : CorsPolicy.disabled();
    this.limits = b.limits != null ? b.limits : ServeLimits.defaults();
    this.interceptor = b.interceptor != null ? b.interceptor : RequestInterceptor.allowAll();
    this.transform = b.transform;
    this.executor = b.executor != null ? b.executor : Runnable::run;
    this.basePath = b.basePath != null ? b.basePath : "";
    this.licenseHandler = b.licenseHandler;
    this.lowLatency = b.lowLatency == null ? null : new BlockingReload(b.lowLatency, new BlockingReload.Origin() {
      @Override
      public CompletableFuture<ServedResource> load(ResourceKey key) {
        return loader.loadAsync(key, executor);
      }

      @Override
      public HttpResponse answer(HttpRequest request, ServedResource resource) {
        return OriginHandler.this.answer(request, resource);
      }

      @Override
      public HttpResponse error(int status, String message, HttpRequest request) {
        return OriginHandler.this.error(status, message, request);
      }

      @Override
      public HttpResponse failure(Throwable error, HttpRequest request, ResourceKey key) {
        return OriginHandler.this.failure(error, request, key);
      }
    });
  }

  /** A builder serving what {@code loader} supplies. */
  public static Builder builder(ResourceLoader loader) {
    return new Builder(loader);
  }

  /** The limits adapters must also enforce while reading requests. */
  public ServeLimits limits() {
    return limits;
  }

  /** The cache policy used for Cache-Control headers. */
  public CachePolicy cachePolicy() {
    return cachePolicy;
  }

  /** Answers one request. Never completes exceptionally. */
  public CompletableFuture<HttpResponse> handle(HttpRequest request) {
    try {
      return dispatch(request);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "origin handler failed on " + request.rawPath(), e);
      return CompletableFuture.completedFuture(HttpResponse.text(500, "internal error", List.of()));
    }
  }

  private CompletableFuture<HttpResponse> dispatch(HttpRequest request) {
    if (request.requestLineBytes() > limits.maxRequestLineBytes()) {
      return done(error(414, "request line too long", request));
    }
    if (request.headers().sizeBytes() > limits.maxHeaderBytes()) {
      return done(error(431, "request header fields too large", request));
    }
    if (request.body().length() > limits.maxBodyBytes()) {
      return done(error(413, "request body too large", request));
    }
    for (Route route : routes) {
      if (route.rawPath().test(request.rawPath())) {
        CompletableFuture<HttpResponse> answer = route.handler().apply(request);
        return answer.exceptionally(error -> {
          LOG.log(Level.WARNING, "host route failed on " + request.rawPath() + ": " + error.getClass().getName());
          return HttpResponse.text(500, "internal error", List.of());
        });
      }
    }
    String method = request.method();
    if (method.equals("OPTIONS")) {
      return done(options(request));
    }
    String path = request.rawPath();
    if (!basePath.isEmpty()) {
      if (!path.startsWith(basePath) || path.length() == basePath.length() || path.charAt(basePath.length()) != '/') {
        return done(error(404, "not found", request));
      }
      path = path.substring(basePath.length());
    }
    ResourceKey key;
    try {
      key = ResourceKey.parse(path);
    } catch (ResourcePathException e) {
      boolean malformed = e.reason() == ResourcePathException.Reason.MALFORMED;
      return done(error(malformed ? 400 : 404, malformed ? "bad request path" : "not found", request));
    }
    boolean head = method.equals("HEAD");
    if (key.kind() == ResourceKind.LICENSE) {
      if (licenseHandler == null) {
        return done(error(404, "not found", request));
      }
      if (!method.equals("POST")) {
        return done(error(405, "method not allowed", request, new HttpResponse.Header("Allow", "POST, OPTIONS")));
      }
    } else if (!head && !method.equals("GET")) {
      return done(error(405, "method not allowed", request, new HttpResponse.Header("Allow", ALLOW)));
    }
    HttpResponse denied = interceptor.intercept(request, key);
    if (denied != null) {
      denied = withCors(request, denied);
      return done(head ? denied.withoutBody() : denied);
    }
    if (key.kind() == ResourceKind.LICENSE) {
      // The licence handler's answer gets the CORS headers too: players often call the licence server
      // cross-origin (a POST with a JSON body, after the preflight answered above).
      return licenseHandler.apply(request).thenApply(response -> withCors(request, response))
          .exceptionally(error -> failure(error, request, key));
    }
    if (lowLatency != null && key.kind() == ResourceKind.PLAYLIST && BlockingReload.hasDirectives(request)) {
      return lowLatency.playlist(request, key); // RFC 8216bis §6.2.5 delivery directives
    }
    CompletableFuture<ServedResource> loading;
    try {
      loading = loader.loadAsync(key, executor);
    } catch (RuntimeException e) {
      return done(failure(e, request, key));
    }
    CompletableFuture<HttpResponse> answered = loading.handle((resource, error) -> {
      if (error != null) {
        return failure(error, request, key);
      }
      if (lowLatency != null && resource != null && key.kind() == ResourceKind.PLAYLIST) {
        lowLatency.observe(key, resource); // remembers its preload hint
      }
      return answer(request, resource);
    });
    if (lowLatency != null && key.kind() == ResourceKind.SEGMENT && lowLatency.isHinted(key)) {
      // a part announced by EXT-X-PRELOAD-HINT: hold the request until it is written
      return answered.thenCompose(response -> response.status() == 404
          ? lowLatency.hintedPart(request, key, response) : done(response));
    }
    return answered;
  }

  /** The response for a loaded resource (null: 404), transformed per request; without a body for HEAD. */
  private HttpResponse answer(HttpRequest request, ServedResource resource) {
    ServedResource served = resource == null || transform == null ? resource
        : transform.transform(request, resource);
    HttpResponse response = served == null ? notFound(request) : respond(request, served, served != resource);
    return request.method().equals("HEAD") ? response.withoutBody() : response;
  }

  private HttpResponse respond(HttpRequest request, ServedResource resource, boolean personalised) {
    List<HttpResponse.Header> headers = new ArrayList<>(8);
    headers.add(new HttpResponse.Header("Content-Type", resource.contentType()));
    headers.add(new HttpResponse.Header("ETag", resource.etag()));
    String cacheControl = cachePolicy.cacheControl(resource);
    if (personalised && cacheControl.startsWith("public")) {
      cacheControl = "private" + cacheControl.substring("public".length()); // see ResourceTransform
    }
    headers.add(new HttpResponse.Header("Cache-Control", cacheControl));
    headers.add(ACCEPT_RANGES);
    addCors(request, headers);
    ByteSlice body = resource.body();
    if (matchesAny(request.headers().first("If-None-Match"), resource.etag())) {
      return new HttpResponse(304, headers, ByteSlice.empty(), false, -1);
    }
    String ifRange = request.headers().first("If-Range");
    ByteRange range = ifRange != null && !ifRange.trim().equals(resource.etag())
        ? ByteRange.parse(null, body.length())
        : ByteRange.parse(request.headers().first("Range"), body.length());
    switch (range.outcome()) {
      case PARTIAL:
        headers.add(new HttpResponse.Header("Content-Range",
            "bytes " + range.first() + "-" + range.last() + "/" + body.length()));
        ByteSlice part = body.slice((int) range.first(), (int) range.length());
        return new HttpResponse(206, headers, part, true, part.length());
      case UNSATISFIABLE:
        List<HttpResponse.Header> h = new ArrayList<>();
        h.add(new HttpResponse.Header("Content-Range", "bytes */" + body.length()));
        addCors(request, h);
        return HttpResponse.text(416, "range not satisfiable", h);
      default:
        return new HttpResponse(200, headers, body, true, body.length());
    }
  }

  /** RFC 9110 §13.1.2: weak comparison of each listed entity tag, or {@code *}. */
  static boolean matchesAny(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
    int i = 0;
    int n = ifNoneMatch.length();
    while (i < n) {
      while (i < n && (ifNoneMatch.charAt(i) == ' ' || ifNoneMatch.charAt(i) == ',' || ifNoneMatch.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (ifNoneMatch.charAt(i) == '*') {
        return true;
      }
      if (ifNoneMatch.startsWith("W/", i)) {
        i += 2;
      }
      if (i >= n || ifNoneMatch.charAt(i) != '"') {
        return false; // malformed list: treat as no match
      }
      int end = ifNoneMatch.indexOf('"', i + 1);
      if (end < 0) {
        return false;
      }
      if (ifNoneMatch.regionMatches(i, opaque, 0, opaque.length()) && end - i + 1 == opaque.length()) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }

  private HttpResponse options(HttpRequest request) {
    List<HttpResponse.Header> headers = new ArrayList<>();
    headers.add(new HttpResponse.Header("Allow", ALLOW));
    String origin = request.headers().first("Origin");
    String allowed = cors.allowOrigin(origin);
    if (allowed != null && request.headers().first("Access-Control-Request-Method") != null) {
      addCors(request, headers);
      headers.add(new HttpResponse.Header("Access-Control-Allow-Methods", CorsPolicy.ALLOW_METHODS));
      headers.add(new HttpResponse.Header("Access-Control-Allow-Headers", CorsPolicy.ALLOW_HEADERS));
      headers.add(new HttpResponse.Header("Access-Control-Max-Age",
          Long.toString(cors.preflightMaxAge().toSeconds())));
    }
    return new HttpResponse(204, headers, ByteSlice.empty(), false, -1);
  }

  /**
   * An interceptor's answer (a 401/403 refusal, a key) with the CORS headers, unless it has its own: without
   * them a player on another origin sees a network error instead of the status (Fetch §3.2.5 CORS check).
   */
  private HttpResponse withCors(HttpRequest request, HttpResponse response) {
    if (!cors.enabled() || response.header("Access-Control-Allow-Origin") != null) {
      return response;
    }
    List<HttpResponse.Header> headers = new ArrayList<>(response.headers());
    addCors(request, headers);
    return new HttpResponse(response.status(), headers, response.body(), response.sendBody(),
        response.contentLength());
  }

  private void addCors(HttpRequest request, List<HttpResponse.Header> headers) {
    if (!cors.enabled()) {
      return;
    }
    if (cors.variesByOrigin()) {
      headers.add(new HttpResponse.Header("Vary", "Origin"));
    }
    String allowed = cors.allowOrigin(request.headers().first("Origin"));
    if (allowed != null) {
      headers.add(new HttpResponse.Header("Access-Control-Allow-Origin", allowed));
      headers.add(new HttpResponse.Header("Access-Control-Expose-Headers", CorsPolicy.EXPOSE_HEADERS));
    }
  }

  private HttpResponse notFound(HttpRequest request) {
    List<HttpResponse.Header> headers = new ArrayList<>();
    headers.add(new HttpResponse.Header("Cache-Control", cachePolicy.notFoundCacheControl()));
    addCors(request, headers);
    return HttpResponse.text(404, "not found", headers);
  }

  private HttpResponse error(int status, String message, HttpRequest request, HttpResponse.Header... extra) {
    if (status == 404) {
      return notFound(request);
    }
    List<HttpResponse.Header> headers = new ArrayList<>(List.of(extra));
    headers.add(new HttpResponse.Header("Cache-Control", "no-store"));
    addCors(request, headers);
    HttpResponse response = HttpResponse.text(status, message, headers);
    return request.method().equals("HEAD") ? response.withoutBody() : response;
  }

  private HttpResponse failure(Throwable error, HttpRequest request, ResourceKey key) {
    Throwable cause = ResourceLoader.unwrap(error);
    boolean io = cause instanceof IOException;
    LOG.log(io ? Level.DEBUG : Level.WARNING, "cannot load " + key, cause);
    HttpResponse response = io
        ? error(503, "resource temporarily unavailable", request, new HttpResponse.Header("Retry-After", "1"))
        : error(500, "internal error", request);
    return response;
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** Builds an {@link OriginHandler}; each setter validates at once and may be called once. Not thread-safe. */
  public static final class Builder {
    private final ResourceLoader loader;
    private CachePolicy cachePolicy;
    private CorsPolicy cors;
    private ServeLimits limits;
    private RequestInterceptor interceptor;
    private ResourceTransform transform;
    private Executor executor;
    private String basePath;
    private Function<HttpRequest, CompletableFuture<HttpResponse>> licenseHandler;
    private LowLatencyServing lowLatency;
    private final List<Route> routes = new ArrayList<>();

    private Builder(ResourceLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** Cache-Control per resource kind (default {@link CachePolicy#defaults()}). */
    public Builder cachePolicy(CachePolicy value) {
      Preconditions.requireState(cachePolicy == null, "cachePolicy was already set");
      cachePolicy = Objects.requireNonNull(value, "cachePolicy");
      return this;
    }

    /** CORS (default {@link CorsPolicy#disabled()}). */
    public Builder cors(CorsPolicy value) {
      Preconditions.requireState(cors == null, "cors was already set");
      cors = Objects.requireNonNull(value, "cors");
      return this;
    }

    /** Request size limits (default {@link ServeLimits#defaults()}). */
    public Builder limits(ServeLimits value) {
      Preconditions.requireState(limits == null, "limits was already set to %s", limits);
      limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /** The interceptor run before loading (the auth slot; default: allow all). */
    public Builder interceptor(RequestInterceptor value) {
      Preconditions.requireState(interceptor == null, "interceptor was already set");
      interceptor = Objects.requireNonNull(value, "interceptor");
      return this;
    }

    /**
     * Rewrites loaded resources per request, e.g. token propagation into playlists (default none). A rewritten
     * resource is sent with {@code Cache-Control: private}; see {@link ResourceTransform}.
     */
    public Builder resourceTransform(ResourceTransform value) {
      Preconditions.requireState(transform == null, "resourceTransform was already set");
      transform = Objects.requireNonNull(value, "resourceTransform");
      return this;
    }

    /**
     * The executor blocking loads run on (default: the calling thread, i.e. the server's handler thread).
     */
    public Builder executor(Executor value) {
      Preconditions.requireState(executor == null, "executor was already set");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** A path prefix in front of the fixed layout, such as {@code /live} (default none). */
    public Builder basePath(String value) {
      Preconditions.requireState(basePath == null, "basePath was already set to %s", basePath);
      Objects.requireNonNull(value, "basePath");
      Preconditions.requireArgument(value.matches("(/[A-Za-z0-9_-]+)+"), "bad basePath: %s", value);
      basePath = value;
      return this;
    }

    /** The handler of {@code POST /license/clearkey} (default none: 404). */
    public Builder licenseHandler(Function<HttpRequest, CompletableFuture<HttpResponse>> value) {
      Preconditions.requireState(licenseHandler == null, "licenseHandler was already set");
      licenseHandler = Objects.requireNonNull(value, "licenseHandler");
      return this;
    }

    /**
     * Low-Latency HLS delivery directives on media playlists (blocking reload, delta updates) and held
     * preload-hint part requests (default none: query parameters are ignored). See {@link LowLatencyServing}.
     */
    public Builder lowLatency(LowLatencyServing value) {
      Preconditions.requireState(lowLatency == null, "lowLatency was already set");
      lowLatency = Objects.requireNonNull(value, "lowLatency");
      return this;
    }

    /**
     * A host route (repeatable, tried in order, before anything but the request limits): requests whose raw
     * path matches {@code rawPath} are answered by {@code handler} — the host's own pages, status or health
     * checks served by the same adapter as the channels. The handler answers every method (including HEAD and
     * OPTIONS) itself; a failed future becomes a 500. Paths the fixed layout uses should not be routed away.
     *
     * <pre>{@code
     * builder.route(path -> path.equals("/health"), request -> CompletableFuture.completedFuture(
     *     HttpResponse.text(200, "ok", List.of())));
     * }</pre>
     */
    public Builder route(Predicate<String> rawPath, Function<HttpRequest, CompletableFuture<HttpResponse>> handler) {
      routes.add(new Route(Objects.requireNonNull(rawPath, "rawPath"), Objects.requireNonNull(handler, "handler")));
      return this;
    }

    /** Builds the handler. */
    public OriginHandler build() {
      return new OriginHandler(this);
    }
  }
}
