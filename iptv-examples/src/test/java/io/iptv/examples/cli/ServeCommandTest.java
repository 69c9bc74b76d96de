package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code iptv serve} run in-process through {@link IptvCommand#execute}, as the CLI runs it. */
class ServeCommandTest {
  private static final String MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nv/index.m3u8\n";
  private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"nio", "jdk"})
  void servesADirectoryUntilInterrupted(String server) throws Exception {
    Files.writeString(dir.resolve("master.m3u8"), MASTER);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command = new Thread(() -> exit.set(IptvCommand.execute(
        new String[] {"serve", "--port", "0", "--server", server, "--dir", "ch=" + dir}, new PrintWriter(out), new PrintWriter(err))));
    command.start();
    int port = awaitPort(out, err);
    HttpClient client = HttpClient.newHttpClient();
    URI master = URI.create("http://127.0.0.1:" + port + "/ch/master.m3u8");
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(master).build(), BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals(MASTER, response.body());
    assertEquals("application/vnd.apple.mpegurl", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("public, max-age=300", response.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(response.headers().firstValue("ETag").isPresent());
    assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ch/seg-1.ts"))
        .build(), BodyHandlers.discarding()).statusCode());

    command.interrupt();
    command.join(10_000);
    assertFalse(command.isAlive(), "serve stops when interrupted");
    assertEquals(0, exit.get());
    assertEquals("", err.toString());
    // Bounded: on a shared machine another process may bind the freed ephemeral port and never answer
    // (seen as a 20-minute hang); a refused connection or a timeout both show that this server is gone.
    IOException gone = assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(master)
        .timeout(java.time.Duration.ofSeconds(5)).build(), BodyHandlers.discarding()), "the port is closed");
    assertTrue(gone instanceof ConnectException || gone instanceof java.net.http.HttpTimeoutException, gone.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "jdk"})
  void servesClearKeyLicencesAndKeyFilesWithCors(String server) throws Exception {
    String kid = "00112233445566778899aabbccddeeff";
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread command = new Thread(() -> IptvCommand.execute(new String[] {"serve", "--port", "0", "--server", server,
        "--cors", "--dir", "ch=" + dir, "--key", kid + ":000102030405060708090a0b0c0d0e0f"}, new PrintWriter(out),
        new PrintWriter(err)));
    command.start();
    try {
      int port = awaitPort(out, err);
      HttpClient client = HttpClient.newHttpClient();
      URI license = URI.create("http://127.0.0.1:" + port + "/license/clearkey");
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(license)
          .header("Origin", "http://player.example").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"kids\":[\"ABEiM0RVZneImaq7zN3u_w\"],\"type\":\"temporary\"}"))
          .build(), BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      // base64url of the KID and of the key 000102…0f, computed by hand
      assertEquals("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAECAwQFBgcICQoLDA0ODw\",\"kid\":\"ABEiM0RVZneImaq7zN3u_w\"}],"
          + "\"type\":\"temporary\"}", response.body());
      assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
      assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
      HttpResponse<byte[]> key = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/ch/keys/" + kid + ".key")).build(), BodyHandlers.ofByteArray());
      assertEquals(200, key.statusCode());
      assertEquals(16, key.body().length);
      assertEquals(400, client.send(HttpRequest.newBuilder(license).POST(HttpRequest.BodyPublishers.ofString("{"))
          .build(), BodyHandlers.discarding()).statusCode());
    } finally {
      command.interrupt();
      command.join(10_000);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "serve --port x --dir ch=.",
      "serve --dir ch=.",
      "serve --port 0",
      "serve --port 70000 --dir ch=.",
      "serve --port 0 --dir ch=/nonexistent-iptv-dir",
      "serve --port 0 --dir =.",
      "serve --port 0 --dir license=.",
      "serve --port 0 --dir ch=. --dir ch=.",
      "serve --port 0 --upstream ch=ftp://x/",
      "serve --port 0 --dir ch=. --cache-bytes 10",
      "serve --port 0 --dir ch=. --bogus",
      "serve --port 0 --dir ch=. --server tomcat",
      "serve --port 0 --dir ch=. --key 00",
      "serve --port 0 --dir ch=. --key-seed 0011",
      "serve --port 0 --dir ch=. --key-seed 00112233445566778899aabbccddeeff --key "
          + "00112233445566778899aabbccddeeff:000102030405060708090a0b0c0d0e0f",
  })
  void badFlagsExitTwoWithOneLine(String args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.split(" "), new PrintWriter(out), new PrintWriter(err));
    assertEquals(2, code, args + ": " + err);
    String message = err.toString();
    assertTrue(message.startsWith("serve: "), message);
    assertEquals(1, message.lines().count(), "one line: " + message);
    assertEquals("", out.toString());
  }

  private static int awaitPort(StringWriter out, StringWriter err) throws InterruptedException, IOException {
    for (int i = 0; i < 200; i++) {
      Matcher m = SERVING.matcher(out.toString());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!err.toString().isEmpty()) {
        throw new IOException("serve failed: " + err);
      }
      Thread.sleep(50);
    }
    throw new IOException("serve did not start: " + out + err);
  }
}
