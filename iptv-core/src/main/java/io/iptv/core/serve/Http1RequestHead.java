package io.iptv.core.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed head of one HTTP/1.1 request (RFC 9112 §2–§6), as {@link NioHttpServerAdapter} reads it: request
 * line, header fields and the framing decisions taken from them. A malformed head is not an exception but a
 * head with an {@link #errorStatus()}.
 *
 * <p>Strict on purpose (request smuggling, RFC 9112 §6.3 and §11.2): {@code Transfer-Encoding} is refused (501),
 * conflicting {@code Content-Length} values, whitespace before a colon, obsolete line folding and a missing or
 * repeated {@code Host} (HTTP/1.1) are 400, only origin-form targets are accepted.
 *
 * <p>Not thread-safe; one instance per parsed request.
 *
 * <pre>{@code
 * Http1RequestHead head = Http1RequestHead.parse(bytes, 0, headEnd);
 * if (head.errorStatus() != 0) { ... answer and close ... }
 * }</pre>
 */
final class Http1RequestHead implements RequestHeaders {
  String method;
  String rawPath;
  String rawQuery;
  boolean http10;
  long contentLength;
  boolean close;
  int errorStatus;
  String errorMessage;
  int requestLineBytes;
  int headerBytes;
  private final List<String> names = new ArrayList<>(12);
  private final List<String> values = new ArrayList<>(12);

  /**
   * Parses {@code bytes[from, end)}, which ends with the empty line ({@code CRLF CRLF}).
   */
  static Http1RequestHead parse(byte[] bytes, int from, int end) {
    Http1RequestHead head = new Http1RequestHead();
    int lineEnd = indexOfCrlf(bytes, from, end);
    head.requestLineBytes = lineEnd - from;
    if (!head.parseRequestLine(bytes, from, lineEnd)) {
      return head;
    }
    int at = lineEnd + 2;
    head.headerBytes = end - at;
    while (at < end - 2) {
      int eol = indexOfCrlf(bytes, at, end);
      if (!head.parseField(bytes, at, eol)) {
        return head;
      }
      at = eol + 2;
    }
    head.frame();
    return head;
  }

  /** 0 when the head is acceptable, else the status to answer with (then the connection closes). */
  int errorStatus() {
    return errorStatus;
  }

  @Override
  public String first(String name) {
    for (int i = 0, n = names.size(); i < n; i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  @Override
  public int sizeBytes() {
    return headerBytes;
  }

  private boolean parseRequestLine(byte[] b, int from, int end) {
    // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
    int sp1 = indexOf(b, (byte) ' ', from, end);
    int sp2 = sp1 < 0 ? -1 : indexOf(b, (byte) ' ', sp1 + 1, end);
    if (sp1 <= from || sp2 < 0 || sp2 == sp1 + 1 || indexOf(b, (byte) ' ', sp2 + 1, end) >= 0) {
      return fail(400, "bad request line");
    }
    for (int i = from; i < sp1; i++) {
      if (!isTokenChar(b[i])) {
        return fail(400, "bad method");
      }
    }
    method = ascii(b, from, sp1);
    String version = ascii(b, sp2 + 1, end);
    if (version.equals("HTTP/1.0")) {
      http10 = true;
    } else if (!version.equals("HTTP/1.1")) {
      return fail(version.startsWith("HTTP/") ? 505 : 400, "unsupported HTTP version");
    }
    if (b[sp1 + 1] != '/') {
      return fail(400, "only origin-form request targets"); // RFC 9112 §3.2.1
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      if (b[i] <= 0x20 || b[i] == 0x7F) {
        return fail(400, "bad request target");
      }
    }
    int question = indexOf(b, (byte) '?', sp1 + 1, sp2);
    rawPath = ascii(b, sp1 + 1, question < 0 ? sp2 : question);
    rawQuery = question < 0 ? null : ascii(b, question + 1, sp2);
    return true;
  }

  private boolean parseField(byte[] b, int from, int end) {
    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
    if (b[from] == ' ' || b[from] == '\t') {
      return fail(400, "obsolete line folding"); // RFC 9112 §5.2
    }
    int colon = indexOf(b, (byte) ':', from, end);
    if (colon <= from) {
      return fail(400, "bad header field");
    }
    for (int i = from; i < colon; i++) {
      if (!isTokenChar(b[i])) {
        return fail(400, "bad header field name"); // includes whitespace before the colon (§5.1)
      }
    }
    int valueFrom = colon + 1;
    int valueEnd = end;
    while (valueFrom < valueEnd && (b[valueFrom] == ' ' || b[valueFrom] == '\t')) {
      valueFrom++;
    }
    while (valueEnd > valueFrom && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
      valueEnd--;
    }
    for (int i = valueFrom; i < valueEnd; i++) {
      if ((b[i] < 0x20 && b[i] != '\t') || b[i] == 0x7F) {
        return fail(400, "control character in header field");
      }
    }
    names.add(ascii(b, from, colon));
    values.add(new String(b, valueFrom, valueEnd - valueFrom, StandardCharsets.ISO_8859_1));
    return true;
  }

  private void frame() {
    contentLength = 0;
    String length = null;
    int hosts = 0;
    for (int i = 0, n = names.size(); i < n; i++) {
      String name = names.get(i);
      if (name.equalsIgnoreCase("Host")) {
        hosts++;
      }
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        fail(501, "transfer codings are not supported");
        return;
      }
      if (name.equalsIgnoreCase("Content-Length")) {
        if (length != null && !length.equals(values.get(i))) {
          fail(400, "conflicting Content-Length");
          return;
        }
        length = values.get(i);
      }
    }
    if (hosts > 1 || hosts == 0 && !http10) {
      fail(400, "HTTP/1.1 needs exactly one Host"); // RFC 9112 §3.2
      return;
    }
    if (length != null) {
      if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
        fail(400, "bad Content-Length");
        return;
      }
      contentLength = Long.parseLong(length);
    }
    String connection = first("Connection");
    boolean keepAlive = connection != null && containsToken(connection, "keep-alive");
    close = connection != null && containsToken(connection, "close") || http10 && !keepAlive;
  }

  private boolean fail(int status, String message) {
    errorStatus = status;
    errorMessage = message;
    return false;
  }

  private static boolean containsToken(String list, String token) {
    for (String part : list.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTokenChar(byte c) {
    // tchar (RFC 9110 §5.6.2)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  static int indexOfCrlf(byte[] b, int from, int end) {
    for (int i = from; i + 1 < end; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return end;
  }

  private static int indexOf(byte[] b, byte value, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static String ascii(byte[] b, int from, int end) {
    return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
  }
}
