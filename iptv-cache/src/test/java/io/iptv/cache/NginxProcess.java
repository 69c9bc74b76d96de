package io.iptv.cache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs nginx (Debian package {@code nginx}) in the foreground on a loopback port, as the invoking user, for
 * tests. Missing nginx fails the test when {@code CI=true}, otherwise skips it. {@link #close()} stops it.
 */
final class NginxProcess implements AutoCloseable {
  private final Process process;
  final int port;
  final Path prefix;

  private NginxProcess(Process process, int port, Path prefix) {
    this.process = process;
    this.port = port;
    this.prefix = prefix;
  }

  static Path binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail("nginx is required when CI=true (apt-get install -y nginx)");
    }
    Assumptions.abort("nginx not installed");
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts nginx with {@code httpBlock} (may use {@code __LISTEN__}) inside {@code http { }}. */
  static NginxProcess start(Path prefix, String httpBlock) throws IOException, InterruptedException {
    Path nginx = binary();
    int port = freePort();
    Files.createDirectories(prefix.resolve("logs"));
    String conf = "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + prefix.resolve("nginx.pid") + ";\n"
        + "error_log " + prefix.resolve("logs/error.log") + " warn;\n"
        + "events { worker_connections 256; }\n"
        + "http {\n  access_log off;\n  client_body_temp_path " + prefix.resolve("client_temp") + ";\n"
        + "  proxy_temp_path " + prefix.resolve("proxy_temp") + ";\n"
        + "  fastcgi_temp_path " + prefix.resolve("fastcgi_temp") + ";\n"
        + "  uwsgi_temp_path " + prefix.resolve("uwsgi_temp") + ";\n"
        + "  scgi_temp_path " + prefix.resolve("scgi_temp") + ";\n"
        + httpBlock.replace("__LISTEN__", "127.0.0.1:" + port) + "\n}\n";
    Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
    Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString())
        .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    NginxProcess running = new NginxProcess(process, port, prefix);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = Files.readString(prefix.resolve("logs/stdout.log"));
        Assertions.fail("nginx exited: " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return running;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    running.close();
    Assertions.fail("nginx did not start listening on " + port);
    return null;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: fast shutdown
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
