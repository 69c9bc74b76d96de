package io.iptv.core.serve;

import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 connection of {@link NioHttpServerAdapter}: reads a request head (and a bounded body), asks the
 * {@link OriginHandler}, writes the answer, and repeats on the same connection (keep-alive, pipelined requests
 * answered in order, one at a time).
 *
 * <p>Confined to its {@link NioEventLoop}'s thread; an asynchronous answer is handed back to that thread.
 */
final class NioConnection {
  private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());
  private static final int INITIAL_BUFFER = 2048;
  /** Largest body window handed to one socket write (the JDK copies it into a direct buffer first). */
  private static final int WRITE_WINDOW = 256 * 1024;

  private final NioEventLoop loop;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final OriginHandler origin;
  private final int maxHeadBytes;
  private byte[] in = new byte[INITIAL_BUFFER];
  private int inLength;
  private int scanned;
  /** Set while a request is being answered: no further reads until the answer is written. */
  private boolean busy;
  private boolean closeAfterWrite;
  private boolean processing;
  /** The request being answered is HTTP/1.0 with {@code Connection: keep-alive}. */
  private boolean keepAlive10;
  private ByteBuffer head;
  private ByteBuffer body;
  private final ByteBuffer[] gather = new ByteBuffer[2];
  long lastActivityNanos;
  /** When the first byte of a request not yet complete arrived, or 0. */
  long requestStartNanos;

  NioConnection(NioEventLoop loop, SocketChannel channel, SelectionKey key, OriginHandler origin, long now) {
    this.loop = loop;
    this.channel = channel;
    this.key = key;
    this.origin = origin;
    ServeLimits limits = origin.limits();
    this.maxHeadBytes = limits.maxRequestLineBytes() + limits.maxHeaderBytes() + 4;
    this.lastActivityNanos = now;
  }

  /** Whether the connection waits for a client (not for the origin, not writing). */
  boolean idle() {
    return !busy;
  }

  void onReadable(long now) throws IOException {
    if (inLength == in.length) {
      grow();
    }
    int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
    if (n < 0) {
      close();
      return;
    }
    if (n > 0) {
      lastActivityNanos = now;
      if (requestStartNanos == 0) {
        requestStartNanos = now;
      }
      inLength += n;
      processInput();
    }
  }

  void onWritable(long now) throws IOException {
    lastActivityNanos = now;
    flush();
  }

  /** Parses and answers the next complete request in the buffer, if any. */
  private void processInput() throws IOException {
    if (processing) {
      return; // called back from flush() inside this loop: the loop picks up the next request
    }
    processing = true;
    try {
      processRequests();
    } finally {
      processing = false;
    }
  }

  private void processRequests() throws IOException {
    while (!busy && inLength > 0 && channel.isOpen()) {
      int headEnd = findHeadEnd();
      if (headEnd < 0) {
        if (inLength >= maxHeadBytes) {
          int firstLine = Http1RequestHead.indexOfCrlf(in, 0, inLength);
          reject(firstLine >= inLength
              ? HttpResponse.text(414, "request line too long", List.of())
              : HttpResponse.text(431, "request header fields too large", List.of()));
        }
        return;
      }
      Http1RequestHead request = Http1RequestHead.parse(in, 0, headEnd);
      if (request.errorStatus() != 0) {
        reject(HttpResponse.text(request.errorStatus(), request.errorMessage, List.of()));
        return;
      }
      if (request.contentLength > origin.limits().maxBodyBytes()) {
        reject(HttpResponse.text(413, "request body too large", List.of()));
        return;
      }
      int bodyLength = (int) request.contentLength;
      if (inLength < headEnd + bodyLength) {
        ensureCapacity(headEnd + bodyLength);
        return; // wait for the rest of the body
      }
      ByteSlice requestBody = bodyLength == 0 ? ByteSlice.empty() : ByteSlice.copyOf(in, headEnd, bodyLength);
      consume(headEnd + bodyLength);
      HttpRequest originRequest = new HttpRequest(request.method, request.rawPath, request.rawQuery, request,
          remoteAddress(), false, requestBody);
      boolean close = request.close;
      keepAlive10 = request.http10 && !close;
      boolean head = request.method.equals("HEAD");
      busy = true;
      key.interestOps(0);
      CompletableFuture<HttpResponse> answer = origin.handle(originRequest);
      if (answer.isDone() && !answer.isCompletedExceptionally()) {
        respond(answer.join(), close, head); // cache hit: answered on this thread at once
      } else {
        answer.whenComplete((response, error) -> loop.execute(() -> {
          HttpResponse r = error == null ? response : HttpResponse.text(500, "internal error", List.of());
          try {
            respond(r, close, head);
          } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot send response", e);
            close();
          }
        }));
      }
    }
  }

  /** Answers a request the origin never saw (framing errors), then closes: the stream cannot be trusted. */
  private void reject(HttpResponse response) throws IOException {
    busy = true;
    keepAlive10 = false;
    key.interestOps(0);
    inLength = 0;
    scanned = 0;
    respond(response, true, false);
  }

  private void respond(HttpResponse response, boolean close, boolean headRequest) throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    closeAfterWrite = close;
    head = ByteBuffer.wrap(encodeHead(response, close, headRequest));
    ByteSlice payload = response.sendBody() && !headRequest ? response.body() : ByteSlice.empty();
    body = payload.isEmpty() ? null : loop.directBodies().bufferFor(payload);
    flush();
  }

  private void flush() throws IOException {
    while (head.hasRemaining() || body != null && body.hasRemaining()) {
      long written;
      if (body == null) {
        written = channel.write(head);
      } else {
        int end = body.capacity();
        if (!body.isDirect()) { // the JDK copies a heap window into a direct buffer per write: keep it bounded
          body.limit(Math.min(end, body.position() + WRITE_WINDOW));
        }
        if (head.hasRemaining()) {
          gather[0] = head;
          gather[1] = body;
          written = channel.write(gather); // one writev: small answers leave in one segment
        } else {
          written = channel.write(body);
        }
        body.limit(end);
      }
      if (written == 0) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
    }
    head = null;
    body = null;
    gather[0] = null;
    gather[1] = null;
    if (closeAfterWrite) {
      close();
      return;
    }
    busy = false;
    requestStartNanos = inLength > 0 ? lastActivityNanos : 0;
    key.interestOps(SelectionKey.OP_READ);
    processInput(); // a pipelined request may already be buffered
  }

  private byte[] encodeHead(HttpResponse response, boolean close, boolean headRequest) {
    StringBuilder s = new StringBuilder(256);
    s.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
    s.append("Date: ").append(loop.httpDate()).append("\r\n");
    List<HttpResponse.Header> headers = response.headers();
    for (int i = 0, n = headers.size(); i < n; i++) {
      HttpResponse.Header h = headers.get(i);
      s.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    int status = response.status();
    if (status != 204 && status != 304 && status >= 200) {
      // RFC 9110 §8.6: HEAD announces the length a GET would send.
      long length = response.contentLength() >= 0 ? response.contentLength() : 0;
      s.append("Content-Length: ").append(headRequest || !response.sendBody() ? length : response.body().length())
          .append("\r\n");
    }
    if (close) {
      s.append("Connection: close\r\n");
    } else if (keepAlive10) {
      s.append("Connection: keep-alive\r\n"); // HTTP/1.0 clients assume close otherwise (RFC 9112 §9.3)
    }
    s.append("\r\n");
    return s.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private int findHeadEnd() {
    for (int i = Math.max(0, scanned - 3); i + 3 < inLength; i++) {
      if (in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\r' && in[i + 3] == '\n') {
        return i + 4;
      }
    }
    scanned = inLength;
    return -1;
  }

  private void consume(int count) {
    System.arraycopy(in, count, in, 0, inLength - count);
    inLength -= count;
    scanned = 0;
  }

  private void grow() {
    ensureCapacity(Math.min(maxHeadBytes + origin.limits().maxBodyBytes(), in.length * 2));
  }

  private void ensureCapacity(int capacity) {
    if (capacity > in.length) {
      byte[] bigger = new byte[capacity];
      System.arraycopy(in, 0, bigger, 0, inLength);
      in = bigger;
    }
  }

  private java.net.InetSocketAddress remoteAddress() {
    try {
      return (java.net.InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  void close() {
    loop.forget(this);
    key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "close failed", e);
    }
  }

  static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 204: return "No Content";
      case 206: return "Partial Content";
      case 304: return "Not Modified";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 413: return "Content Too Large";
      case 414: return "URI Too Long";
      case 416: return "Range Not Satisfiable";
      case 431: return "Request Header Fields Too Large";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 503: return "Service Unavailable";
      case 505: return "HTTP Version Not Supported";
      default: return "Status";
    }
  }
}
