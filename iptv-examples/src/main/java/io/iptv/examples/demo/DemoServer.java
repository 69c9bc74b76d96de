package io.iptv.examples.demo;

import io.iptv.cache.CacheMetrics;
import io.iptv.cache.SegmentCache;
import io.iptv.core.MediaException;
import io.iptv.core.auth.AuthInterceptor;
import io.iptv.core.auth.HmacTokenAuthorizer;
import io.iptv.core.auth.TokenPropagation;
import io.iptv.core.auth.TokenSigner;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.serve.CachePolicy;
import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.LowLatencyServing;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.drm.Aes128SegmentEncryptor;
import io.iptv.drm.CencSampleEncryption;
import io.iptv.drm.ClearKeyLicenseHandler;
import io.iptv.drm.DerivedKeys;
import io.iptv.drm.KeyAccessPolicy;
import io.iptv.drm.KeyDeliveryHandler;
import io.iptv.drm.KeyLocator;
import io.iptv.drm.KeyProvider;
import io.iptv.drm.KeyRotation;
import io.iptv.segmenter.live.ChannelConfig;
import io.iptv.segmenter.live.LivePackager;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The demo origin: the bundled clip as a live channel (looped, real-time, sliding window) and a VOD title, for
 * each {@link DemoVariant}, served on {@code 127.0.0.1} through the library's public pieces: {@link SegmentCache}
 * over the channels' loaders, {@link OriginHandler} with {@link AuthInterceptor} ({@link HmacTokenAuthorizer},
 * signed URLs with a random per-run secret) and {@link TokenPropagation}; the {@link DemoVariant#AES_128}
 * channels are encrypted with {@link Aes128SegmentEncryptor} (keys derived from another per-run secret, rotated)
 * and their keys served by {@link KeyDeliveryHandler} at {@code /{channel}/keys/<kid>.key} only to a token the
 * authorizer allows for that KEY resource ({@link KeyAccessPolicy#authorizedBy}), and by the W3C ClearKey licence
 * endpoint {@code POST /license/clearkey} ({@link ClearKeyLicenseHandler}, which asks the same authorizer about
 * each key's KEY resource); a host route of the origin ({@link OriginHandler.Builder#route}) sends the player
 * page ({@code /}), {@code /status} and hls.js to {@link DemoFront}; {@link JdkHttpServerAdapter} listens. A last channel, {@value #LOW_LATENCY_CHANNEL},
 * is the live clip as Low-Latency HLS (CMAF parts of 500 ms, blocking playlist reload through
 * {@link LowLatencyServing}), served beside the cache. Another, {@value #INGEST_CHANNEL}, is fed like
 * {@code iptv serve --channel}: a simulated headend ({@link TsHeadend}) sends the looped clip as MPEG-TS over UDP
 * on the loopback interface to a {@link LivePackager} channel ({@link IngestChannel}), with a DVR window of
 * two minutes ({@code stream/dvr.m3u8}, {@code master-dvr.m3u8}); its {@code ChannelStatistics} show in
 * {@code /status}.
 *
 * <p>Threads: one scheduler thread feeds the live channels (and demuxes and packages the ingest channel), the
 * live packager's one UDP selector thread receives its datagrams, a small pool serves requests and cache loads; all
 * are daemon threads owned by this object. {@link #close()} stops everything and is idempotent.
 *
 * <pre>{@code
 * try (DemoServer demo = DemoServer.start(DemoServer.config().port(0).build())) {
 *   demo.baseUrl();                                // http://127.0.0.1:40123
 *   demo.signedMasterPath(demo.channels().get(0), null);
 * }
 * }</pre>
 */
public final class DemoServer implements AutoCloseable {
  /** The key id of the demo's signing secret. */
  static final String KID = "demo1";
  /** Segments per crypto period of the AES-128 channels. */
  static final int KEY_ROTATION_SEGMENTS = 3;
  /** The DASH manifest's name below a channel with {@link DemoVariant#dash()}. */
  static final String DASH_MANIFEST = "manifest.mpd";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The Low-Latency HLS live channel (clear, CMAF parts, blocking reload); served without the cache. */
  static final String LOW_LATENCY_CHANNEL = "live-ll";
  /** Its part target: PART-HOLD-BACK 1.5 s. */
  static final Duration PART_TARGET = Duration.ofMillis(500);
  /** The live channel fed as MPEG-TS over UDP through {@link LivePackager}. */
  static final String INGEST_CHANNEL = "live-ingest";
  /** The timeshift window of {@value #INGEST_CHANNEL}. */
  static final Duration DVR_WINDOW = Duration.ofMinutes(2);
  /** A bound on the memory of that window (about 12 MiB at the clip's bit rate). */
  private static final long DVR_MAX_BYTES = 32L << 20;

  private final Config config;
  private final List<DemoChannel> channels;
  private final List<LiveLoop> lives;
  private final LivePackager livePackager;
  private final IngestChannel ingest;
  private final SegmentCache cache;
  private final TokenSigner signer;
  private final OriginHandler origin;
  private final JdkHttpServerAdapter http;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService requests;
  private final long startNanos = System.nanoTime();
  private volatile boolean closed;

  private DemoServer(Config config, List<DemoChannel> channels, List<LiveLoop> lives, LivePackager livePackager,
      IngestChannel ingest, SegmentCache cache, TokenSigner signer, OriginHandler origin, JdkHttpServerAdapter http,
      ScheduledExecutorService scheduler, ExecutorService requests) {
    this.config = config;
    this.channels = List.copyOf(channels);
    this.lives = List.copyOf(lives);
    this.livePackager = livePackager;
    this.ingest = ingest;
    this.cache = cache;
    this.signer = signer;
    this.origin = origin;
    this.http = http;
    this.scheduler = scheduler;
    this.requests = requests;
  }

  /** A configuration builder with the defaults of {@code iptv demo}. */
  public static Config.Builder config() {
    return new Config.Builder();
  }

  /** Packages the channels, starts the live loops and listens. */
  public static DemoServer start(Config config) throws IOException {
    Objects.requireNonNull(config, "config");
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true"); // see JdkHttpServerAdapter
    }
    DemoClip clip = DemoClip.load();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("iptv-demo-live"));
    ExecutorService requests = Executors.newFixedThreadPool(config.threads, daemon("iptv-demo-http"));
    List<LiveLoop> lives = new ArrayList<>();
    // Demuxing/packaging tasks and timers of the ingest channel on the demo's scheduler; the UDP selector thread
    // (one for all UDP sources) from this factory.
    int listSize = (int) Math.max(6, Duration.ofSeconds(30).dividedBy(config.segmentDuration));
    LivePackager livePackager = LivePackager.builder().executor(scheduler).scheduler(scheduler)
        .threadFactory(daemon("iptv-demo-udp")).segmentDuration(config.segmentDuration).listSize(listSize).build();
    IngestChannel ingest = null;
    try {
      List<DemoChannel> channels = new ArrayList<>();
      Map<String, ResourceLoader> loaders = new LinkedHashMap<>();
      byte[] keySecret = new byte[32];
      RANDOM.nextBytes(keySecret); // per run: content keys are derived from it, never stored
      DerivedKeys keys = KeyProvider.derived(keySecret);
      for (DemoVariant variant : DemoVariant.values()) {
        String suffix = variant == DemoVariant.CLEAR ? "" : "-" + variant.id();
        // A 30 s window: a player that stalls (a busy machine) stays inside it instead of being pushed to the edge.
        LiveLoop live = LiveLoop.builder(clip).segmentDuration(config.segmentDuration)
            .listSize((int) Math.max(6, Duration.ofSeconds(30).dividedBy(config.segmentDuration)))
            .packaging(packaging(variant, "live" + suffix, keys)).build();
        lives.add(live);
        channels.add(new DemoChannel("live" + suffix, "Live: the demo clip looped", true, variant, live.loader(),
            live::status));
        VodTitle vod = VodTitle.of(clip, config.vodLoops, config.segmentDuration,
            packaging(variant, "vod" + suffix, keys));
        channels.add(new DemoChannel("vod" + suffix, "VOD: the demo clip " + config.vodLoops + " times", false,
            variant, vod.loader(), vod::status));
      }
      channels.forEach(c -> loaders.put(c.name(), c.loader()));
      // LL-HLS: a blocking reload must see each playlist version as written, so this channel bypasses the cache
      PlaylistUpdates updates = new PlaylistUpdates();
      LiveLoop lowLatency = LiveLoop.builder(clip).segmentDuration(config.segmentDuration)
          .listSize((int) Math.max(6, Duration.ofSeconds(30).dividedBy(config.segmentDuration)))
          .tick(Duration.ofMillis(20))
          .partTarget(PART_TARGET)
          .updates(updates, LOW_LATENCY_CHANNEL)
          .build();
      lives.add(lowLatency);
      channels.add(new DemoChannel(LOW_LATENCY_CHANNEL, "Live, Low-Latency HLS: CMAF parts, blocking reload", true,
          DemoVariant.CLEAR, lowLatency.loader(), lowLatency::status));
      List<String> keyedChannels = List.copyOf(loaders.keySet());
      // MPEG-TS over loopback UDP into LivePackager, as `iptv serve --channel live-ingest=udp://…` would take it
      ingest = IngestChannel.open(livePackager, INGEST_CHANNEL, ChannelConfig.builder()
          .endListOnClose(false) // the demo just stops
          .packagerOptions(b -> b.dvrWindow(DVR_WINDOW).dvrMaxBytes(DVR_MAX_BYTES))
          .build(), clip, config.segmentDuration.multipliedBy(Math.min(listSize, 6)));
      IngestChannel ingestChannel = ingest;
      channels.add(new DemoChannel(INGEST_CHANNEL, "Live ingest: the clip as MPEG-TS over UDP into LivePackager"
          + " (DVR " + DVR_WINDOW.toMinutes() + " min)", true, DemoVariant.CLEAR, livePackager, ingestChannel::status));
      loaders.put(INGEST_CHANNEL, livePackager);
      CachePolicy policy = CachePolicy.defaults();
      SegmentCache cache = SegmentCache.builder().maximumBytes(config.cacheBytes).cachePolicy(policy)
          .executor(requests).build(ResourceLoader.byChannel(loaders));
      ResourceLoader served = bypassingCache(cache, LOW_LATENCY_CHANNEL, lowLatency.loader());
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret); // per run: tokens of an earlier run are worthless
      TokenSigner signer = TokenSigner.builder().key(KID, secret).build();
      HmacTokenAuthorizer authorizer = HmacTokenAuthorizer.builder().secret(KID, secret)
          .maxClockSkew(Duration.ofSeconds(5)).build();
      // Keys are answered by the key handler, and only on the authorizer's explicit allow of the KEY
      // resource (a token covering the channel); everything else goes through AuthInterceptor, except the
      // licence endpoint, whose handler asks the authorizer about each key itself.
      RequestInterceptor keysThenAuth = KeyDeliveryHandler.builder(keys)
          .accessPolicy(KeyAccessPolicy.authorizedBy(authorizer))
          .build()
          .interceptor(AuthInterceptor.of(authorizer));
      ClearKeyLicenseHandler license = ClearKeyLicenseHandler.builder(
          KeyLocator.inChannels(keys, keyedChannels)).authorizer(authorizer).build();
      // the page and /status on the same listener, answered once the server exists (503 for a moment before)
      AtomicReference<DemoFront> front = new AtomicReference<>();
      OriginHandler origin = OriginHandler.builder(served)
          .route(DemoFront::handles, request -> CompletableFuture.completedFuture(front.get() == null
              ? HttpResponse.text(503, "starting", List.of(new HttpResponse.Header("Retry-After", "1")))
              : front.get().handle(request)))
          .cachePolicy(policy)
          .cors(CorsPolicy.anyOrigin()) // other players' pages (and the test harness) may load the channels
          .interceptor((request, key) -> key.kind() == ResourceKind.LICENSE ? null
              : keysThenAuth.intercept(request, key))
          .licenseHandler(license::handleAsync)
          .resourceTransform(TokenPropagation.queryToken())
          .executor(requests)
          .lowLatency(LowLatencyServing.builder(updates).executor(requests).build())
          .build();
      for (LiveLoop live : lives) {
        live.start(scheduler);
      }
      ingest.start(scheduler);
      for (LiveLoop live : lives) { // listed channels must answer from the first request on
        if (!live.awaitPlayable(Duration.ofSeconds(30))) {
          throw new IOException("a live channel did not start: " + live.status());
        }
      }
      if (!ingest.awaitPlayable(Duration.ofSeconds(30))) {
        throw new IOException("the ingest channel did not start: " + ingest.status());
      }
      JdkHttpServerAdapter http = JdkHttpServerAdapter.builder(origin)
          .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port)).executor(requests).start();
      DemoServer server = new DemoServer(config, channels, lives, livePackager, ingest, cache, signer, origin, http,
          scheduler, requests);
      front.set(new DemoFront(server));
      return server;
    } catch (MediaException e) {
      shutdown(lives, ingest, livePackager, scheduler, requests);
      throw new IOException("cannot package the demo clip: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      shutdown(lives, ingest, livePackager, scheduler, requests);
      throw e;
    } catch (InterruptedException e) {
      shutdown(lives, ingest, livePackager, scheduler, requests);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the live channels", e);
    }
  }

  /** {@code cache}, except for {@code channel}, which {@code direct} serves. */
  private static ResourceLoader bypassingCache(SegmentCache cache, String channel, ResourceLoader direct) {
    return new ResourceLoader() {
      @Override
      public ServedResource load(ResourceKey key) throws IOException {
        return key.channel().equals(channel) ? direct.load(key) : cache.load(key);
      }

      @Override
      public CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
        return key.channel().equals(channel) ? direct.loadAsync(key, executor) : cache.loadAsync(key, executor);
      }

      @Override
      public CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
          Executor executor) {
        return key.channel().equals(channel) ? direct.loadAsync(key, executor)
            : cache.revalidateAsync(key, stale, executor);
      }
    };
  }

  /**
   * How {@code channel} is packaged beyond the defaults: nothing for {@link DemoVariant#CLEAR}; CMAF segments
   * plus a DASH manifest for {@link DemoVariant#CMAF}; for {@link DemoVariant#AES_128} whole-segment encryption
   * with derived keys, rotated every {@value #KEY_ROTATION_SEGMENTS} segments, key URIs {@code keys/<kid>.key}
   * below the channel; for {@link DemoVariant#CBCS_CLEARKEY} CMAF {@code cbcs} with the same rotation, keys only
   * through the ClearKey licence.
   */
  private static Consumer<HlsPackager.Builder> packaging(DemoVariant variant, String channel, DerivedKeys keys) {
    return switch (variant) {
      case CLEAR -> b -> { };
      case CMAF -> b -> b.segmentFormat(SegmentFormat.FMP4).dashManifestName(DASH_MANIFEST);
      case AES_128 -> b -> b.segmentTransform(Aes128SegmentEncryptor.builder(keys).channel(channel)
          .rotation(KeyRotation.everySegments(KEY_ROTATION_SEGMENTS)).build());
      case CBCS_CLEARKEY -> b -> b.segmentFormat(SegmentFormat.FMP4).dashManifestName(DASH_MANIFEST)
          .sampleEncryption(CencSampleEncryption.builder(keys).scheme(SampleEncryptionScheme.CBCS).channel(channel)
              .identityKeyFormat(false)   // no key URI: keys only through the licence endpoint
              .clearKeyFormat(true)       // KEYFORMAT="org.w3.clearkey" with the KID (hls.js)
              .commonPssh(true)           // W3C Common PSSH in every fragment (EME 'encrypted'), this key + next
              .rotation(KeyRotation.everySegments(KEY_ROTATION_SEGMENTS))
              .build());
    };
  }

  /**
   * The DASH manifest path of {@code channel} with a fresh token (as {@link #signedMasterPath}), or
   * {@code null} if it has no DASH manifest.
   */
  public String signedManifestPath(DemoChannel channel, InetAddress client) {
    if (channel.manifestPath() == null) {
      return null;
    }
    String master = signedMasterPath(channel, client);
    return channel.manifestPath() + master.substring(master.indexOf('?'));
  }

  /**
   * The ClearKey licence path with a fresh token for {@code channel} (as {@link #signedMasterPath}), or
   * {@code null} if the channel needs no licence.
   */
  public String signedLicensePath(DemoChannel channel, InetAddress client) {
    if (!channel.variant().clearKeyLicense()) {
      return null;
    }
    String master = signedMasterPath(channel, client);
    return "/license/clearkey" + master.substring(master.indexOf('?'));
  }

  /**
   * The timeshift (DVR) multivariant playlist path of {@code channel} with a fresh token (as
   * {@link #signedMasterPath}), or {@code null} if it has no DVR window (only {@value #INGEST_CHANNEL} has).
   */
  public String signedDvrPath(DemoChannel channel, InetAddress client) {
    if (!channel.name().equals(INGEST_CHANNEL)) {
      return null;
    }
    String master = signedMasterPath(channel, client);
    return "/" + channel.name() + "/master-dvr.m3u8" + master.substring(master.indexOf('?'));
  }

  /** The channels, in page order. */
  public List<DemoChannel> channels() {
    return channels;
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://" + http.address().getAddress().getHostAddress() + ":" + port();
  }

  /** How long the page's tokens are valid. */
  public Duration tokenTtl() {
    return config.tokenTtl;
  }

  /**
   * The master playlist path of {@code channel} with a fresh token for the channel's prefix, bound to
   * {@code client} unless it is {@code null}.
   */
  public String signedMasterPath(DemoChannel channel, InetAddress client) {
    String prefix = "/" + channel.name() + "/";
    String token = client == null ? signer.sign(prefix, config.tokenTtl) : signer.sign(prefix, config.tokenTtl, client);
    return channel.masterPath() + "?token=" + token;
  }

  /** Channel, cache and auth statistics, as {@code /status} shows them. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("uptimeSeconds", (System.nanoTime() - startNanos) / 1_000_000_000L);
    List<Map<String, Object>> list = new ArrayList<>();
    for (DemoChannel channel : channels) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", channel.name());
      c.put("title", channel.title());
      c.put("type", channel.live() ? "live" : "vod");
      c.put("variant", channel.variant().id());
      if (channel.variant() == DemoVariant.AES_128) {
        c.put("keyRotationSegments", KEY_ROTATION_SEGMENTS);
      }
      c.put("master", channel.masterPath());
      if (channel.manifestPath() != null) {
        c.put("dash", channel.manifestPath());
      }
      if (channel.name().equals(INGEST_CHANNEL)) {
        c.put("dvr", "/" + channel.name() + "/master-dvr.m3u8");
        c.put("dvrWindowSeconds", DVR_WINDOW.toSeconds());
      }
      c.putAll(channel.status().get());
      list.add(c);
    }
    status.put("channels", list);
    CacheMetrics m = cache.metrics();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("maximumBytes", config.cacheBytes);
    c.put("weightedBytes", m.weightedBytes());
    c.put("entryCount", m.entryCount());
    c.put("hitCount", m.hitCount());
    c.put("missCount", m.missCount());
    c.put("hitRatio", m.hitRatio());
    c.put("loadSuccessCount", m.loadSuccessCount());
    c.put("loadFailureCount", m.loadFailureCount());
    c.put("evictionCount", m.evictionCount());
    c.put("averageLoadMillis", m.averageLoadTime().toNanos() / 1e6);
    status.put("cache", c);
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("scheme", HmacTokenAuthorizer.PROVIDER_NAME);
    auth.put("kid", signer.kid());
    auth.put("tokenTtlSeconds", config.tokenTtl.toSeconds());
    auth.put("clientBound", true);
    status.put("auth", auth);
    return status;
  }

  /** Stops listening, the live loops and the threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    shutdown(lives, ingest, livePackager, scheduler, requests);
  }

  private static void shutdown(List<LiveLoop> lives, IngestChannel ingest, LivePackager livePackager,
      ScheduledExecutorService scheduler, ExecutorService requests) {
    lives.forEach(LiveLoop::close);
    if (ingest != null) {
      ingest.close();
    }
    livePackager.close(); // before the scheduler stops: its channels finish on it
    scheduler.shutdownNow();
    requests.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
      requests.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * The demo's settings. Immutable.
   *
   * @param port the TCP port on 127.0.0.1 (0: any free port)
   * @param tokenTtl how long the page's signed URLs are valid
   * @param segmentDuration the segment duration of every channel (a multiple of the clip's 2 s GOP)
   * @param vodLoops how many times the VOD title repeats the clip
   * @param cacheBytes the segment cache's budget
   * @param threads request threads
   */
  public record Config(int port, Duration tokenTtl, Duration segmentDuration, int vodLoops, long cacheBytes,
      int threads) {
    /** Validates. */
    public Config {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      Objects.requireNonNull(tokenTtl, "tokenTtl");
      Objects.requireNonNull(segmentDuration, "segmentDuration");
      if (tokenTtl.compareTo(Duration.ofSeconds(10)) < 0) {
        throw new IllegalArgumentException("tokenTtl must be at least 10 s: " + tokenTtl);
      }
      if (vodLoops < 1 || cacheBytes < (1 << 20) || threads < 1) {
        throw new IllegalArgumentException("vodLoops, threads must be positive, cacheBytes at least 1 MiB");
      }
    }

    /** Builds a {@link Config}; unset values take the {@code iptv demo} defaults. Not thread-safe. */
    public static final class Builder {
      private int port = 8080;
      private Duration tokenTtl = Duration.ofMinutes(15);
      private Duration segmentDuration = Duration.ofSeconds(2);
      private int vodLoops = 3;
      private long cacheBytes = 64L << 20;
      private int threads = 8;

      Builder() {}

      /** TCP port (default 8080; 0 for any free port). */
      public Builder port(int value) {
        port = value;
        return this;
      }

      /** Validity of the page's signed URLs (default 15 min). */
      public Builder tokenTtl(Duration value) {
        tokenTtl = value;
        return this;
      }

      /** Segment duration (default 2 s). */
      public Builder segmentDuration(Duration value) {
        segmentDuration = value;
        return this;
      }

      /** Repetitions of the clip in the VOD title (default 3: 24 s). */
      public Builder vodLoops(int value) {
        vodLoops = value;
        return this;
      }

      /** Segment cache budget (default 64 MiB). */
      public Builder cacheBytes(long value) {
        cacheBytes = value;
        return this;
      }

      /** Request threads (default 8). */
      public Builder threads(int value) {
        threads = value;
        return this;
      }

      /** Builds the configuration. */
      public Config build() {
        return new Config(port, tokenTtl, segmentDuration, vodLoops, cacheBytes, threads);
      }
    }
  }
}
