package io.iptv.examples.servlet;

import io.iptv.core.serve.RequestHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * {@link RequestHeaders} over a servlet request's own header map: nothing is copied. Used by one request at a
 * time, on the container thread that received it.
 *
 * <pre>{@code
 * RequestHeaders headers = new ServletRequestHeaders(request);
 * headers.first("Range");
 * }</pre>
 */
final class ServletRequestHeaders implements RequestHeaders {
  private final HttpServletRequest request;
  private int sizeBytes = -1;

  ServletRequestHeaders(HttpServletRequest request) {
    this.request = request;
  }

  @Override
  public String first(String name) {
    return request.getHeader(name); // case-insensitive by the Servlet specification
  }

  @Override
  public int sizeBytes() {
    if (sizeBytes < 0) {
      int size = 0;
      for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
        String name = names.nextElement();
        for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
          String value = values.nextElement();
          size += name.length() + (value == null ? 0 : value.length()) + 4; // "name: value\r\n"
        }
      }
      sizeBytes = size;
    }
    return sizeBytes;
  }
}
