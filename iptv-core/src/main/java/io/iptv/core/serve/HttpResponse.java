package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A server-independent HTTP response produced by {@link OriginHandler}; adapters copy it to their server.
 *
 * <p>{@link #headers()} never contains {@code Content-Length}: adapters derive it from
 * {@link #contentLength()}, which is the body length, or for HEAD the length a GET would have sent, or
 * {@code -1} for responses without content (304, 204).
 *
 * <p>Immutable.
 *
 * <pre>{@code
 * HttpResponse response = origin.handle(HttpRequest.get("/news/master.m3u8")).join();
 * response.status(); response.header("Cache-Control");
 * }</pre>
 *
 * @param status the status code
 * @param headers header fields in order
 * @param body the bytes to send (empty when {@code sendBody} is false)
 * @param sendBody whether a body is sent (false for HEAD, 304, 204)
 * @param contentLength the Content-Length to announce, or -1 for none
 */
public record HttpResponse(int status, List<Header> headers, ByteSlice body, boolean sendBody, long contentLength) {

  /** One header field. */
  public record Header(String name, String value) {
    /** Checks that neither part is null or contains CR/LF. */
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      Preconditions.requireArgument(name.indexOf('\r') < 0 && name.indexOf('\n') < 0
          && value.indexOf('\r') < 0 && value.indexOf('\n') < 0, "CR/LF in header %s", name);
    }
  }

  /** Copies the header list and checks the body rules. */
  public HttpResponse {
    Preconditions.requireArgument(status >= 100 && status <= 599, "bad status %s", status);
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
    Preconditions.requireArgument(sendBody ? contentLength == body.length() : body.isEmpty(),
        "contentLength %s does not match body %s (sendBody=%s)", contentLength, body.length(), sendBody);
  }

  /** A short plain-text response. */
  public static HttpResponse text(int status, String message, List<Header> headers) {
    ByteSlice body = ByteSlice.wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
    List<Header> all = new java.util.ArrayList<>(headers);
    all.add(0, new Header("Content-Type", "text/plain; charset=utf-8"));
    return new HttpResponse(status, all, body, true, body.length());
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  public String header(String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** This response without its body, as the answer to HEAD. */
  HttpResponse withoutBody() {
    return sendBody ? new HttpResponse(status, headers, ByteSlice.empty(), false, contentLength) : this;
  }
}
