package io.iptv.core.serve;

/**
 * Rewrites a loaded resource for one request before it is answered (for example, token propagation into
 * playlists: {@code io.iptv.core.auth.TokenPropagation}). Runs after the {@link ResourceLoader} (and so after
 * any shared cache, which keeps the unrewritten resource) and before conditional requests, so that the
 * rewritten resource's own ETag is the validator.
 *
 * <p>Returning the same instance means "unchanged". A different instance is a <em>personalised</em> response:
 * {@link OriginHandler} sends it with {@code Cache-Control: private} (same max-age) so that no shared cache
 * (CDN, proxy) stores one caller's version for another. Give it an ETag of its own (the default
 * {@link ServedResource#contentEtag} of the new body does).
 *
 * <p>Implementations must be thread-safe, fast, must not block and must not throw.
 *
 * <pre>{@code
 * ResourceTransform banner = (request, resource) -> resource; // no change
 * }</pre>
 */
@FunctionalInterface
public interface ResourceTransform {
  /** The resource to send for {@code request}: {@code resource} itself if unchanged. */
  ServedResource transform(HttpRequest request, ServedResource resource);

  /** Changes nothing. */
  static ResourceTransform identity() {
    return (request, resource) -> resource;
  }
}
