package io.iptv.core.auth;

import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceKey;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plugs an {@link Authorizer} into {@link io.iptv.core.serve.OriginHandler}'s interceptor slot: builds the
 * {@link AccessRequest}, asks the authorizer, and turns a {@link AuthDecision.Deny} into a 401 (with
 * {@code WWW-Authenticate: Bearer}) or 403 answer with {@code Cache-Control: no-store}.
 *
 * <p>Fails closed: an authorizer that throws or returns {@code null} refuses the request with 500. Logs at
 * DEBUG the resource and the reason of each refusal, never the token.
 *
 * <p>Key resources are never cacheable whatever the decision's max-age: the origin's
 * {@link io.iptv.core.serve.CachePolicy} sends them with {@code no-store}.
 *
 * <p>Thread-safe if the authorizer is.
 *
 * <pre>{@code
 * OriginHandler origin = OriginHandler.builder(loader)
 *     .interceptor(AuthInterceptor.of(HmacTokenAuthorizer.builder().secret("k1", secret).build()))
 *     .resourceTransform(TokenPropagation.queryToken())
 *     .build();
 * }</pre>
 */
public final class AuthInterceptor implements RequestInterceptor {
  private static final System.Logger LOG = System.getLogger(AuthInterceptor.class.getName());

  private final Authorizer authorizer;

  private AuthInterceptor(Authorizer authorizer) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
  }

  /** An interceptor asking {@code authorizer}. */
  public static AuthInterceptor of(Authorizer authorizer) {
    return new AuthInterceptor(authorizer);
  }

  @Override
  public HttpResponse intercept(HttpRequest request, ResourceKey key) {
    AccessRequest access = AccessRequest.from(request, key);
    AuthDecision decision;
    try {
      decision = authorizer.authorize(access);
    } catch (RuntimeException e) {
      // The exception's message is the authorizer's: log its type only, it might quote a token.
      LOG.log(Level.WARNING, "authorizer failed on " + key + ": " + e.getClass().getName());
      return refuse(500, "authorization failed");
    }
    if (decision == null) {
      LOG.log(Level.WARNING, "authorizer returned no decision on " + key);
      return refuse(500, "authorization failed");
    }
    if (decision instanceof AuthDecision.Deny deny) {
      LOG.log(Level.DEBUG, () -> "refused " + key + " (" + deny.status() + ": " + deny.reason() + ")");
      return refuse(deny.status(), deny.reason());
    }
    return null;
  }

  private static HttpResponse refuse(int status, String reason) {
    List<HttpResponse.Header> headers = new ArrayList<>(2);
    headers.add(new HttpResponse.Header("Cache-Control", "no-store"));
    if (status == 401) {
      // RFC 6750 §3: the challenge for bearer tokens.
      headers.add(new HttpResponse.Header("WWW-Authenticate", "Bearer realm=\"iptv\""));
    }
    return HttpResponse.text(status, status == 401 ? "unauthorized: " + reason
        : status == 403 ? "forbidden: " + reason : reason, headers);
  }

  @Override
  public String toString() {
    return "AuthInterceptor[" + authorizer + "]";
  }
}
