package io.iptv.core.auth;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.ResourceKind;
import io.iptv.core.serve.ResourceTransform;
import io.iptv.core.serve.ServedResource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token propagation: every URL the origin writes into an HLS playlist or a DASH MPD carries the caller's token, so players
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
 * <p>A DASH MPD ({@code manifest.mpd}, ISO/IEC 23009-1) requested with a token gets it appended to every URL
 * the library writes there: the {@code media}, {@code initialization}, {@code index} and {@code sourceURL}
 * attributes ({@code SegmentTemplate} §5.3.9.4, {@code SegmentURL} §5.3.9.3, {@code Initialization}
 * §5.3.9.5), the text of {@code BaseURL} elements (§5.6) and the {@code value} of an {@code http-*}
 * {@code UTCTiming} (§5.8.5.7). The same relative-only rule applies; XML entities are decoded before and
 * re-encoded after the rewrite, so {@code &token=} is written {@code &amp;token=}. The token, percent-encoded,
 * never contains {@code $}, so {@code $Number$}/{@code $Time$} templates stay intact. A BaseURL makes the
 * URLs below it resolve against it, and the query of a BaseURL is not carried into them (RFC 3986 §5.2.2), so
 * both carry the token.
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
  /**
   * URLs in an MPD: (1) a URL attribute ({@code media}, {@code initialization}, {@code index},
   * {@code sourceURL}) in double quotes, (2) the text of a {@code BaseURL} element, (3) the {@code value} of a
   * {@code UTCTiming} element.
   */
  private static final Pattern MPD_URL = Pattern.compile(
      "\\s(?:media|initialization|index|sourceURL)\\s*=\\s*\"([^\"]*)\""
      + "|<BaseURL(?:\\s[^>]*)?>\\s*([^<]*?)\\s*</BaseURL>"
      + "|<UTCTiming\\s[^>]*?value\\s*=\\s*\"([^\"]*)\"[^>]*>");

  private TokenPropagation() {}

  /** Propagates the {@code token} query parameter of playlist requests. */
  public static TokenPropagation queryToken() {
    return QUERY_TOKEN;
  }

  @Override
  public ServedResource transform(HttpRequest request, ServedResource resource) {
    ResourceKind kind = resource.key().kind();
    if (kind != ResourceKind.MULTIVARIANT && kind != ResourceKind.PLAYLIST && kind != ResourceKind.MANIFEST) {
      return resource;
    }
    String token = AccessRequest.queryParameter(request.rawQuery(), AccessRequest.TOKEN_PARAMETER);
    if (token == null || token.isEmpty()) {
      return resource;
    }
    String text = new String(resource.body().toByteArray(), StandardCharsets.UTF_8);
    String rewritten = kind == ResourceKind.MANIFEST ? rewriteMpd(text, token) : rewrite(text, token);
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

  /**
   * Appends {@code token} (percent-encoded as needed) to every relative URL of a DASH MPD, as described on the
   * class. Everything else is kept byte for byte.
   */
  public static String rewriteMpd(String mpd, String token) {
    String parameter = AccessRequest.TOKEN_PARAMETER + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(mpd.length() + 256);
    int from = 0;
    Matcher m = MPD_URL.matcher(mpd);
    while (m.find()) {
      int group = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
      if (group == 3 && !m.group(0).contains("urn:mpeg:dash:utc:http-")) {
        continue; // direct / ntp / sntp UTCTiming: the value is a time or a host, not a URL
      }
      String value = xmlUnescape(m.group(group));
      String rewritten = withParameter(value, parameter);
      out.append(mpd, from, m.start(group)).append(rewritten.equals(value) ? m.group(group) : xmlEscape(rewritten));
      from = m.end(group);
    }
    out.append(mpd, from, mpd.length());
    return out.toString();
  }

  private static String xmlUnescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
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
