package io.iptv.examples.servlet;

import io.iptv.core.serve.DirectoryResourceLoader;
import io.iptv.core.serve.OriginHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An {@link OriginHandler} served by an embedded Jetty 12 through {@link OriginServlet}: how to put the origin
 * into an application that already runs a servlet container.
 *
 * <p>The connector's request header buffer is sized from the origin's {@code ServeLimits}, so Jetty itself cuts
 * off oversized requests. Not thread-safe to configure; the running server is.
 *
 * <pre>{@code
 * OriginHandler origin = OriginHandler.builder(DirectoryResourceLoader.builder().channel("news", dir).build()).build();
 * try (JettyOrigin jetty = JettyOrigin.start(origin, new InetSocketAddress("127.0.0.1", 8080), "/")) {
 *   // GET http://127.0.0.1:8080/news/master.m3u8
 * }
 * }</pre>
 *
 * <p>Run as a program: {@code java -cp iptv.jar io.iptv.examples.servlet.JettyOrigin PORT NAME=DIR...}.
 */
public final class JettyOrigin implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private JettyOrigin(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts Jetty on {@code address} with {@code origin} mapped at {@code contextPath} ({@code "/"} for the root).
   *
   * @throws Exception what Jetty's start throws (bind failures and the like)
   */
  public static JettyOrigin start(OriginHandler origin, InetSocketAddress address, String contextPath)
      throws Exception {
    Objects.requireNonNull(origin, "origin");
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(origin.limits().maxRequestLineBytes() + origin.limits().maxHeaderBytes());
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    ServletHolder holder = new ServletHolder("origin", new OriginServlet(origin));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    server.setHandler(context);
    server.start();
    return new JettyOrigin(server, connector);
  }

  /** The bound port (the actual one when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops Jetty; idempotent. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Serves {@code NAME=DIR} channels on 127.0.0.1:{@code PORT} until the JVM is stopped. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: JettyOrigin PORT NAME=DIR...");
      System.exit(2);
    }
    DirectoryResourceLoader.Builder directories = DirectoryResourceLoader.builder();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      directories.channel(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
    }
    OriginHandler origin = OriginHandler.builder(directories.build()).build();
    JettyOrigin jetty = start(origin, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), "/");
    System.out.println("serving http://127.0.0.1:" + jetty.port() + "/");
    jetty.server.join();
  }
}
