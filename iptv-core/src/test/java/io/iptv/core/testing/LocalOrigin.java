package io.iptv.core.testing;

import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.DirectoryResourceLoader;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves one packaged channel directory over HTTP on {@code 127.0.0.1} (ephemeral port) through the library's own
 * origin ({@link OriginHandler} + {@link DirectoryResourceLoader} + {@link JdkHttpServerAdapter}), with
 * {@code Access-Control-Allow-Origin: *} so that a browser page on another port may load it.
 *
 * <p>The layout is the origin's: {@code /{channel}/{name}}, e.g. {@code /clip/master.m3u8}, and names must pass
 * {@code ResourceKey.parse} (letters, digits, {@code . _ -}, no hidden files).
 *
 * <p>Thread-safe; {@link #close()} stops the server and its request threads.
 *
 * <pre>{@code
 * try (LocalOrigin origin = LocalOrigin.serve("clip", dir)) {
 *   PlayerCheck.assertPlays(PlayerCheck.Player.SHAKA, origin.url("master.m3u8"), 8);
 * }
 * }</pre>
 */
public final class LocalOrigin implements AutoCloseable {
  private final JdkHttpServerAdapter server;
  private final ExecutorService loaders;
  private final String channel;

  private LocalOrigin(JdkHttpServerAdapter server, ExecutorService loaders, String channel) {
    this.server = server;
    this.loaders = loaders;
    this.channel = channel;
  }

  /** Starts serving {@code directory} as {@code /channel/...}. */
  public static LocalOrigin serve(String channel, Path directory) {
    return start(channel, OriginHandler.builder(DirectoryResourceLoader.builder().channel(channel, directory).build())
        .cors(CorsPolicy.anyOrigin()));
  }

  /**
   * Starts serving {@code directory} as {@code /channel/...} and {@code licenseHandler} as
   * {@code POST /license/clearkey} ({@link #licenseUrl()}).
   */
  public static LocalOrigin serve(String channel, Path directory,
      Function<HttpRequest, CompletableFuture<HttpResponse>> licenseHandler) {
    return start(channel, OriginHandler.builder(DirectoryResourceLoader.builder().channel(channel, directory).build())
        .cors(CorsPolicy.anyOrigin())
        .licenseHandler(licenseHandler));
  }

  /**
   * Starts serving {@code directory} as {@code /channel/...} with {@code interceptor} in the origin's
   * interceptor slot (authorisation, or an endpoint answering some requests itself such as catch-up playlists).
   */
  public static LocalOrigin serve(String channel, Path directory, RequestInterceptor interceptor) {
    return start(channel, OriginHandler.builder(DirectoryResourceLoader.builder().channel(channel, directory).build())
        .cors(CorsPolicy.anyOrigin())
        .interceptor(interceptor));
  }

  private static LocalOrigin start(String channel, OriginHandler.Builder builder) {
    OriginHandler origin = builder.build();
    // File reads block: run them off the JDK server's single dispatcher thread (a player loads a playlist and
    // segments at the same time).
    ExecutorService loaders = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "local-origin");
      thread.setDaemon(true);
      return thread;
    });
    try {
      JdkHttpServerAdapter server = JdkHttpServerAdapter.builder(origin)
          .address(new InetSocketAddress("127.0.0.1", 0))
          .executor(loaders)
          .start();
      return new LocalOrigin(server, loaders, channel);
    } catch (IOException e) {
      loaders.shutdownNow();
      throw new UncheckedIOException("cannot start the local origin", e);
    }
  }

  /** The absolute URL of {@code name} in the channel, e.g. {@code http://127.0.0.1:40123/clip/master.m3u8}. */
  public String url(String name) {
    return "http://127.0.0.1:" + server.port() + "/" + channel + "/" + name;
  }

  /** The absolute URL of the ClearKey licence endpoint, {@code http://127.0.0.1:PORT/license/clearkey}. */
  public String licenseUrl() {
    return "http://127.0.0.1:" + server.port() + "/license/clearkey";
  }

  @Override
  public void close() {
    server.close();
    loaders.shutdownNow();
    try {
      loaders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
