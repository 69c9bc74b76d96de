package io.iptv.core.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The origin's Low-Latency HLS request path (RFC 8216bis §6.2.5): delivery directives on media playlists,
 * and parts named by a preload hint that do not exist yet. Waiting is a chain of futures on
 * {@link PlaylistUpdates}; timeouts run on the JDK's shared delayed executor. Thread-safe.
 */
final class BlockingReload {
  /** How many parts past the last one a request may ask for (§6.2.5.2 Advance Part Limit). */
  private static final int ADVANCE_PART_LIMIT = 3;
  private static final int MAX_HINTS = 4096;

  /** Loads and answers one resource for the origin. */
  interface Origin {
    CompletableFuture<ServedResource> load(ResourceKey key);

    HttpResponse answer(HttpRequest request, ServedResource resource);

    HttpResponse error(int status, String message, HttpRequest request);

    /** A loader failure: 503 for I/O, else 500. */
    HttpResponse failure(Throwable error, HttpRequest request, ResourceKey key);
  }

  private final LowLatencyServing config;
  private final Origin origin;
  /** Preload-hinted part keys seen in served playlists, with when they stop counting (nanoTime). */
  private final Map<ResourceKey, Long> hinted = new ConcurrentHashMap<>();

  BlockingReload(LowLatencyServing config, Origin origin) {
    this.config = config;
    this.origin = origin;
  }

  /** Directives of a media playlist request: {@code msn} −1 when absent, {@code part} −1 when absent. */
  record Directives(long msn, int part, boolean skip) {
    boolean blocking() {
      return msn >= 0;
    }
  }

