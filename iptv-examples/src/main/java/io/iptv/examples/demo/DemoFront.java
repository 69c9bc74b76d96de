package io.iptv.examples.demo;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.examples.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The demo's non-channel pages, in front of the origin: {@code /} (the player page with signed URLs),
 * {@code /status} (HTML, or JSON with {@code ?format=json} or {@code Accept: application/json}) and
 * {@code /webjars/…} (hls.js from its webjar on the classpath). Everything else belongs to the origin.
 *
 * <p>Thread-safe.
 */
final class DemoFront {
  /** Where webjars keep their files on the classpath (the Servlet 3 convention). */
  private static final String WEBJAR_ROOT = "META-INF/resources";
  private static final Pattern WEBJAR_PATH = Pattern.compile("/webjars/[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final String FALLBACK_HLS_JS_VERSION = "1.4.12";
  /** The hls.js version, read from the webjar's own Maven metadata (pinned in the root POM). */
  static final String HLS_JS_VERSION = webjarVersion("hls.js");
  /** The path of hls.js as served. */
  static final String HLS_JS_PATH = "/webjars/hls.js/" + HLS_JS_VERSION + "/dist/hls.min.js";

  private final DemoServer server;
  private final Map<String, ByteSlice> webjarFiles = new ConcurrentHashMap<>();

  DemoFront(DemoServer server) {
    this.server = server;
  }

  /** Whether {@code path} is one of the front's pages (else the origin answers). */
  static boolean handles(String path) {
    return path.equals("/") || path.equals("/index.html") || path.equals("/status") || path.startsWith("/webjars/");
  }

  HttpResponse handle(HttpRequest request) {
    boolean head = request.method().equals("HEAD");
    if (!head && !request.method().equals("GET")) {
      return HttpResponse.text(405, "method not allowed", List.of(new HttpResponse.Header("Allow", "GET, HEAD")));
    }
    String path = request.rawPath();
    HttpResponse response;
    if (path.equals("/") || path.equals("/index.html")) {
      response = ok("text/html; charset=utf-8", DemoPages.player(server, request), "no-store");
    } else if (path.equals("/status")) {
      String accept = request.headers().first("Accept");
      boolean json = "format=json".equals(request.rawQuery())
          || (accept != null && accept.contains("application/json") && !accept.contains("text/html"));
      response = json
          ? ok("application/json", Json.compact(server.status()), "no-store")
          : ok("text/html; charset=utf-8", DemoPages.status(server.status()), "no-store");
    } else {
      response = webjar(path);
    }
    return head ? new HttpResponse(response.status(), response.headers(), ByteSlice.empty(), false,
        response.contentLength()) : response;
  }

  private HttpResponse webjar(String path) {
    if (!WEBJAR_PATH.matcher(path).matches()) {
      return HttpResponse.text(404, "not found", List.of());
    }
    ByteSlice bytes = webjarFiles.computeIfAbsent(path, p -> {
      try (InputStream in = DemoFront.class.getClassLoader().getResourceAsStream(WEBJAR_ROOT + p)) {
        return in == null ? ByteSlice.empty() : ByteSlice.wrap(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (bytes.isEmpty()) {
      return HttpResponse.text(404, "not found", List.of());
    }
    String type = path.endsWith(".js") ? "text/javascript; charset=utf-8"
        : path.endsWith(".map") || path.endsWith(".json") ? "application/json" : "application/octet-stream";
    List<HttpResponse.Header> headers = new ArrayList<>();
    headers.add(new HttpResponse.Header("Content-Type", type));
    headers.add(new HttpResponse.Header("Cache-Control", "public, max-age=86400, immutable")); // versioned path
    return new HttpResponse(200, headers, bytes, true, bytes.length());
  }

  private static HttpResponse ok(String type, String body, String cacheControl) {
    ByteSlice bytes = ByteSlice.wrap(body.getBytes(StandardCharsets.UTF_8));
    List<HttpResponse.Header> headers = List.of(new HttpResponse.Header("Content-Type", type),
        new HttpResponse.Header("Cache-Control", cacheControl),
        new HttpResponse.Header("X-Content-Type-Options", "nosniff"));
    return new HttpResponse(200, headers, bytes, true, bytes.length());
  }

  private static String webjarVersion(String artifact) {
    String resource = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = DemoFront.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return FALLBACK_HLS_JS_VERSION; // metadata stripped by a repackager
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", FALLBACK_HLS_JS_VERSION);
    } catch (IOException e) {
      return FALLBACK_HLS_JS_VERSION;
    }
  }
}
