package io.iptv.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The ceiling of {@code com.sun.net.httpserver}: a handler that answers constant bytes (a 300-byte playlist for
 * {@code .m3u8}, {@code SEGMENT_BYTES} zero bytes for anything else) on a pool of 8 threads, with TCP_NODELAY,
 * and no origin logic at all. Takes the {@code iptv serve} arguments so that
 * {@code benchmarks/scripts/serve-vs-nginx.sh} can run it in place of the real server:
 *
 * <pre>
 * IPTV_CMD="java -cp benchmarks/target/benchmarks.jar io.iptv.benchmarks.JdkHttpServerCeiling" \
 *   benchmarks/scripts/serve-vs-nginx.sh
 * </pre>
 */
public final class JdkHttpServerCeiling {
  private JdkHttpServerCeiling() {}

  /** {@code serve --port P [ignored...]}. */
  public static void main(String[] args) throws IOException {
    int port = 0;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      }
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] playlist = new byte[300];
    byte[] segment = new byte[Integer.parseInt(System.getenv().getOrDefault("SEGMENT_BYTES", "2621440"))];
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestURI().getPath().endsWith(".m3u8") ? playlist : segment;
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    System.out.println("serving http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }
}
