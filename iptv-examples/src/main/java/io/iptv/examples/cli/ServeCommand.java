package io.iptv.examples.cli;

import io.iptv.cache.HttpOriginLoader;
import io.iptv.cache.SegmentCache;
import io.iptv.core.serve.CachePolicy;
import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.DirectoryResourceLoader;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.LowLatencyServing;
import io.iptv.core.serve.NioHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.drm.ClearKeyLicenseHandler;
import io.iptv.drm.ContentKey;
import io.iptv.drm.KeyAccessPolicy;
import io.iptv.drm.KeyDeliveryHandler;
import io.iptv.drm.KeyLocator;
import io.iptv.drm.KeyProvider;
import io.iptv.drm.KeyResolver;
import io.iptv.segmenter.dvr.CatchupEndpoint;
import io.iptv.segmenter.live.ChannelConfig;
import io.iptv.segmenter.live.LiveChannel;
import io.iptv.segmenter.live.LivePackager;
import io.iptv.segmenter.live.SourceUri;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iptv serve --port P [--host H] [--dir NAME=DIR …] [--upstream NAME=URL …] [--channel NAME=SOURCE …]
 * [--dvr DURATION [--dvr-max-bytes N]] [--low-latency [--part-target DURATION]] [--cache-bytes N]
 * [--server nio|jdk]}: serves packaged directories, live channels packaged from UDP/RTP
 * (unicast or multicast), HTTP or stdin sources ({@link LivePackager}), and/or acts as an edge for upstream
 * origins, through a
 * byte-bounded segment cache and the NIO event-loop server (or the JDK HTTP server). Binds 127.0.0.1 unless {@code --host} says otherwise. Runs until the JVM is stopped, or,
 * when run embedded ({@link IptvCommand#execute}), until the thread running it is interrupted.
 *
 * <p><b>Keys</b> ({@code --key KID:KEY} repeatable, or {@code --key-seed HEX} as for {@code iptv package}): the
 * W3C ClearKey licence endpoint {@code POST /license/clearkey} ({@link ClearKeyLicenseHandler}, looking the KID
 * up in every served channel) and the key files {@code /{channel}/keys/<kid>.key} ({@link KeyDeliveryHandler}).
 * This command has no authorisation options, so <em>any client that reaches the port gets the keys</em>: it is
 * meant for tests and demos on a trusted network (it binds 127.0.0.1 by default); embed the library with an
 * {@code Authorizer} ({@link ClearKeyLicenseHandler.Builder#authorizer}) to protect keys. With {@code --cors}
 * the licence answers carry CORS headers too (players call it cross-origin).
 *
 * <p><b>DVR</b> ({@code --dvr 2h}, human form or ISO-8601): every live channel keeps that much media behind the
 * live edge, bounded per rendition by {@code --dvr-max-bytes} (default {@value #DEFAULT_DVR_MAX_BYTES}: the
 * window lives in memory), and serves the timeshift playlists {@code /{channel}/master-dvr.m3u8} and
 * {@code /{channel}/stream/dvr.m3u8} and catch-up {@code /{channel}/stream/catchup.m3u8?start=ISO[&end=ISO]}
 * ({@link CatchupEndpoint}).
 *
 * <p><b>Low-Latency HLS</b> ({@code --low-latency [--part-target 500ms]}): live channels publish CMAF segments
 * cut into parts, and the origin answers blocking playlist reloads ({@code _HLS_msn}/{@code _HLS_part}),
 * preload-hinted part requests and delta updates ({@link LowLatencyServing}, woken by the packager through
 * {@link PlaylistUpdates}); live channels then bypass the segment cache, which would hide new playlist versions.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve packaged channels (--dir), live channels (--channel; --dvr, --low-latency) and/or"
        + " edge-cache upstream origins (--upstream) over HTTP.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, description = "TCP port (0: any free port).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--dir", paramLabel = "NAME=DIR", description = "Serve directory DIR as channel NAME.")
  List<String> dirs = new ArrayList<>();

  @Option(names = "--upstream", paramLabel = "NAME=URL",
      description = "Fetch channel NAME from the origin at URL (e.g. http://origin:8080/NAME/).")
  List<String> upstreams = new ArrayList<>();

  @Option(names = "--channel", paramLabel = "NAME=SOURCE",
      description = "Package the live MPEG-TS from SOURCE as channel NAME: udp://GROUP:PORT[?source=S&interface=I],"
          + " udp://:PORT, rtp://..., http(s)://..., or - for stdin.")
  List<String> liveChannels = new ArrayList<>();

  @Option(names = "--segment-duration", defaultValue = "4",
      description = "Live channels: target segment duration in seconds (default ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @Option(names = "--list-size", defaultValue = "6",
      description = "Live channels: segments in the live playlist (default ${DEFAULT-VALUE}).")
  int listSize;

  /** Default of {@code --dvr-max-bytes}: 512 MiB per rendition (about 14 min of a 5 Mbit/s stream). */
  static final long DEFAULT_DVR_MAX_BYTES = 512L << 20;

  /** Default of {@code --part-target} (RFC 8216bis §4.4.4.9 and hls.js work well with 0.3 to 1 s parts). */
  static final Duration DEFAULT_PART_TARGET = Duration.ofMillis(500);

  @Option(names = "--dvr", paramLabel = "DURATION",
      description = "Live channels: keep DURATION of media behind the live edge (2h, 90m, 1h30m or ISO-8601 PT2H;"
          + " 1s..30 days): /NAME/master-dvr.m3u8, /NAME/stream/dvr.m3u8 and catch-up"
          + " /NAME/stream/catchup.m3u8?start=ISO[&end=ISO].")
  String dvr;

  @Option(names = "--dvr-max-bytes", paramLabel = "N",
      description = "With --dvr: bound of each rendition's DVR window in bytes, held in memory; the oldest"
          + " segments leave first (default " + DEFAULT_DVR_MAX_BYTES + ").")
  Long dvrMaxBytes;

  @Option(names = "--low-latency",
      description = "Live channels: Low-Latency HLS (CMAF segments with parts, EXT-X-PART, preload hints,"
          + " blocking playlist reload with _HLS_msn/_HLS_part, delta updates).")
  boolean lowLatency;

  @Option(names = "--part-target", paramLabel = "DURATION",
      description = "With --low-latency: longest part (200ms..2s, shorter than --segment-duration; default 500ms).")
  String partTarget;

  @Option(names = "--cache-bytes", defaultValue = "268435456",
      description = "Segment cache budget in bytes (default ${DEFAULT-VALUE}).")
  long cacheBytes;

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads for loads, and for requests with --server jdk (default: 4 per core).")
  int threads;

  @Option(names = "--cors", description = "Send Access-Control-Allow-Origin: * (browser players).")
  boolean cors;

  @Option(names = "--key", paramLabel = "KID_HEX:KEY_HEX",
      description = "A content key to serve at POST /license/clearkey and /{channel}/keys/<kid>.key (repeatable;"
          + " no authorisation: every client gets it).")
  List<String> keys = new ArrayList<>();

  @Option(names = "--key-seed", paramLabel = "HEX",
      description = "Master secret of derived keys (as iptv package --key-seed) to serve instead of --key.")
  String keySeed;

  /** Which HTTP server runs the origin. */
  enum Server { nio, jdk }

  @Option(names = "--server", defaultValue = "nio",
      description = "HTTP server: nio (event loops, fastest) or jdk (com.sun.net.httpserver). Default ${DEFAULT-VALUE}.")
  Server server;

  @Spec
  CommandSpec spec;

  /** A started server; {@link #close()} stops it. */
  static final class Running implements AutoCloseable {
    final int port;
    final SegmentCache cache;
    private final Runnable stopServer;
    private final ExecutorService pool;

    Running(int port, Runnable stopServer, SegmentCache cache, ExecutorService pool) {
      this.port = port;
      this.stopServer = stopServer;
      this.cache = cache;
      this.pool = pool;
    }

    @Override
    public void close() {
      stopServer.run();
      pool.shutdownNow();
    }
  }

  @Override
  public Integer call() throws Exception {
    Running running = start();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("serving http://%s:%d/ (channels: %s)%s%n", host, running.port, channels(),
        liveChannels.isEmpty() ? "" : liveOptions().describe());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "iptv-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Embedded use (tests): interrupting the thread that runs the command stops the server.
      running.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Validates the options, builds the loaders, cache and origin, and starts listening. */
  Running start() throws BadInputException {
    if (dirs.isEmpty() && upstreams.isEmpty() && liveChannels.isEmpty()) {
      throw new BadInputException(
          "nothing to serve: give at least one --dir NAME=DIR, --upstream NAME=URL or --channel NAME=SOURCE");
    }
    if (port < 0 || port > 65535) {
      throw new BadInputException("--port must be in 0..65535: " + port);
    }
    if (cacheBytes < 1 << 20) {
      throw new BadInputException("--cache-bytes must be at least 1048576: " + cacheBytes);
    }
    if (threads < 0 || threads > 1024) {
      throw new BadInputException("--threads must be in 0..1024: " + threads);
    }
    Map<String, ResourceLoader> byChannel = new LinkedHashMap<>();
    DirectoryResourceLoader.Builder directories = DirectoryResourceLoader.builder();
    for (String spec : dirs) {
      String[] nameValue = split("--dir", spec, byChannel);
      Path dir = Path.of(nameValue[1]);
      if (!Files.isDirectory(dir)) {
        throw new BadInputException("--dir " + spec + ": not a directory");
      }
      directories.channel(nameValue[0], dir);
      byChannel.put(nameValue[0], null);
    }
    if (!dirs.isEmpty()) {
      DirectoryResourceLoader loader = directories.build();
      byChannel.replaceAll((name, value) -> loader);
    }
    if (!upstreams.isEmpty()) {
      HttpOriginLoader.Builder edge = HttpOriginLoader.builder();
      List<String> names = new ArrayList<>();
      for (String spec : upstreams) {
        String[] nameValue = split("--upstream", spec, byChannel);
        try {
          edge.upstream(nameValue[0], new URI(nameValue[1]));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new BadInputException("--upstream " + spec + ": not an http(s) URL");
        }
        names.add(nameValue[0]);
        byChannel.put(nameValue[0], null);
      }
      HttpOriginLoader loader = edge.build();
      names.forEach(name -> byChannel.put(name, loader));
    }
    KeyResolver resolver = keyResolver();
    LiveOptions liveOptions = liveOptions();
    PlaylistUpdates updates = lowLatency ? new PlaylistUpdates() : null;
    LivePackager live = liveChannels.isEmpty() ? null : startLiveChannels(byChannel, liveOptions, updates);
    int poolSize = threads > 0 ? threads : 4 * Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(poolSize);
    CachePolicy policy = CachePolicy.defaults();
    SegmentCache cache = SegmentCache.builder().maximumBytes(cacheBytes).cachePolicy(policy).executor(pool)
        .build(ResourceLoader.byChannel(byChannel));
    ResourceLoader served = cache;
    if (updates != null) {
      // A blocking reload must see every playlist version as written: live channels skip the cache.
      served = new CacheBypassLoader(cache, live.channels().stream().map(LiveChannel::name)
          .collect(Collectors.toSet()), live);
    }
    OriginHandler.Builder originBuilder = OriginHandler.builder(served).cachePolicy(policy)
        .cors(cors ? CorsPolicy.anyOrigin() : CorsPolicy.disabled());
    if (updates != null) {
      originBuilder.lowLatency(LowLatencyServing.builder(updates).executor(pool).build());
    }
    RequestInterceptor interceptor = null;
    if (resolver != null) {
      // No authorisation in this command (see the class comment): keys go to any client.
      ClearKeyLicenseHandler license = ClearKeyLicenseHandler.builder(
          KeyLocator.inChannels(resolver, List.copyOf(byChannel.keySet())))
          .accessPolicy(KeyAccessPolicy.allowAll()).build();
      KeyDeliveryHandler keyFiles = KeyDeliveryHandler.builder(resolver).accessPolicy(KeyAccessPolicy.allowAll())
          .build();
      originBuilder.licenseHandler(license::handleAsync);
      interceptor = keyFiles.interceptor(RequestInterceptor.allowAll());
    }
    if (liveOptions.dvrWindow() != null && live != null) {
      CatchupEndpoint.Builder catchup = CatchupEndpoint.builder()
          .next(interceptor != null ? interceptor : RequestInterceptor.allowAll());
      live.channels().forEach(c -> catchup.channel(c.name(), c.catchupPlaylists()));
      interceptor = catchup.build();
    }
    if (interceptor != null) {
      originBuilder.interceptor(interceptor);
    }
    OriginHandler origin = originBuilder.build();
    try {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (server == Server.jdk) {
        JdkHttpServerAdapter jdk = JdkHttpServerAdapter.builder(origin).address(address).executor(pool).start();
        return new Running(jdk.port(), () -> {
          jdk.close();
          closeLive(live);
        }, cache, pool);
      }
      // Cache hits are answered on the event loops; misses load on the pool (the cache's executor).
      NioHttpServerAdapter nio = NioHttpServerAdapter.builder(origin).address(address).start();
      return new Running(nio.port(), () -> {
        nio.close();
        closeLive(live);
      }, cache, pool);
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      closeLive(live);
      throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
  }

  /** The keys of {@code --key} / {@code --key-seed}, or null for none. Messages never contain key bytes. */
  private KeyResolver keyResolver() throws BadInputException {
    if (!keys.isEmpty() && keySeed != null) {
      throw new BadInputException("give either --key (repeatable) or --key-seed, not both");
    }
    try {
      if (keySeed != null) {
        if (!keySeed.matches("([0-9A-Fa-f]{2}){16,}")) {
          throw new BadInputException("--key-seed must be at least 32 hex digits (an even number)");
        }
        return KeyProvider.derived(HexFormat.of().parseHex(keySeed));
      }
      if (keys.isEmpty()) {
        return null;
      }
      ContentKey[] parsed = new ContentKey[keys.size()];
      for (int i = 0; i < parsed.length; i++) {
        parsed[i] = ContentKey.parse(keys.get(i));
      }
      return KeyProvider.fixed(parsed);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bad key: " + e.getMessage());
    }
  }

  /**
   * The validated --dvr and --low-latency settings of the live channels.
   *
   * @param dvrWindow the DVR window, or null for none
   * @param dvrMaxBytes the byte bound of each rendition's DVR window (with a window)
   * @param partTarget the LL-HLS part target, or null without --low-latency
   */
  record LiveOptions(Duration dvrWindow, long dvrMaxBytes, Duration partTarget) {
    /** The {@link HlsPackager.Builder} settings these options add to each channel. */
    Consumer<HlsPackager.Builder> packagerOptions() {
      return b -> {
        if (dvrWindow != null) {
          b.dvrWindow(dvrWindow).dvrMaxBytes(dvrMaxBytes);
        }
        if (partTarget != null) {
          b.partTarget(partTarget);
        }
      };
    }

    /** For the start-up line: {@code , DVR 2h (≤ N bytes per rendition), low latency (500ms parts)}. */
    String describe() {
      String out = "";
      if (dvrWindow != null) {
        out += ", DVR " + DurationOption.format(dvrWindow) + " (at most " + dvrMaxBytes + " bytes per rendition)";
      }
      if (partTarget != null) {
        out += ", low latency (" + DurationOption.format(partTarget) + " parts)";
      }
      return out;
    }
  }

  private LiveOptions liveOptions() throws BadInputException {
    if (dvrMaxBytes != null && dvr == null) {
      throw new BadInputException("--dvr-max-bytes needs --dvr");
    }
    if (partTarget != null && !lowLatency) {
      throw new BadInputException("--part-target needs --low-latency");
    }
    if ((dvr != null || lowLatency) && liveChannels.isEmpty()) {
      throw new BadInputException((dvr != null ? "--dvr" : "--low-latency")
          + " applies to live channels: give at least one --channel NAME=SOURCE");
    }
    Duration window = null;
    long maxBytes = dvrMaxBytes != null ? dvrMaxBytes : DEFAULT_DVR_MAX_BYTES;
    if (dvr != null) {
      window = DurationOption.parse("--dvr", dvr);
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(30)) > 0) {
        throw new BadInputException("--dvr " + dvr + ": must be in 1s..30 days");
      }
      if (maxBytes < 1 << 20) {
        throw new BadInputException("--dvr-max-bytes must be at least 1048576: " + maxBytes);
      }
    }
    Duration part = null;
    if (lowLatency) {
      part = partTarget != null ? DurationOption.parse("--part-target", partTarget) : DEFAULT_PART_TARGET;
      if (part.compareTo(Duration.ofMillis(200)) < 0 || part.compareTo(Duration.ofSeconds(2)) > 0) {
        throw new BadInputException("--part-target " + partTarget + ": must be in 200ms..2s");
      }
      if (part.toNanos() >= Math.round(segmentSeconds * 1e9)) {
        throw new BadInputException("--part-target " + DurationOption.format(part)
            + (partTarget == null ? " (the default)" : "") + " must be shorter than --segment-duration "
            + segmentSeconds + " s");
      }
    }
    return new LiveOptions(window, maxBytes, part);
  }

  /** Opens a live channel per --channel, each with its source attached; the packager routes their keys. */
  private LivePackager startLiveChannels(Map<String, ResourceLoader> byChannel, LiveOptions options,
      PlaylistUpdates updates) throws BadInputException {
    if (segmentSeconds < 0.5 || segmentSeconds > 60) {
      throw new BadInputException("--segment-duration must be in 0.5..60: " + segmentSeconds);
    }
    if (listSize < 3 || listSize > 10_000) {
      throw new BadInputException("--list-size must be in 3..10000: " + listSize);
    }
    List<String[]> specs = new ArrayList<>();
    List<SourceUri> sources = new ArrayList<>();
    for (String spec : liveChannels) {
      String[] nameValue = split("--channel", spec, byChannel);
      try {
        sources.add(SourceUri.parse(nameValue[1]));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--channel " + spec + ": " + e.getMessage());
      }
      byChannel.put(nameValue[0], null);
      specs.add(nameValue);
    }
    LivePackager.Builder liveBuilder = LivePackager.builder()
        .segmentDuration(Duration.ofMillis(Math.round(segmentSeconds * 1000)))
        .listSize(listSize);
    if (updates != null) {
      // LL-HLS parts are CMAF fragments (RFC 8216bis §4.4.4.9); each write wakes the origin's blocking reloads.
      liveBuilder.segmentFormat(SegmentFormat.FMP4).playlistUpdates(updates);
    }
    LivePackager live = liveBuilder.build();
    ChannelConfig config = ChannelConfig.builder().packagerOptions(options.packagerOptions()).build();
    for (int i = 0; i < specs.size(); i++) {
      String name = specs.get(i)[0];
      try {
        live.openChannel(name, config).attach(live.source(sources.get(i)));
      } catch (IllegalArgumentException | IllegalStateException e) {
        live.close();
        throw new BadInputException("--channel " + name + "=" + specs.get(i)[1] + ": " + e.getMessage());
      } catch (IOException e) {
        live.close();
        throw new BadInputException("--channel " + name + "=" + specs.get(i)[1] + ": " + e.getMessage());
      }
      byChannel.put(name, live);
    }
    return live;
  }

  private static void closeLive(LivePackager live) {
    if (live != null) {
      live.close();
    }
  }

  private String channels() {
    List<String> names = new ArrayList<>();
    liveChannels.forEach(c -> names.add(c.substring(0, c.indexOf('=')) + " (live " + c.substring(c.indexOf('=') + 1)
        + ")"));
    dirs.forEach(d -> names.add(d.substring(0, d.indexOf('='))));
    upstreams.forEach(u -> names.add(u.substring(0, u.indexOf('=')) + " (edge)"));
    return String.join(", ", names);
  }

  private static String[] split(String option, String spec, Map<String, ResourceLoader> seen)
      throws BadInputException {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new BadInputException(option + " " + spec + ": expected NAME=VALUE");
    }
    String name = spec.substring(0, eq);
    if (!name.matches("[A-Za-z0-9_-]{1,64}") || name.equals("license")) {
      throw new BadInputException(option + " " + spec + ": bad channel name (letters, digits, - and _)");
    }
    if (seen.containsKey(name)) {
      throw new BadInputException(option + " " + spec + ": channel " + name + " given twice");
    }
    return new String[] {name, spec.substring(eq + 1)};
  }
}
