package io.iptv.core.auth;

import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an {@link Authorizer} decides on: the resource (channel, kind, name), the raw request path, the
 * caller's token and where it came from, the client address and whether the connection is TLS.
 *
 * <p>The token is looked up, in this order, in the query parameter {@value #TOKEN_PARAMETER}, the header
 * {@code Authorization: Bearer <token>} and the cookie {@value #TOKEN_COOKIE}. A token longer than
 * {@value #MAX_TOKEN_LENGTH} characters, or one whose percent-encoding is broken, is kept as the empty string
 * (present but invalid: 401), so that no authorizer ever parses unbounded input.
 *
 * <p>Immutable. {@link #toString()} never shows the token.
 *
 * <pre>{@code
 * AccessRequest request = AccessRequest.from(httpRequest, ResourceKey.parse(httpRequest.rawPath()));
 * request.token();         // "v1.k1.1767225600.L25ld3Mv..AbC..." or null
 * request.key().kind();    // ResourceKind.SEGMENT
 * }</pre>
 *
 * @param key the resource asked for
 * @param path the raw request path as received (with any base path)
 * @param token the caller's token, {@code ""} if present but unusable, or {@code null} if absent
 * @param tokenSource where {@code token} was found
 * @param clientAddress the peer's address, or {@code null} if unknown
 * @param secure whether the request came over TLS
 * @param headers the request headers, for authorizers that need more
 */
public record AccessRequest(ResourceKey key, String path, String token, TokenSource tokenSource,
    InetAddress clientAddress, boolean secure, RequestHeaders headers) {
  /** The query parameter carrying a token. */
  public static final String TOKEN_PARAMETER = "token";
  /** The cookie carrying a token. */
  public static final String TOKEN_COOKIE = "iptv_token";
  /** Longest token accepted, in characters. */
  public static final int MAX_TOKEN_LENGTH = 2048;

  /** Where a token was found. */
  public enum TokenSource {
    /** No token. */
    NONE,
    /** The {@code token} query parameter (the signed-URL case; propagated into playlists). */
    QUERY,
    /** {@code Authorization: Bearer}. */
    BEARER,
    /** The {@code iptv_token} cookie. */
    COOKIE
  }

  /** Checks the components; {@code token} and {@code clientAddress} may be null. */
  public AccessRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tokenSource, "tokenSource");
    Objects.requireNonNull(headers, "headers");
    if ((token == null) != (tokenSource == TokenSource.NONE)) {
      throw new IllegalArgumentException("token and tokenSource disagree: " + tokenSource);
    }
  }

  /** The access request of {@code request} for {@code key}. */
  public static AccessRequest from(HttpRequest request, ResourceKey key) {
    TokenSource source = TokenSource.NONE;
    String token = queryParameter(request.rawQuery(), TOKEN_PARAMETER);
    if (token != null) {
      source = TokenSource.QUERY;
    } else {
      String authorization = request.headers().first("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        token = authorization.substring(7).strip();
        source = TokenSource.BEARER;
      } else {
        token = cookie(request.headers().first("Cookie"), TOKEN_COOKIE);
        source = token != null ? TokenSource.COOKIE : TokenSource.NONE;
      }
    }
    if (token != null && token.length() > MAX_TOKEN_LENGTH) {
      token = "";
    }
    InetAddress client = request.clientAddress() == null ? null : request.clientAddress().getAddress();
    return new AccessRequest(key, request.rawPath(), token, source, client, request.secure(), request.headers());
  }

  /** The resource kind, shorthand for {@code key().kind()}. */
  public ResourceKind kind() {
    return key.kind();
  }

  /** The channel, shorthand for {@code key().channel()}. */
  public String channel() {
    return key.channel();
  }

  /** Whether the resource is a content key or licence, which needs an explicit allow and is never cached. */
  public boolean isKeyResource() {
    return key.kind() == ResourceKind.KEY || key.kind() == ResourceKind.LICENSE;
  }

  /** Shows everything but the token. */
  @Override
  public String toString() {
    return "AccessRequest[" + key + ", token=" + (token == null ? "none" : "<redacted " + tokenSource + ">")
        + ", client=" + (clientAddress == null ? "?" : clientAddress.getHostAddress()) + ", secure=" + secure + "]";
  }

  /** The decoded value of the first parameter {@code name} in a raw query, or {@code null}. */
  static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end - start > name.length() && rawQuery.startsWith(name, start) && rawQuery.charAt(start + name.length()) == '=') {
        return decode(rawQuery.substring(start + name.length() + 1, end));
      }
      if (end - start == name.length() && rawQuery.startsWith(name, start)) {
        return "";
      }
      start = end + 1;
    }
    return null;
  }

  private static String decode(String raw) {
    if (raw.length() > MAX_TOKEN_LENGTH) {
      return "";
    }
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return raw;
    }
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return ""; // broken percent-encoding: present but invalid
    }
  }

  private static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String pair = part.strip();
      if (pair.length() > name.length() && pair.startsWith(name) && pair.charAt(name.length()) == '=') {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }
}
