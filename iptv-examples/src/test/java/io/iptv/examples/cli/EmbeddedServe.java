package io.iptv.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code iptv serve …} run in-process on a thread of its own through {@link IptvCommand#execute}, as the CLI
 * runs it; {@link #close()} interrupts it (the embedded way to stop it) and waits for its exit code.
 *
 * <pre>{@code
 * try (EmbeddedServe serve = EmbeddedServe.start("serve", "--port", "0", "--channel", "x=udp://127.0.0.1:5000")) {
 *   URI master = URI.create(serve.baseUrl() + "x/master.m3u8");
 * }
 * }</pre>
 */
final class EmbeddedServe implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final Thread thread;
  private int port;

  private EmbeddedServe(String[] args) {
    thread = new Thread(() -> exit.set(IptvCommand.execute(args, new PrintWriter(out, true),
        new PrintWriter(err, true))), "embedded-serve");
  }

  /** Starts the command and waits (at most 10 s) for its "serving http://127.0.0.1:PORT/" line. */
  static EmbeddedServe start(String... args) throws InterruptedException {
    EmbeddedServe serve = new EmbeddedServe(args);
    serve.thread.start();
    for (int i = 0; i < 400; i++) {
      Matcher m = SERVING.matcher(serve.out.toString());
      if (m.find()) {
        serve.port = Integer.parseInt(m.group(1));
        return serve;
      }
      if (!serve.thread.isAlive()) {
        break;
      }
      Thread.sleep(25);
    }
    serve.close();
    throw new AssertionError("serve did not start: exit=" + serve.exit.get() + " out=" + serve.out + " err="
        + serve.err);
  }

  /** A UDP port on the loopback that was free a moment ago. */
  static int freeUdpPort() throws SocketException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** {@code http://127.0.0.1:PORT/}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** What the command printed so far. */
  String out() {
    return out.toString();
  }

  /** Interrupts the command, waits up to 20 s for it and returns its exit code (-1 if it did not stop). */
  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(20_000);
    return exit.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }
}
