package io.iptv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.cache.SegmentCache;
import io.iptv.core.media.TrackType;
import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.DirectoryResourceLoader;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import io.iptv.drm.ContentKey;
import io.iptv.drm.DerivedKeys;
import io.iptv.drm.EncryptAfterCacheLoader;
import io.iptv.drm.IvPolicy;
import io.iptv.drm.KeyAccessPolicy;
import io.iptv.drm.KeyDeliveryHandler;
import io.iptv.drm.KeyId;
import io.iptv.drm.KeyLocator;
import io.iptv.drm.KeyProvider;
import io.iptv.drm.KeyRequest;
import io.iptv.drm.KeyResolver;
import io.iptv.examples.cli.IptvCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AES-128 HLS end to end: {@code iptv package --encryption aes-128} output checked by independent tools (openssl
 * decrypts every segment to the clear packaging's bytes; ffmpeg decodes the encrypted HLS with zero errors) and
 * by real players (hls.js and Shaka in headless Chromium) fetching keys from {@link KeyDeliveryHandler} mounted
 * in the library's own origin; a wrong key fails, rotation every 2 segments plays through the key changes; the
 * same for fMP4 (CMAF) segments, whose init segment stays clear (EXT-X-MAP written before EXT-X-KEY).
 *
 * <p>Needs openssl, ffmpeg, and for the player tests node + Chromium + {@code npm ci --prefix test-tools/player}:
 * skipped without them, failed when {@code CI=true}.
 */
class Aes128HlsTest {
  private static final String CHANNEL = "clip";
  private static final String MASTER = "master.m3u8";
  private static final int CLIP_SECONDS = 12;
  private static final int PLAY_SECONDS = 8;
  private static final String KID = "0123456789abcdef0123456789abcdef";
  private static final String KEY = "3c1f0e2d4b5a69788796a5b4c3d2e1f0";
  private static final String SEED = "6d61737465722d7365637265742d31326d61737465722d736563";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  static Path work;
  private static Path source;

  @BeforeAll
  static void encodeSource() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    source = work.resolve("source.ts");
    // 2 s GOPs so that 2 s segments rotate keys every 4 s.
    run(ffmpeg, "-nostdin", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=" + CLIP_SECONDS,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + CLIP_SECONDS,
        "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-bf", "2", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", source.toString());
  }

  @Test
  void opensslDecryptsEverySegmentToTheClearPackagingBytes() throws Exception {
    String openssl = ExternalTools.requireOpenssl();
    Path clear = pack("clear");
    Path encrypted = pack("encrypted", "--encryption", "aes-128", "--key", KID + ":" + KEY);
    assertFalse(Files.exists(encrypted.resolve("keys")), "key files are not written without --write-keys");
    List<String> segments = segmentUris(encrypted.resolve("stream/index.m3u8"));
    assertTrue(segments.size() >= 3, segments.toString());
    assertEquals(segmentUris(clear.resolve("stream/index.m3u8")), segments);
    String playlist = Files.readString(encrypted.resolve("stream/index.m3u8"));
    assertTrue(playlist.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/" + KID + ".key\",KEYFORMAT=\"identity\""),
        playlist);
    for (int sequence = 0; sequence < segments.size(); sequence++) {
      Path in = encrypted.resolve("stream").resolve(segments.get(sequence));
      Path out = work.resolve("decrypted-" + sequence + ".ts");
      run(openssl, "aes-128-cbc", "-d", "-K", KEY, "-iv", HEX.formatHex(IvPolicy.mediaSequence().ivFor(sequence)),
          "-in", in.toString(), "-out", out.toString());
      byte[] expected = Files.readAllBytes(clear.resolve("stream").resolve(segments.get(sequence)));
      assertNotEquals(expected.length, Files.size(in), "encrypted size is padded to 16 bytes");
      assertArrayEquals(expected, Files.readAllBytes(out), "segment " + sequence);
    }
  }

  @Test
  void ffmpegDecodesRotatedEncryptedHlsWithZeroErrorsAndFailsWithAWrongKey() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path dir = pack("ffmpeg", "--encryption", "aes-128", "--key-seed", SEED, "--channel", CHANNEL,
        "--rotate-every", "2", "--clear-lead", "1", "--write-keys");
    String playlist = Files.readString(dir.resolve("stream/index.m3u8"));
    List<Path> keyFiles;
    try (Stream<Path> files = Files.list(dir.resolve("keys"))) {
      keyFiles = files.sorted().toList();
    }
    assertEquals(3, keyFiles.size(), "6 segments, 1 clear, periods 0..2: " + keyFiles);
    // The written keys are the derived keys a key server holding the seed computes.
    for (long period = 0; period < 3; period++) {
      ContentKey derived = KeyProvider.derived(HEX.parseHex(SEED)).key(new KeyRequest(CHANNEL, TrackType.VIDEO,
          period));
      assertArrayEquals(derived.keyBytes(), Files.readAllBytes(dir.resolve("keys/" + derived.keyId().toHex() + ".key")));
      assertTrue(playlist.contains("../keys/" + derived.keyId().toHex() + ".key"), playlist);
    }
    assertEquals(3, playlist.split("#EXT-X-KEY:METHOD=AES-128").length - 1, playlist);

    Decode good = ffmpegDecode(ffmpeg, dir);
    assertEquals("", good.errors(), "ffmpeg must decode the encrypted HLS without errors");
    assertTrue(good.videoFrames() >= CLIP_SECONDS * 25 - 5, "all video frames decoded: " + good.videoFrames());

    // Negative control: one period's key file wrong. ffmpeg's TS demuxer silently skips the garbage, so the
    // lost frames show it, not the error log.
    Files.write(keyFiles.get(0), HEX.parseHex("00000000000000000000000000000000"));
    Decode bad = ffmpegDecode(ffmpeg, dir);
    assertTrue(!bad.errors().isEmpty() || bad.videoFrames() <= good.videoFrames() - 50,
        "a wrong key must lose the period's frames: " + bad);
  }

  private record Decode(String errors, int videoFrames) {}

  /** Whole-segment AES-128 is format-agnostic: fMP4 (CMAF) media segments too; the init segment stays clear. */
  @Test
  void fmp4SegmentsEncryptedAndDecodedByFfmpeg() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path dir = pack("fmp4", "--format", "fmp4", "--encryption", "aes-128", "--key", KID + ":" + KEY,
        "--write-keys");
    String playlist = Files.readString(dir.resolve("stream/index.m3u8"));
    assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init.mp4\""), playlist);
    assertTrue(playlist.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/" + KID + ".key\""), playlist);
    byte[] init = Files.readAllBytes(dir.resolve("stream/init.mp4"));
    assertEquals("ftyp", new String(init, 4, 4, StandardCharsets.US_ASCII), "init segment in the clear");
    List<String> segments = segmentUris(dir.resolve("stream/index.m3u8"));
    byte[] first = Files.readAllBytes(dir.resolve("stream").resolve(segments.get(0)));
    assertNotEquals("styp", new String(first, 4, 4, StandardCharsets.US_ASCII));
    assertNotEquals("moof", new String(first, 4, 4, StandardCharsets.US_ASCII));
    Decode decoded = ffmpegDecode(ffmpeg, dir);
    assertEquals("", decoded.errors(), "ffmpeg must decode encrypted fMP4 HLS without errors");
    assertTrue(decoded.videoFrames() >= CLIP_SECONDS * 25 - 5, "video frames: " + decoded.videoFrames());
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void playersPlayAes128WithKeysFromTheKeyHandler(Player player) throws Exception {
    PlayerCheck.require();
    Path dir = packOnce("players", "--encryption", "aes-128", "--key", KID + ":" + KEY);
    try (Served origin = Served.start(dir, KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY)))) {
      PlayerCheck.Result result = PlayerCheck.assertPlays(player, origin.url(MASTER), PLAY_SECONDS);
      assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
      assertTrue(origin.keyRequests() > 0, "the player fetched the key from the handler");
    }
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void playersPlayAes128Fmp4(Player player) throws Exception {
    PlayerCheck.require();
    Path dir = packOnce("players-fmp4", "--format", "fmp4", "--encryption", "aes-128", "--key", KID + ":" + KEY);
    try (Served origin = Served.start(dir, KeyProvider.fixed(ContentKey.parse(KID + ":" + KEY)))) {
      PlayerCheck.Result result = PlayerCheck.assertPlays(player, origin.url(MASTER), PLAY_SECONDS);
      assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
      assertTrue(origin.keyRequests() > 0, "the player fetched the key from the handler");
    }
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void wrongKeyFailsPlayback(Player player) throws Exception {
    PlayerCheck.require();
    Path dir = packOnce("players", "--encryption", "aes-128", "--key", KID + ":" + KEY);
    ContentKey wrong = ContentKey.parse(KID + ":" + "00112233445566778899aabbccddeeff");
    try (Served origin = Served.start(dir, KeyProvider.fixed(wrong))) {
      PlayerCheck.Result result = PlayerCheck.require().play(PlayerCheck.Run.builder(player, origin.url(MASTER))
          .seconds(PLAY_SECONDS).stall(Duration.ofSeconds(8)).build());
      assertFalse(result.ok(), "a wrong key must not play: " + result.json());
      assertTrue(origin.keyRequests() > 0, "the player fetched the (wrong) key");
    }
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void rotationEveryTwoSegmentsPlaysThroughTheKeyChanges(Player player) throws Exception {
    PlayerCheck.require();
    Path dir = packOnce("rotation", "--encryption", "aes-128", "--key-seed", SEED, "--channel", CHANNEL,
        "--rotate-every", "2", "--clear-lead", "1");
    try (Served origin = Served.start(dir, KeyProvider.derived(HEX.parseHex(SEED)))) {
      PlayerCheck.Result result = PlayerCheck.require().play(PlayerCheck.Run.builder(player, origin.url(MASTER))
          .seconds(CLIP_SECONDS - 2).build());
      assertTrue(result.ok(), result.json());
      assertTrue(result.playedSeconds() >= CLIP_SECONDS - 2, result.json());
      assertTrue(origin.distinctKeys().size() >= 3, "played through 3 key periods: " + origin.distinctKeys());
    }
  }

  /**
   * Encrypt after cache: {@code --defer-encryption} writes the very playlists of packaging-time encryption with
   * clear segments; served through a {@link SegmentCache} (clear copies) and an {@link EncryptAfterCacheLoader},
   * every segment fetched over HTTP is byte for byte the file packaging-time encryption wrote, the same bytes
   * and ETag on every request, and publicly cacheable.
   */
  @Test
  void encryptAfterCacheServesExactlyWhatPackagingTimeEncryptionWrites() throws Exception {
    String[] keyOptions = {"--encryption", "aes-128", "--key-seed", SEED, "--channel", CHANNEL,
        "--rotate-every", "2", "--clear-lead", "1"};
    Path encrypted = packOnce("rotation", keyOptions);
    List<String> deferredArgs = new ArrayList<>(List.of(keyOptions));
    deferredArgs.add("--defer-encryption");
    Path deferred = packOnce("deferred", deferredArgs.toArray(String[]::new));
    for (String playlist : List.of(MASTER, "stream/index.m3u8")) {
      assertEquals(Files.readString(encrypted.resolve(playlist)), Files.readString(deferred.resolve(playlist)),
          playlist + ": the same signalling");
    }
    List<String> segments = segmentUris(deferred.resolve("stream/index.m3u8"));
    assertTrue(segments.size() >= 5, segments.toString());
    HttpClient client = HttpClient.newHttpClient();
    try (Served origin = Served.start(deferred, KeyProvider.derived(HEX.parseHex(SEED)), clear ->
        EncryptAfterCacheLoader.builder(SegmentCache.builder().maximumBytes(64L << 20).build(clear),
            KeyLocator.inChannels(KeyProvider.derived(HEX.parseHex(SEED)), List.of(CHANNEL))).build())) {
      for (String segment : segments) {
        byte[] expected = Files.readAllBytes(encrypted.resolve("stream").resolve(segment));
        HttpResponse<byte[]> first = client.send(HttpRequest.newBuilder(URI.create(origin.url("stream/" + segment)))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> again = client.send(HttpRequest.newBuilder(URI.create(origin.url("stream/" + segment)))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, first.statusCode(), segment);
        assertArrayEquals(expected, first.body(), segment + ": the bytes packaging-time encryption wrote");
        assertArrayEquals(first.body(), again.body(), segment);
        assertEquals(first.headers().firstValue("ETag"), again.headers().firstValue("ETag"));
        assertTrue(first.headers().firstValue("Cache-Control").orElse("").startsWith("public"),
            first.headers().toString());
      }
      byte[] clearFirst = Files.readAllBytes(deferred.resolve("stream").resolve(segments.get(1)));
      assertFalse(java.util.Arrays.equals(clearFirst, Files.readAllBytes(encrypted.resolve("stream")
          .resolve(segments.get(1)))), "the deferred directory holds clear segments");
      Files.copy(deferred.resolve("stream").resolve(segments.get(1)), deferred.resolve("stream/unlisted.ts"));
      HttpResponse<byte[]> unlisted = client.send(HttpRequest.newBuilder(URI.create(origin.url(
          "stream/unlisted.ts"))).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(404, unlisted.statusCode(), "a clear segment no playlist lists is never served");
    }
  }

  /** hls.js plays encrypt-after-cache output through three key periods. */
  @Test
  void hlsJsPlaysEncryptAfterCache() throws Exception {
    PlayerCheck.require();
    Path deferred = packOnce("deferred", "--encryption", "aes-128", "--key-seed", SEED, "--channel", CHANNEL,
        "--rotate-every", "2", "--clear-lead", "1", "--defer-encryption");
    DerivedKeys keys = KeyProvider.derived(HEX.parseHex(SEED));
    try (Served origin = Served.start(deferred, keys, clear -> EncryptAfterCacheLoader.builder(
        SegmentCache.builder().maximumBytes(64L << 20).build(clear), KeyLocator.inChannels(keys, List.of(CHANNEL)))
        .build())) {
      PlayerCheck.Result result = PlayerCheck.require().play(PlayerCheck.Run.builder(Player.HLS_JS,
          origin.url(MASTER)).seconds(CLIP_SECONDS - 2).build());
      assertTrue(result.ok(), result.json());
      assertTrue(origin.distinctKeys().size() >= 3, "played through 3 key periods: " + origin.distinctKeys());
    }
  }

  /** {@code ffmpeg -v error -allowed_extensions ALL -i master.m3u8}: the error log and the decoded video frames. */
  private static Decode ffmpegDecode(String ffmpeg, Path dir) throws Exception {
    Path frames = work.resolve("frames-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-allowed_extensions", "ALL",
        "-i", dir.resolve(MASTER).toString(), "-map", "0:v:0", "-f", "framecrc", frames.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish");
    String errors = p.exitValue() == 0 ? log.strip() : "exit " + p.exitValue() + ": " + log;
    int count = Files.exists(frames)
        ? (int) Files.readAllLines(frames).stream().filter(l -> l.startsWith("0,")).count() : 0;
    return new Decode(errors, count);
  }

  private static Path packOnce(String name, String... options) throws Exception {
    Path dir = work.resolve(name).resolve(CHANNEL);
    return Files.exists(dir) ? dir : pack(name, options);
  }

  /** {@code iptv package} of the source into {@code work/name/clip} with 2 s segments and {@code options}. */
  private static Path pack(String name, String... options) throws Exception {
    Path output = work.resolve(name).resolve(CHANNEL);
    List<String> args = new ArrayList<>(List.of("package", "--input", source.toString(), "--output",
        output.toString(), "--segment-duration", "2", "--quiet"));
    args.addAll(List.of(options));
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(0, code, "iptv package failed: " + err);
    return output;
  }

  private static List<String> segmentUris(Path playlist) throws IOException {
    return Files.readAllLines(playlist).stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + command[0]);
    assertEquals(0, p.exitValue(), command[0] + " failed: " + log);
  }

  /** The channel directory served by the library's origin, with keys from a {@link KeyDeliveryHandler}. */
  private static final class Served implements AutoCloseable {
    private final JdkHttpServerAdapter server;
    private final ExecutorService executor;
    private final Set<KeyId> requested;

    private Served(JdkHttpServerAdapter server, ExecutorService executor, Set<KeyId> requested) {
      this.server = server;
      this.executor = executor;
      this.requested = requested;
    }

    static Served start(Path dir, KeyResolver keys) throws IOException {
      return start(dir, keys, Function.identity());
    }

    /** Serves through {@code wrap} applied to the directory loader (a cache, encryption after the cache). */
    static Served start(Path dir, KeyResolver keys, Function<ResourceLoader, ResourceLoader> wrap)
        throws IOException {
      Set<KeyId> requested = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
      KeyResolver recording = (channel, kid) -> {
        requested.add(kid);
        return keys.find(channel, kid);
      };
      KeyDeliveryHandler keyHandler = KeyDeliveryHandler.builder(recording)
          .accessPolicy(KeyAccessPolicy.allowAll())
          .allowOrigin("*")
          .build();
      OriginHandler origin = OriginHandler.builder(wrap.apply(DirectoryResourceLoader.builder()
          .channel(CHANNEL, dir).build()))
          .cors(CorsPolicy.anyOrigin())
          .interceptor(keyHandler.interceptor(RequestInterceptor.allowAll()))
          .build();
      ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "aes128-origin");
        t.setDaemon(true);
        return t;
      });
      JdkHttpServerAdapter server = JdkHttpServerAdapter.builder(origin)
          .address(new InetSocketAddress("127.0.0.1", 0)).executor(executor).start();
      return new Served(server, executor, requested);
    }

    String url(String name) {
      return "http://127.0.0.1:" + server.port() + "/" + CHANNEL + "/" + name;
    }

    int keyRequests() {
      return requested.size();
    }

    Set<KeyId> distinctKeys() {
      synchronized (requested) {
        return Set.copyOf(requested);
      }
    }

    @Override
    public void close() {
      server.close();
      executor.shutdownNow();
    }
  }
}
