package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.serve.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Static factories for common {@link Authorizer}s and the named lookup of {@link AuthorizerProvider}s.
 *
 * <pre>{@code
 * Authorizer auth = Authorizers.chain(
 *     Authorizers.requireTls(ResourceKind.KEY, ResourceKind.LICENSE),        // keys only over TLS
 *     Authorizers.load("hmac-token", Map.of("secret.k1", base64UrlSecret))); // signed URLs
 * }</pre>
 */
public final class Authorizers {
  private static final AuthDecision ALLOW_FOREVER = AuthDecision.allow(Duration.ofDays(365));

  private Authorizers() {}

  /**
   * Allows every request for playlists, manifests and segments, and refuses (403) key resources
   * ({@link ResourceKind#KEY}, {@link ResourceKind#LICENSE}): keys always need an authorizer that allows the key
   * resource explicitly.
   */
  public static Authorizer allowAll() {
    return AllowAll.INSTANCE;
  }

  /**
   * Requires TLS for the given kinds (403 otherwise) and allows everything else; meant as the first link of a
   * {@link #chain}.
   */
  public static Authorizer requireTls(ResourceKind first, ResourceKind... more) {
    Set<ResourceKind> kinds = EnumSet.of(first, more);
    return request -> !request.secure() && kinds.contains(request.kind())
        ? AuthDecision.forbidden(request.kind() + " requires TLS")
        : ALLOW_FOREVER;
  }

  /**
   * All of {@code authorizers} must allow, asked in order: the first {@link AuthDecision.Deny} is the answer
   * (later ones are not asked); an allow is valid for the shortest {@code maxAge} of the links.
   *
   * <p>The chain checks its links' contract: a link that returns {@code null} makes the chain throw an
   * {@link IllegalStateException} naming the link (the origin then refuses the request with 500).
   *
   * @throws IllegalArgumentException if no authorizer is given
   */
  public static Authorizer chain(Authorizer... authorizers) {
    Preconditions.requireArgument(authorizers.length > 0, "chain needs at least one authorizer");
    List<Authorizer> links = List.of(authorizers); // rejects null links
    return new Chain(links);
  }

  /**
   * Creates the authorizer of the {@link AuthorizerProvider} named {@code name}, found with
   * {@link ServiceLoader} on this class's class loader. Only that provider's {@code create} is called: a
   * discovered provider is never activated unless named.
   *
   * <p>Built in: {@code "hmac-token"} ({@link HmacTokenAuthorizer#fromConfig}).
   *
   * @throws IllegalArgumentException if no provider has that name (the message lists the available names), or
   *     the configuration is invalid
   * @throws IllegalStateException if several providers claim the name
   */
  public static Authorizer load(String name, Map<String, String> config) {
    return load(name, config, Authorizers.class.getClassLoader());
  }

  /** As {@link #load(String, Map)}, searching {@code classLoader}. */
  public static Authorizer load(String name, Map<String, String> config, ClassLoader classLoader) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    AuthorizerProvider match = null;
    Set<String> available = new TreeSet<>();
    for (AuthorizerProvider provider : ServiceLoader.load(AuthorizerProvider.class, classLoader)) {
      String providerName = provider.name();
      available.add(providerName);
      if (providerName.equals(name)) {
        Preconditions.requireState(match == null, "several authorizer providers are named %s: %s and %s", name,
            match == null ? null : match.getClass().getName(), provider.getClass().getName());
        match = provider;
      }
    }
    Preconditions.requireArgument(match != null, "no authorizer provider named %s (available: %s)", name,
        available);
    Authorizer authorizer = match.create(Map.copyOf(config));
    Preconditions.requireState(authorizer != null, "provider %s returned no authorizer", name);
    return authorizer;
  }

  /** See {@link #allowAll()}. */
  private enum AllowAll implements Authorizer {
    INSTANCE;

    @Override
    public AuthDecision authorize(AccessRequest request) {
      return request.isKeyResource()
          ? AuthDecision.forbidden("key resources need an explicit allow")
          : ALLOW_FOREVER;
    }

    @Override
    public String toString() {
      return "Authorizers.allowAll()";
    }
  }

  /** See {@link #chain}. */
  private static final class Chain implements Authorizer {
    private final List<Authorizer> links;

    Chain(List<Authorizer> links) {
      this.links = links;
    }

    @Override
    public AuthDecision authorize(AccessRequest request) {
      Duration maxAge = null;
      for (int i = 0; i < links.size(); i++) {
        Authorizer link = links.get(i);
        AuthDecision decision = link.authorize(request);
        if (decision == null) {
          throw new IllegalStateException("authorizer " + (i + 1) + " of " + links.size() + " ("
              + link.getClass().getName() + ") returned null: an Authorizer must return a decision");
        }
        if (decision instanceof AuthDecision.Deny) {
          return decision;
        }
        Duration age = ((AuthDecision.Allow) decision).maxAge();
        maxAge = maxAge == null || age.compareTo(maxAge) < 0 ? age : maxAge;
      }
      return AuthDecision.allow(maxAge);
    }

    @Override
    public String toString() {
      List<String> names = new ArrayList<>();
      links.forEach(l -> names.add(l.toString()));
      return "Authorizers.chain" + names;
    }
  }
}
