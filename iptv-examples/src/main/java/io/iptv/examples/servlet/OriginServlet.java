package io.iptv.examples.servlet;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Serves an {@link OriginHandler} from any Jakarta Servlet 6 container (Jetty 12, Tomcat 10.1, Undertow): the
 * servlet only copies the request in and the response out; every HTTP decision (paths, 304, ranges, CORS,
 * Cache-Control) is the origin's.
 *
 * <p><b>Async.</b> A response that is already complete (a segment cache hit) is written on the container thread
 * at once. Otherwise the request is put in async mode ({@link HttpServletRequest#startAsync()}) and the
 * container thread is released; the response is written, and the {@link AsyncContext} completed, on the thread
 * that completes the origin's future (the loader's executor). The servlet must therefore be registered with
 * {@code asyncSupported=true}.
 *
 * <p><b>Paths.</b> The origin sees the raw (not decoded) request URI minus the context path, so map the servlet
 * at {@code /*} of its context. Containers also normalise and reject some URIs (ambiguous encodings, {@code ..})
 * before the servlet runs; those answers are the container's.
 *
 * <p><b>Limits.</b> The request line and header limits of {@link OriginHandler#limits()} are checked by the origin
 * again, but the container's own buffers bound what is read (Jetty: {@code HttpConfiguration.setRequestHeaderSize});
 * a request body (licence POST only) is read blocking, bounded by {@code maxBodyBytes}.
 *
 * <p>Thread-safe; one instance serves all requests.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler("/");
 * ServletHolder holder = new ServletHolder(new OriginServlet(origin));
 * holder.setAsyncSupported(true);
 * context.addServlet(holder, "/*");
 * }</pre>
 */
public final class OriginServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(OriginServlet.class.getName());
  /** How long an async request may wait for the origin before the container answers it with an error. */
  private static final long ASYNC_TIMEOUT_MILLIS = 30_000;

  private final transient OriginHandler origin;

  /** A servlet answering every request with {@code origin}. */
  public OriginServlet(OriginHandler origin) {
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HttpRequest originRequest = toRequest(request);
    if (originRequest == null) {
      write(HttpResponse.text(413, "request body too large", List.of()), response);
      return;
    }
    CompletableFuture<HttpResponse> answer = origin.handle(originRequest);
    if (answer.isDone() && !answer.isCompletedExceptionally()) {
      write(answer.join(), response); // cache hit: no async dispatch
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(ASYNC_TIMEOUT_MILLIS);
    answer.whenComplete((result, error) -> {
      try {
        HttpServletResponse out = (HttpServletResponse) async.getResponse();
        write(error == null ? result : HttpResponse.text(500, "internal error", List.of()), out);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "cannot send response", e); // client gone, or the async timeout fired first
      } finally {
        try {
          async.complete();
        } catch (IllegalStateException alreadyCompleted) {
          LOG.log(Level.DEBUG, "async request already completed (timeout)", alreadyCompleted);
        }
      }
    });
  }

  private HttpRequest toRequest(HttpServletRequest request) throws IOException {
    String method = request.getMethod();
    ByteSlice body = ByteSlice.empty();
    if (method.equals("POST") || method.equals("PUT")) {
      int max = origin.limits().maxBodyBytes();
      if (request.getContentLengthLong() > max) {
        return null;
      }
      try (InputStream in = request.getInputStream()) {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
          return null;
        }
        body = ByteSlice.wrap(bytes);
      }
    }
    String rawPath = request.getRequestURI().substring(request.getContextPath().length());
    InetSocketAddress client = request.getRemoteAddr() == null ? null
        : InetSocketAddress.createUnresolved(request.getRemoteAddr(), request.getRemotePort());
    return new HttpRequest(method, rawPath.isEmpty() ? "/" : rawPath, request.getQueryString(),
        new ServletRequestHeaders(request), client, request.isSecure(), body);
  }

  /** Copies {@code answer} to the servlet response (status, headers, Content-Length, body). */
  static void write(HttpResponse answer, HttpServletResponse response) throws IOException {
    response.setStatus(answer.status());
    List<HttpResponse.Header> headers = answer.headers();
    for (int i = 0, n = headers.size(); i < n; i++) {
      HttpResponse.Header h = headers.get(i);
      if (h.name().equals("Content-Type")) {
        response.setContentType(h.value());
      } else {
        response.addHeader(h.name(), h.value());
      }
    }
    if (answer.contentLength() >= 0) {
      response.setContentLengthLong(answer.contentLength()); // HEAD: the length a GET would send
    }
    if (answer.sendBody() && !answer.body().isEmpty()) {
      OutputStream out = response.getOutputStream();
      answer.body().writeTo(out);
    }
  }
}
