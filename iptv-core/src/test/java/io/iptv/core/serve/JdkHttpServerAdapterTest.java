package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDK adapter over real loopback sockets: bytes on the wire, bad requests, latency. */
class JdkHttpServerAdapterTest {
  private static final byte[] SEGMENT = new byte[2_500_000];
  private static ExecutorService pool;
  private static JdkHttpServerAdapter server;

  @BeforeAll
  static void start() throws IOException {
    new java.util.Random(1).nextBytes(SEGMENT);
    MapResourceLoader loader = new MapResourceLoader()
        .put("/news/index.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n")
        .put("/news/seg-1.ts", SEGMENT);
    pool = Executors.newFixedThreadPool(4);
    server = JdkHttpServerAdapter.builder(OriginHandler.builder(loader).build()).executor(pool).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    server.close(); // idempotent
    pool.shutdownNow();
  }

  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket(server.address().getAddress(), server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (SocketException e) {
        // the server may close while we are still writing an oversized request
      }
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          response.write(buffer, 0, n);
          if (response.size() > 0 && response.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            break;
          }
        }
      } catch (SocketException e) {
        // connection reset: no status line
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int statusOf(String response) {
    return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
  }

  private static String get(String target, String extraHeaders) throws IOException {
    return raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders + "\r\n");
  }

  @Test
  void servesSegmentBytes() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    var response = client.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/news/seg-1.ts")).build(), BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertArrayEquals(SEGMENT, response.body());
    assertEquals("video/mp2t", response.headers().firstValue("content-type").orElseThrow());
    var range = client.send(java.net.http.HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/news/seg-1.ts")).header("Range", "bytes=100-199")
        .build(), BodyHandlers.ofByteArray());
    assertEquals(206, range.statusCode());
    assertArrayEquals(Arrays.copyOfRange(SEGMENT, 100, 200), range.body());
  }

  @Test
  void headAnnouncesLengthWithoutBody() throws IOException {
    String response = raw("HEAD /news/seg-1.ts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(200, statusOf(response));
    assertTrue(response.toLowerCase().contains("content-length: 2500000"), response);
    assertTrue(response.endsWith("\r\n\r\n"), "no body after HEAD headers");
  }

  @Test
  void badRequestsGet4xxAndTheServerKeepsServing() throws IOException {
    assertEquals(400, statusOf(get("/news/../x/seg-1.ts", "")));
    assertEquals(400, statusOf(get("/news/%2e%2e/x/seg-1.ts", "")));
    assertEquals(400, statusOf(get("/news/..%2fx%2fseg-1.ts", "")));
    assertEquals(404, statusOf(get("/etc/passwd", "")));
    assertEquals(416, statusOf(get("/news/seg-1.ts", "Range: bytes=9999999-\r\n")));
    assertEquals(416, statusOf(get("/news/seg-1.ts", "Range: bytes=x-y\r\n")));
    assertEquals(431, statusOf(get("/news/seg-1.ts", "X-Big: " + "a".repeat(20_000) + "\r\n")));
    assertEquals(414, statusOf(get("/news/seg-1.ts?" + "a".repeat(10_000), "")));
    // Beyond the hard bound the JDK stops reading and drops the connection without an answer.
    String huge = get("/news/seg-1.ts", "X-Big: " + "a".repeat(1_000_000) + "\r\n");
    assertTrue(statusOf(huge) == -1 || statusOf(huge) >= 400, huge);
    assertEquals(405, statusOf(raw("PUT /news/seg-1.ts HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n")));
    assertEquals(200, statusOf(get("/news/index.m3u8", "")));
  }

  @Test
  void smallResponsesDoNotStallOnDelayedAck() throws IOException {
    // Keep-alive requests for a small playlist: with Nagle on (no TCP_NODELAY) each answer waits ~40 ms for the
    // client's delayed ACK between the header and body writes.
    try (Socket socket = new Socket(server.address().getAddress(), server.port())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long[] nanos = new long[40];
      byte[] buffer = new byte[4096];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        out.write("GET /news/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String response = "";
        while (!(response.contains("\r\n\r\n") && response.endsWith("seg-1.ts\n"))) {
          int n = in.read(buffer);
          assertTrue(n > 0, "connection closed");
          response += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        }
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      long medianMillis = nanos[nanos.length / 2] / 1_000_000;
      assertTrue(medianMillis < 20, "median small-response latency " + medianMillis + " ms");
    }
  }
}
