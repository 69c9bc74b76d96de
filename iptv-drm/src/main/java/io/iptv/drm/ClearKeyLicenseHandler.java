package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.auth.AccessRequest;
import io.iptv.core.auth.AuthDecision;
import io.iptv.core.auth.Authorizer;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The W3C ClearKey licence server ({@code POST /license/clearkey}), server-agnostic like
 * {@link KeyDeliveryHandler}: a request {@code {"kids":["<base64url>"],"type":"temporary"}} (Encrypted Media
 * Extensions §9.1.3) is answered with a JSON Web Key set {@code {"keys":[{"kty":"oct","k":"…","kid":"…"}],
 * "type":"temporary"}} (§9.1.4), base64url without padding, {@code Content-Type: application/json},
 * {@code Cache-Control: no-store}.
 *
 * <p>Each KID is located ({@link KeyLocator}) and its key released only if the host's authorisation allows the
 * KEY resource {@code /{channel}/keys/<kid-hex>.key} for this request (the same question
 * {@link KeyDeliveryHandler} asks, so a token scoped to {@code /news/} grants the news keys). Unknown and
 * refused KIDs are both simply left out, so a client cannot tell them apart. When nothing is released:
 * the first refusal's status (401 without valid credentials, 403 without entitlement), or, when every KID was
 * unknown, the decision on the licence resource itself (refused: its status; allowed: 200 with no keys).
 * Malformed JSON, bad KIDs, session types other than {@code temporary}: 400 with a short reason; a body above
 * the bound: 413; not POST: 405. Keys are never logged; {@link #toString()} shows no key.
 *
 * <p>Mounting: {@code OriginHandler.builder(loader).licenseHandler(license::handleAsync)} (the origin answers
 * the CORS preflight and adds CORS headers). Thread-safe.
 *
 * <pre>{@code
 * ClearKeyLicenseHandler license = ClearKeyLicenseHandler.builder(KeyLocator.inChannels(keys, List.of("news")))
 *     .authorizer(hmacAuthorizer)
 *     .maxBodyBytes(4096)
 *     .build();
 * OriginHandler origin = OriginHandler.builder(loader).licenseHandler(license::handleAsync).build();
 * }</pre>
 */
public final class ClearKeyLicenseHandler {
  /** Default bound on the request body. */
  public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024;
  private static final System.Logger LOG = System.getLogger(ClearKeyLicenseHandler.class.getName());
  private static final ResourceKey LICENSE_RESOURCE = ResourceKey.parse("/license/clearkey");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** The decision for one key (or the licence) resource. */
  @FunctionalInterface
  private interface Decider {
    AuthDecision decide(HttpRequest request, ResourceKey resource);
  }

  private final KeyLocator locator;
  private final Decider decider;
  private final int maxBodyBytes;

  private ClearKeyLicenseHandler(Builder b) {
    this.locator = b.locator;
    this.decider = b.decider;
    this.maxBodyBytes = b.maxBodyBytes > 0 ? b.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
  }

  /** Starts configuring a handler that finds keys through {@code locator}. */
  public static Builder builder(KeyLocator locator) {
    return new Builder(locator);
  }

  /** {@link #handle} as the function {@code OriginHandler.Builder#licenseHandler} takes. */
  public CompletableFuture<HttpResponse> handleAsync(HttpRequest request) {
    return CompletableFuture.completedFuture(handle(request));
  }

  /** Answers one licence request (see the class comment); never throws for any request. */
  public HttpResponse handle(HttpRequest request) {
    if (!request.method().equals("POST")) {
      return text(405, "method not allowed", new HttpResponse.Header("Allow", "POST, OPTIONS"));
    }
    if (request.body().length() > maxBodyBytes) {
      return text(413, "licence request too large");
    }
    ClearKeyLicenseRequest parsed;
    try {
      parsed = ClearKeyLicenseRequest.parse(request.body().toByteArray());
    } catch (MediaException e) {
      return text(400, "bad licence request: " + e.getMessage());
    }
    if (!parsed.type().equals("temporary")) {
      return text(400, "bad licence request: only temporary sessions are supported");
    }
    List<String> jwks = new ArrayList<>(parsed.kids().size());
    AuthDecision.Deny firstRefusal = null;
    for (KeyId kid : parsed.kids()) {
      ContentKey granted = null;
      for (LocatedKey candidate : locate(kid)) {
        AuthDecision decision = decideKey(request, candidate.channel(), kid);
        if (decision instanceof AuthDecision.Allow) {
          granted = candidate.key();
          break;
        }
        if (firstRefusal == null && decision instanceof AuthDecision.Deny deny) {
          firstRefusal = deny;
        }
      }
      if (granted != null) {
        jwks.add(jwk(kid, granted));
      }
    }
    if (jwks.isEmpty()) {
      AuthDecision.Deny refusal = firstRefusal != null ? firstRefusal : refusalOf(decide(request, LICENSE_RESOURCE));
      if (refusal != null) {
        int requested = parsed.kids().size();
        LOG.log(Level.DEBUG, () -> "licence refused (" + refusal.status() + ") for " + requested + " kid(s)");
        return text(refusal.status(), refusal.status() == 401 ? "unauthorized" : "forbidden",
            refusal.status() == 401 ? new HttpResponse.Header("WWW-Authenticate", "Bearer realm=\"iptv\"") : null);
      }
    }
    String json = "{\"keys\":[" + String.join(",", jwks) + "],\"type\":\"temporary\"}";
    ByteSlice body = ByteSlice.wrap(json.getBytes(StandardCharsets.US_ASCII));
    return new HttpResponse(200, List.of(new HttpResponse.Header("Content-Type", "application/json"),
        new HttpResponse.Header("Cache-Control", "no-store")), body, true, body.length());
  }

  private List<LocatedKey> locate(KeyId kid) {
    try {
      List<LocatedKey> found = locator.locate(kid);
      return found == null ? List.of() : found;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "key locator failed: " + e.getClass().getName());
      return List.of();
    }
  }

  private AuthDecision decideKey(HttpRequest request, String channel, KeyId kid) {
    ResourceKey resource;
    try {
      resource = new ResourceKey(channel, ResourceKind.KEY, "keys/" + kid.toHex() + ".key");
    } catch (IllegalArgumentException e) {
      return AuthDecision.forbidden("key of an unservable channel");
    }
    return decide(request, resource);
  }

  /** Asks the host; fails closed on a throwing or silent authorizer. */
  private AuthDecision decide(HttpRequest request, ResourceKey resource) {
    try {
      AuthDecision decision = decider.decide(request, resource);
      return decision != null ? decision : AuthDecision.forbidden("no decision");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "authorizer failed on " + resource + ": " + e.getClass().getName());
      return AuthDecision.forbidden("authorization failed");
    }
  }

  private static AuthDecision.Deny refusalOf(AuthDecision decision) {
    return decision instanceof AuthDecision.Deny deny ? deny : null;
  }

  /** One JSON Web Key (RFC 7517 §4, EME §9.1.4): symmetric, base64url without padding. */
  private static String jwk(KeyId kid, ContentKey key) {
    byte[] bytes = key.keyBytes();
    String k = BASE64URL.encodeToString(bytes);
    Arrays.fill(bytes, (byte) 0);
    return "{\"kty\":\"oct\",\"k\":\"" + k + "\",\"kid\":\"" + BASE64URL.encodeToString(kid.toByteArray()) + "\"}";
  }

  private static HttpResponse text(int status, String message, HttpResponse.Header... extra) {
    List<HttpResponse.Header> headers = new ArrayList<>(3);
    headers.add(new HttpResponse.Header("Cache-Control", "no-store"));
    for (HttpResponse.Header h : extra) {
      if (h != null) {
        headers.add(h);
      }
    }
    return HttpResponse.text(status, message, headers);
  }

  @Override
  public String toString() {
    return "ClearKeyLicenseHandler[" + locator + ", maxBodyBytes=" + maxBodyBytes + "]";
  }

  /** Configures a {@link ClearKeyLicenseHandler}; each setting once. Not thread-safe. */
  public static final class Builder {
    private final KeyLocator locator;
    private Decider decider;
    private int maxBodyBytes;

    private Builder(KeyLocator locator) {
      this.locator = Objects.requireNonNull(locator, "locator");
    }

    /**
     * Who may receive which key, through the auth SPI: asked with the request (its token) about each key's
     * KEY resource; its 401/403 is the answer when no key is released. Either this or {@link #accessPolicy}
     * is required.
     */
    public Builder authorizer(Authorizer value) {
      Objects.requireNonNull(value, "authorizer");
      requireNoDecider();
      decider = (request, resource) -> value.authorize(AccessRequest.from(request, resource));
      return this;
    }

    /**
     * Who may receive which key, as a yes/no {@link KeyAccessPolicy} (refusals answer 403); e.g.
     * {@link KeyAccessPolicy#allowAll()} for tests and demos. Either this or {@link #authorizer} is required.
     */
    public Builder accessPolicy(KeyAccessPolicy value) {
      Objects.requireNonNull(value, "accessPolicy");
      requireNoDecider();
      decider = (request, resource) -> value.allows(request, resource) ? AuthDecision.allow(Duration.ZERO)
          : AuthDecision.forbidden("key not granted");
      return this;
    }

    /** Largest accepted request body (default {@value ClearKeyLicenseHandler#DEFAULT_MAX_BODY_BYTES} bytes). */
    public Builder maxBodyBytes(int value) {
      if (maxBodyBytes != 0) {
        throw new IllegalStateException("maxBodyBytes was already set to " + maxBodyBytes);
      }
      if (value < 64) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 64: " + value);
      }
      maxBodyBytes = value;
      return this;
    }

    /** Builds the handler. */
    public ClearKeyLicenseHandler build() {
      if (decider == null) {
        throw new IllegalStateException("an authorizer or an accessPolicy is required");
      }
      return new ClearKeyLicenseHandler(this);
    }

    private void requireNoDecider() {
      if (decider != null) {
        throw new IllegalStateException("the authorizer or accessPolicy was already set");
      }
    }
  }
}
