package io.iptv.core.auth;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.ResourceKind;
import io.iptv.core.serve.ResourceTransform;
import io.iptv.core.serve.ServedResource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Token propagation: every URL the origin writes into an HLS playlist carries the caller's token, so players
 * need no logic of their own. A {@link ResourceTransform} for {@link io.iptv.core.serve.OriginHandler}.
 *
 * <p>When a multivariant or media playlist was requested with {@code ?token=T}, the response has
 * {@code token=T} appended ({@code ?token=} or {@code &token=}) to every URI line (media playlists, segments,
 * RFC 8216 §4.1) and to every {@code URI="…"} attribute of a tag ({@code EXT-X-KEY}, {@code EXT-X-MAP},
 * {@code EXT-X-MEDIA}, {@code EXT-X-I-FRAME-STREAM-INF}, {@code EXT-X-PART}, {@code EXT-X-PRELOAD-HINT},
 * {@code EXT-X-RENDITION-REPORT}, {@code EXT-X-SESSION-KEY}, …). Only relative references are rewritten
 * (RFC 3986 §4.2: no scheme, not {@code //host}), so a token never leaks to another host, nor into
 * {@code skd://} or {@code data:} URIs. URIs that already have a {@code token} parameter are left alone.
 *
 * <p>Only query tokens are propagated: a client that authenticates with {@code Authorization: Bearer} or the
 * cookie sends them with every request already, and copying them into URLs would only spread them.
 *
 * <p><b>Caching.</b> The rewritten playlist is a new resource with its own content-derived ETag (so ETags
 * differ per token and a 304 is only ever given for the caller's own version), and the origin marks it
 * {@code Cache-Control: private}: a CDN must not hand one viewer's playlist, token included, to another.
 * Segments are not rewritten and stay {@code public, immutable}: a CDN may cache them with the token excluded
 * from its cache key while validating the token itself (or forwarding the check). The in-process segment
 * cache holds the unrewritten playlist, so rewriting costs one pass over the text per response.
 *
 * <p>DASH manifests are not rewritten yet ({@code TODO(#7)}: BaseURL / SegmentTemplate query parameters).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * OriginHandler origin = OriginHandler.builder(loader)
 *     .interceptor(AuthInterceptor.of(authorizer))
 *     .resourceTransform(TokenPropagation.queryToken())
 *     .build();
 * }</pre>
 */
public final class TokenPropagation implements ResourceTransform {
  private static final TokenPropagation QUERY_TOKEN = new TokenPropagation();
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private TokenPropagation() {}

  /** Propagates the {@code token} query parameter of playlist requests. */
  public static TokenPropagation queryToken() {
    return QUERY_TOKEN;
  }

  @Override
  public ServedResource transform(HttpRequest request, ServedResource resource) {
    ResourceKind kind = resource.key().kind();
    if (kind != ResourceKind.MULTIVARIANT && kind != ResourceKind.PLAYLIST) {
      return resource;
    }
    String token = AccessRequest.queryParameter(request.rawQuery(), AccessRequest.TOKEN_PARAMETER);
    if (token == null || token.isEmpty()) {
      return resource;
    }
    String text = new String(resource.body().toByteArray(), StandardCharsets.UTF_8);
    String rewritten = rewrite(text, token);
    if (rewritten.equals(text)) {
      return resource;
    }
    ServedResource.Builder b = ServedResource.builder(resource.key(),
            ByteSlice.wrap(rewritten.getBytes(StandardCharsets.UTF_8)))
        .contentType(resource.contentType())
        .live(resource.live())
        .targetDuration(resource.targetDuration());
    if (resource.maxAge() != null) {
      b.maxAge(resource.maxAge());
    }
    return b.build(); // etag: content-derived, so it differs per token
  }

  /**
   * Appends {@code token} (percent-encoded as needed) to every relative URI of an HLS playlist, as described
   * on the class. Line endings are kept.
   */
  public static String rewrite(String playlist, String token) {
    String parameter = AccessRequest.TOKEN_PARAMETER + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(playlist.length() + 64);
    int start = 0;
    while (start < playlist.length()) {
      int end = playlist.indexOf('\n', start);
      int next = end < 0 ? playlist.length() : end + 1;
      int contentEnd = end < 0 ? playlist.length() : end;
      if (contentEnd > start && playlist.charAt(contentEnd - 1) == '\r') {
        contentEnd--;
      }
      String line = playlist.substring(start, contentEnd);
      out.append(rewriteLine(line, parameter)).append(playlist, contentEnd, next);
      start = next;
    }
    return out.toString();
  }

  private static String rewriteLine(String line, String parameter) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return line;
    }
    if (trimmed.startsWith("#")) {
      return trimmed.startsWith("#EXT") ? rewriteUriAttributes(line, parameter) : line; // other '#': comments
    }
    return withParameter(line, parameter); // RFC 8216 §4.1: a URI line
  }

  /** Rewrites each {@code URI="…"} attribute (RFC 8216 §4.2: quoted-string, no '"' inside). */
  private static String rewriteUriAttributes(String line, String parameter) {
    StringBuilder out = null;
    int from = 0;
    int at;
    while ((at = line.indexOf("URI=\"", from)) >= 0) {
      int valueStart = at + 5;
      int valueEnd = line.indexOf('"', valueStart);
      if (valueEnd < 0) {
        break; // unterminated: leave the rest alone
      }
      if (out == null) {
        out = new StringBuilder(line.length() + 64);
      }
      boolean attributeStart = at > 0 && (line.charAt(at - 1) == ':' || line.charAt(at - 1) == ',');
      String value = line.substring(valueStart, valueEnd);
      out.append(line, from, valueStart).append(attributeStart ? withParameter(value, parameter) : value).append('"');
      from = valueEnd + 1;
    }
    if (out == null) {
      return line;
    }
    out.append(line, from, line.length());
    return out.toString();
  }

  private static String withParameter(String uri, String parameter) {
    String trimmed = uri.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("//") || SCHEME.matcher(trimmed).find()) {
      return uri; // absolute: another host or scheme never gets the token
    }
    int hash = trimmed.indexOf('#');
    String fragment = hash < 0 ? "" : trimmed.substring(hash);
    String base = hash < 0 ? trimmed : trimmed.substring(0, hash);
    int question = base.indexOf('?');
    if (question >= 0 && AccessRequest.queryParameter(base.substring(question + 1),
        AccessRequest.TOKEN_PARAMETER) != null) {
      return uri;
    }
    return base + (question < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&") + parameter + fragment;
  }
}
