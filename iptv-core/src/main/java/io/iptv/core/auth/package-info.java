/**
 * Authorisation for the origin: the {@link io.iptv.core.auth.Authorizer} SPI and its values
 * ({@link io.iptv.core.auth.AccessRequest}, {@link io.iptv.core.auth.AuthDecision}), combinators and named
 * lookup ({@link io.iptv.core.auth.Authorizers}), signed URLs ({@link io.iptv.core.auth.TokenSigner},
 * {@link io.iptv.core.auth.HmacTokenAuthorizer}), the origin glue ({@link io.iptv.core.auth.AuthInterceptor})
 * and token propagation into playlists ({@link io.iptv.core.auth.TokenPropagation}).
 *
 * <p>Nothing in this package logs a token or a key.
 */
package io.iptv.core.auth;