  /** Parses {@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip}; null when malformed (→ 400). */
  static Directives directives(String rawQuery) {
    long msn = -1;
    int part = -1;
    boolean skip = false;
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new Directives(-1, -1, false);
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        switch (name) {
          case "_HLS_msn" -> msn = nonNegative(Long.parseLong(value));
          case "_HLS_part" -> part = (int) nonNegative(Integer.parseInt(value));
          case "_HLS_skip" -> {
            if (!value.equals("YES") && !value.equals("v2")) {
              return null;
            }
            skip = true;
          }
          default -> { } // other parameters (tokens) are not ours
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (part >= 0 && msn < 0) {
      return null; // §6.2.5.2: _HLS_part without _HLS_msn is a Bad Request
    }
    return new Directives(msn, part, skip);
  }

  private static long nonNegative(long value) {
    if (value < 0) {
      throw new NumberFormatException("negative");
    }
    return value;
  }

  /** Whether the request carries a delivery directive ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip}). */
  static boolean hasDirectives(HttpRequest request) {
    String q = request.rawQuery();
    return q != null && q.contains("_HLS_");
  }

  /** A playlist served without directives: remembers its preload hint. */
  void observe(ResourceKey key, ServedResource resource) {
    PlaylistPosition position = PlaylistPosition.scan(resource.body());
    rememberHint(key, position.preloadHintUri(), position.targetDurationSeconds());
  }

  /** A media playlist request with delivery directives. */
  CompletableFuture<HttpResponse> playlist(HttpRequest request, ResourceKey key) {
    Directives d = directives(request.rawQuery());
    if (d == null) {
      return CompletableFuture.completedFuture(origin.error(400, "bad delivery directives", request));
    }
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    attempt(request, key, d, result, false);
    return result;
  }

  private void attempt(HttpRequest request, ResourceKey key, Directives d, CompletableFuture<HttpResponse> result,
      boolean timed) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<Void> changed = config.updates().nextChange(key); // before loading: no missed update
    origin.load(key).whenComplete((resource, error) -> {
      if (result.isDone()) {
        return;
      }
      if (error != null || resource == null) {
        result.complete(error != null ? origin.failure(error, request, key) : origin.error(404, "not found", request));
        return;
      }
      PlaylistPosition position = PlaylistPosition.scan(resource.body());
      rememberHint(key, position.preloadHintUri(), position.targetDurationSeconds());
      if (!d.blocking() || position.contains(d.msn(), d.part())) {
        respond(request, key, d, resource, result);
        return;
      }
      long last = position.lastMsn();
      if (d.msn() > last + 2 || (d.msn() == last + 1 && d.part() > position.trailingParts() - 1
          + ADVANCE_PART_LIMIT)) {
        result.complete(origin.error(400, "delivery directive too far ahead of the live edge", request));
        return;
      }
      if (!timed) {
        Duration timeout = timeout(position);
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, config.executor())
            .execute(() -> result.complete(origin.error(503, "playlist update timed out", request)));
      }
      changed.thenRunAsync(() -> attempt(request, key, d, result, true), config.executor());
    });
  }

  private void respond(HttpRequest request, ResourceKey key, Directives d, ServedResource full,
      CompletableFuture<HttpResponse> result) {
    if (!d.skip()) {
      result.complete(blockingCache(origin.answer(request, full), d));
      return;
    }
    ResourceKey deltaKey = new ResourceKey(key.channel(), key.kind(), LowLatencyNames.deltaName(key.name()));
    origin.load(deltaKey).whenComplete((delta, error) -> result.complete(blockingCache(
        origin.answer(request, error == null && delta != null ? delta : full), d)));
  }

  /**
   * A playlist answering a delivery directive is specific to its URL and never changes meaning (it holds at
   * least the requested part), but a short max-age keeps shared caches from serving it past the next part.
   */
  private static HttpResponse blockingCache(HttpResponse response, Directives d) {
    if (!d.blocking() || response.status() != 200) {
      return response;
    }
    List<HttpResponse.Header> headers = new ArrayList<>(response.headers().size());
    boolean personal = false;
    for (HttpResponse.Header h : response.headers()) {
      if (h.name().equalsIgnoreCase("Cache-Control")) {
        personal = h.value().startsWith("private") || h.value().contains("no-store");
      } else {
        headers.add(h);
      }
    }
    // a per-request rewrite (tokens, see ResourceTransform) stays out of shared caches
    headers.add(new HttpResponse.Header("Cache-Control", personal ? "private, max-age=1" : "public, max-age=1"));
    return new HttpResponse(response.status(), headers, response.body(), response.sendBody(),
        response.contentLength());
  }

  private Duration timeout(PlaylistPosition position) {
    if (config.timeout() != null) {
      return config.timeout();
    }
    return Duration.ofSeconds(3 * Math.max(1, position.targetDurationSeconds()));
  }

  private void rememberHint(ResourceKey playlist, String uri, long targetSeconds) {
    if (uri == null || uri.contains("/") || uri.contains(":") || uri.contains("?")) {
      return;
    }
    String name = playlist.name();
    int slash = name.lastIndexOf('/');
    ResourceKey part;
    try {
      part = ResourceKey.of(playlist.channel(), (slash < 0 ? "" : name.substring(0, slash + 1)) + uri);
    } catch (IllegalArgumentException e) {
      return;
    }
    long now = System.nanoTime();
    if (hinted.size() >= MAX_HINTS) {
      for (Iterator<Map.Entry<ResourceKey, Long>> it = hinted.entrySet().iterator(); it.hasNext(); ) {
        if (it.next().getValue() - now < 0) {
          it.remove();
        }
      }
      if (hinted.size() >= MAX_HINTS) {
        return;
      }
    }
    hinted.put(part, now + TimeUnit.SECONDS.toNanos(3 * Math.max(1, targetSeconds)));
  }

  /** Whether {@code key} is a part a served playlist announced as coming (EXT-X-PRELOAD-HINT). */
  boolean isHinted(ResourceKey key) {
    Long until = hinted.get(key);
    return until != null && until - System.nanoTime() > 0;
  }

  /**
   * A request for a hinted part that does not exist yet: answered when it is written (§6.2.6 preload hints:
   * the server holds the request), 404 after the timeout. {@code missing} is the first 404 answer.
   */
  CompletableFuture<HttpResponse> hintedPart(HttpRequest request, ResourceKey key, HttpResponse missing) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    Duration timeout = config.timeout() != null ? config.timeout() : Duration.ofSeconds(3);
    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, config.executor())
        .execute(() -> result.complete(missing));
    awaitPart(request, key, result);
    return result;
  }

  private void awaitPart(HttpRequest request, ResourceKey key, CompletableFuture<HttpResponse> result) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<Void> changed = config.updates().nextChange(key);
    origin.load(key).whenComplete((resource, error) -> {
      if (result.isDone()) {
        return;
      }
      if (error == null && resource != null) {
        result.complete(origin.answer(request, resource));
        return;
      }
      changed.thenRunAsync(() -> awaitPart(request, key, result), config.executor());
    });
  }
}
