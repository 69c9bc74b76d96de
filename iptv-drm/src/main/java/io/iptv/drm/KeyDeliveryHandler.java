package io.iptv.drm;

import io.iptv.core.auth.AuthDecision;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves AES-128 key URIs ({@code /{channel}/keys/<kid-hex>.key}, RFC 8216 §4.3.2.4 and §5.2): the 16 raw key
 * bytes as {@code application/octet-stream} with {@code Cache-Control: no-store}, server-agnostic like the rest
 * of the serving layer.
 *
 * <p>Order: the {@link KeyAccessPolicy} first (denied: 401 without valid credentials, 403 when they do not cover the key — before anything about the key is looked at, so a
 * client cannot probe which KIDs exist), then the {@link KeyResolver} (unknown or malformed KID: a plain 404
 * that says nothing more). GET and HEAD only. Keys are never logged.
 *
 * <p>Mounting in {@link io.iptv.core.serve.OriginHandler}: {@link #interceptor(RequestInterceptor)} answers
 * KEY requests itself and passes every other request to the host's interceptor, so key bytes never go through
 * a {@code ResourceLoader} or any cache. (When the origin gains a dedicated key slot, {@link #handle} plugs
 * into it unchanged.)
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * KeyDeliveryHandler keys = KeyDeliveryHandler.builder(KeyProvider.derived(secret))
 *     .accessPolicy((request, key) -> request.secure())
 *     .allowOrigin("*")
 *     .build();
 * OriginHandler origin = OriginHandler.builder(loader).interceptor(keys.interceptor(hostAuth)).build();
 * }</pre>
 */
public final class KeyDeliveryHandler {
  private static final Pattern KEY_NAME = Pattern.compile("keys/([0-9a-fA-F]{32})\\.key");

  private final KeyResolver resolver;
  private final KeyAccessPolicy accessPolicy;
  private final String allowOrigin;

  private KeyDeliveryHandler(Builder b) {
    this.resolver = b.resolver;
    this.accessPolicy = b.accessPolicy;
    this.allowOrigin = b.allowOrigin;
  }

  /** Starts configuring a handler that finds keys through {@code resolver}. */
  public static Builder builder(KeyResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * Answers a request for a KEY resource: 200 with 16 bytes, 401, 403, 404 or 405.
   *
   * @throws IllegalArgumentException if {@code key} is not a KEY resource
   */
  public HttpResponse handle(HttpRequest request, ResourceKey key) {
    if (key.kind() != ResourceKind.KEY) {
      throw new IllegalArgumentException("not a key resource: " + key);
    }
    boolean head = request.method().equals("HEAD");
    if (!head && !request.method().equals("GET")) {
      return plain(405, "method not allowed", request, new HttpResponse.Header("Allow", "GET, HEAD"));
    }
    if (accessPolicy.decide(request, key) instanceof AuthDecision.Deny deny) {
      // 401 without (valid) credentials, 403 when they do not cover this key; never a hint about the key.
      return plain(deny.status(), deny.status() == 401 ? "unauthorized" : "forbidden", request);
    }
    Matcher m = KEY_NAME.matcher(key.name());
    ContentKey found = m.matches() ? resolver.find(key.channel(), KeyId.fromHex(m.group(1))) : null;
    if (found == null) {
      return plain(404, "not found", request);
    }
    List<HttpResponse.Header> headers = headers(request);
    headers.add(new HttpResponse.Header("Content-Type", "application/octet-stream"));
    ByteSlice body = ByteSlice.wrap(found.keyBytes());
    HttpResponse response = new HttpResponse(200, headers, body, true, body.length());
    return head ? withoutBody(response) : response;
  }

  /**
   * An {@link io.iptv.core.serve.OriginHandler} interceptor: KEY requests are answered by {@link #handle},
   * every other request goes to {@code next} (the host's authorisation).
   */
  public RequestInterceptor interceptor(RequestInterceptor next) {
    Objects.requireNonNull(next, "next");
    return (request, key) -> key.kind() == ResourceKind.KEY ? handle(request, key) : next.intercept(request, key);
  }

  private HttpResponse plain(int status, String message, HttpRequest request, HttpResponse.Header... extra) {
    List<HttpResponse.Header> headers = headers(request);
    headers.addAll(List.of(extra));
    HttpResponse response = HttpResponse.text(status, message, headers);
    return request.method().equals("HEAD") ? withoutBody(response) : response;
  }

  private static HttpResponse withoutBody(HttpResponse r) {
    return new HttpResponse(r.status(), r.headers(), ByteSlice.empty(), false, r.contentLength());
  }

  private List<HttpResponse.Header> headers(HttpRequest request) {
    List<HttpResponse.Header> headers = new ArrayList<>(4);
    headers.add(new HttpResponse.Header("Cache-Control", "no-store"));
    if (allowOrigin != null && request.headers().first("Origin") != null) {
      headers.add(new HttpResponse.Header("Access-Control-Allow-Origin", allowOrigin));
      if (!allowOrigin.equals("*")) {
        headers.add(new HttpResponse.Header("Vary", "Origin"));
      }
    }
    return headers;
  }

  /** Configures a {@link KeyDeliveryHandler}; each setting once. Not thread-safe. */
  public static final class Builder {
    private final KeyResolver resolver;
    private KeyAccessPolicy accessPolicy;
    private String allowOrigin;

    private Builder(KeyResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Who may receive keys; required (there is deliberately no default: use {@link KeyAccessPolicy#allowAll()}). */
    public Builder accessPolicy(KeyAccessPolicy value) {
      if (accessPolicy != null) {
        throw new IllegalStateException("accessPolicy was already set");
      }
      accessPolicy = Objects.requireNonNull(value, "accessPolicy");
      return this;
    }

    /** The {@code Access-Control-Allow-Origin} for browser players on another origin ({@code *} or one origin). */
    public Builder allowOrigin(String value) {
      if (allowOrigin != null) {
        throw new IllegalStateException("allowOrigin was already set to " + allowOrigin);
      }
      Objects.requireNonNull(value, "allowOrigin");
      if (value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("bad origin: " + value);
      }
      allowOrigin = value;
      return this;
    }

    /** Builds the handler. */
    public KeyDeliveryHandler build() {
      if (accessPolicy == null) {
        throw new IllegalStateException("accessPolicy is required");
      }
      return new KeyDeliveryHandler(this);
    }
  }
}
