package io.iptv.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.MiniJson;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.core.testing.PlayerCheck.Player;
import io.iptv.core.testing.ToolRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo origin started in-process on an ephemeral port: the page hands out signed URLs that real players
 * (hls.js and Shaka Player in headless Chromium) play for 8 s, unsigned requests get 401, {@code /status}
 * answers JSON. The AES-128 variants play too: their key URIs carry the token, keys rotate, and a key is served
 * only to a token for its own channel. The player tests need node, Chromium and {@code npm ci --prefix test-tools/player}: skipped
 * without them, failed when {@code CI=true}.
 *
 * <p>The checks run two at a time ({@code junit-platform.properties}): they share the one origin, change nothing
 * in it, and mostly wait for real-time playback (20 player runs of 10–12 s each took 224 s one after another).
 */
@Execution(ExecutionMode.CONCURRENT)
class DemoServerTest {
  private static final int PLAY_SECONDS = 8;
  /** cbcs channels: long enough for a key change (every 3 segments of 2 s). */
  private static final int CBCS_PLAY_SECONDS = 10;
  private static final Pattern KEY_LINE = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\"");
  private static final Pattern CHANNEL_LINK = Pattern.compile("data-channel=\"([^\"]+)\" data-url=\"([^\"]+)\"");
  private static final Pattern LICENSE = Pattern.compile(
      "data-channel=\"([^\"]+)\" data-url=\"[^\"]+\" data-license=\"([^\"]+)\"");
  private static final Pattern DASH_LINK = Pattern.compile("<code class=\"dash\">([^<]+)</code>");

  private static DemoServer demo;
  private static HttpClient http;

  @BeforeAll
  static void start() throws IOException {
    demo = DemoServer.start(DemoServer.config().port(0).tokenTtl(Duration.ofMinutes(2)).threads(4).build());
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  static HttpResponse<String> get(String pathOrUrl, String... headers) throws Exception {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : demo.baseUrl() + pathOrUrl;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The signed master URL of each channel, as the player page lists them. */
  static Map<String, String> signedUrls() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(null), "the page holds tokens");
    Map<String, String> urls = new LinkedHashMap<>();
    Matcher m = CHANNEL_LINK.matcher(page.body());
    while (m.find()) {
      urls.put(m.group(1), demo.baseUrl() + m.group(2));
    }
    return urls;
  }

  @Test
  void lowLatencyChannelAnswersBlockingReloadsThroughTheSignedOrigin() throws Exception {
    String master = signedUrls().get(DemoServer.LOW_LATENCY_CHANNEL);
    String token = master.substring(master.indexOf('?'));
    String media = URI.create(master).resolve("stream/index.m3u8") + token;
    String body = get(media).body();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!body.contains("#EXT-X-PART:") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      body = get(media).body();
    }
    assertTrue(body.contains("#EXT-X-PART-INF:PART-TARGET=0.500"), body);
    assertTrue(body.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"), body);
    assertTrue(body.matches("(?s).*#EXT-X-PART:[^\n]*URI=\"part-[0-9]+\\.[0-9]+\\.m4s\\?token=.*"),
        "part URIs carry the token: " + body);
    Matcher sequence = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(body);
    assertTrue(sequence.find(), body);
    long segments = body.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    long next = Long.parseLong(sequence.group(1)) + segments; // the segment in progress
    long start = System.nanoTime();
    HttpResponse<String> blocked = get(media + "&_HLS_msn=" + (next + 1)); // the one after: held ~1 segment
    long heldMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, blocked.statusCode(), blocked.body());
    long after = blocked.body().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    Matcher s2 = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(blocked.body());
    assertTrue(s2.find());
    assertTrue(Long.parseLong(s2.group(1)) + after > next + 1, "segment " + (next + 1) + " listed: " + blocked.body());
    assertTrue(heldMs > 200, "held until the live edge reached it: " + heldMs + " ms");
    assertEquals("private, max-age=1", blocked.headers().firstValue("Cache-Control").orElse(""),
        "a token-rewritten blocking answer stays out of shared caches");
    assertEquals(400, get(media + "&_HLS_msn=" + (next + 5)).statusCode());
  }

  @Test
  void pageListsSignedUrlsForTheLiveAndVodChannels() throws Exception {
    Map<String, String> urls = signedUrls();
    assertEquals(List.of("live", "vod", "live-cmaf", "vod-cmaf", "live-aes128", "vod-aes128", "live-cbcs",
        "vod-cbcs", DemoServer.LOW_LATENCY_CHANNEL, DemoServer.INGEST_CHANNEL),
        List.copyOf(urls.keySet()));
    for (String url : urls.values()) {
      assertTrue(url.matches(".*/master\\.m3u8\\?token=v1\\.[A-Za-z0-9._-]+"), url);
    }
    HttpResponse<String> page = get("/");
    assertTrue(page.body().contains(DemoFront.HLS_JS_PATH), "the page loads hls.js from the webjar");
  }

  @Test
  void unsignedRequestsGet401AndAnotherChannelsToken403() throws Exception {
    for (String path : List.of("/live/master.m3u8", "/vod/master.m3u8", "/live/stream/index.m3u8",
        "/vod/stream/seg-00000.ts")) {
      HttpResponse<String> response = get(path);
      assertEquals(401, response.statusCode(), path);
      assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
    }
    Map<String, String> urls = signedUrls();
    String vodToken = urls.get("vod").substring(urls.get("vod").indexOf("?token="));
    assertEquals(403, get("/live/master.m3u8" + vodToken).statusCode());
    String tampered = urls.get("live").substring(0, urls.get("live").length() - 3) + "AAA";
    assertEquals(401, get(tampered).statusCode());
  }

  @Test
  void traversalAndOversizedRequestsGet4xx() throws Exception {
    String token = signedUrls().get("live");
    token = token.substring(token.indexOf('?'));
    for (String path : List.of("/live/%2e%2e/vod/master.m3u8", "/live/stream/..%2fseg-00000.ts",
        "/live/.hidden.m3u8")) {
      int status = get(path + token).statusCode();
      assertTrue(status == 400 || status == 404, path + " -> " + status);
    }
    int longLine = get("/live/master.m3u8" + token + "&pad=" + "x".repeat(20_000)).statusCode();
    assertTrue(longLine >= 400 && longLine < 500, "oversized request line -> " + longLine);
  }

  @Test
  void signedPlaylistsPropagateTheTokenToEveryUri() throws Exception {
    String master = signedUrls().get("live");
    String token = master.substring(master.indexOf("?token=") + 7);
    HttpResponse<String> response = get(master);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Cache-Control").orElse("").startsWith("private"));
    List<String> variants = uris(response.body());
    assertFalse(variants.isEmpty(), response.body());
    String mediaUrl = URI.create(master).resolve(variants.get(0)).toString();
    assertTrue(mediaUrl.endsWith("?token=" + token), mediaUrl);
    HttpResponse<String> media = get(mediaUrl);
    assertEquals(200, media.statusCode());
    assertTrue(media.body().contains("#EXT-X-MEDIA-SEQUENCE:"), media.body());
    assertFalse(media.body().contains("#EXT-X-ENDLIST"), "live");
    List<String> segments = uris(media.body());
    assertTrue(segments.size() >= 3, media.body());
    for (String segment : segments) {
      assertTrue(segment.endsWith("?token=" + token), segment);
    }
    HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(URI.create(mediaUrl).resolve(segments.get(0)))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, bytes.statusCode());
    assertEquals(0x47, bytes.body()[0] & 0xFF, "an MPEG-TS segment");
  }

  @Test
  void statusAnswersJsonAndHtml() throws Exception {
    get(signedUrls().get("vod")); // one cache load at least
    for (HttpResponse<String> response : List.of(get("/status?format=json"),
        get("/status", "Accept", "application/json"))) {
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      Map<?, ?> status = assertInstanceOf(Map.class, MiniJson.parse(response.body()), response.body());
      List<?> channels = assertInstanceOf(List.class, status.get("channels"));
      assertEquals(2 * DemoVariant.values().length + 2, channels.size(), response.body()); // + live-ll, ingest
      Map<?, ?> live = assertInstanceOf(Map.class, channels.get(0));
      assertEquals("live", live.get("name"));
      assertEquals("running", live.get("state"), response.body());
      assertTrue(((Number) live.get("segmentsWritten")).longValue() >= 6, response.body());
      Map<?, ?> cache = assertInstanceOf(Map.class, status.get("cache"));
      assertTrue(((Number) cache.get("loadSuccessCount")).longValue() >= 1, response.body());
      assertFalse(response.body().contains("v1."), "no token in the status");
    }
    HttpResponse<String> html = get("/status");
    assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(html.body().contains("Segment cache"), html.body());
  }

  @Test
  void servesHlsJsFromTheWebjar() throws Exception {
    HttpResponse<String> js = get(DemoFront.HLS_JS_PATH);
    assertEquals(200, js.statusCode());
    assertTrue(js.body().length() > 100_000, "hls.min.js");
    assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals(404, get("/webjars/hls.js/../../../etc/passwd").statusCode());
    assertEquals(404, get("/webjars/nope.js").statusCode());
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void liveChannelPlaysWithItsSignedUrl(Player player) throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(player, signedUrls().get("live"), PLAY_SECONDS);
    assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
    String media = get(URI.create(signedUrls().get("live")).resolve("stream/index.m3u8").toString()
        + signedUrls().get("live").substring(signedUrls().get("live").indexOf('?'))).body();
    assertFalse(media.contains("#EXT-X-DISCONTINUITY"), "the loop continues timestamps: " + media);
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void ingestChannelFedOverUdpThroughLivePackagerPlays(Player player) throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(player, signedUrls().get(DemoServer.INGEST_CHANNEL),
        PLAY_SECONDS);
    assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
  }

  @Test
  void ingestChannelSegmentsDecodeAndItsStatisticsShowNoContinuityErrors(@TempDir Path dir) throws Exception {
    String master = signedUrls().get(DemoServer.INGEST_CHANNEL);
    String media = get(master.replace("master.m3u8", "stream/index.m3u8")).body();
    List<String> segments = uris(media);
    assertTrue(segments.size() >= IngestChannel.PLAYABLE_SEGMENTS, media);
    assertFalse(media.contains("#EXT-X-DISCONTINUITY"), "timestamps run on across the headend's loops: " + media);
    assertTrue(media.contains("#EXT-X-PROGRAM-DATE-TIME:"), "LivePackager's wall-clock mapping: " + media);
    // The DVR window: a timeshift playlist per rendition and a multivariant playlist pointing at it
    HttpResponse<String> dvr = get(master.replace("master.m3u8", "stream/dvr.m3u8"));
    assertEquals(200, dvr.statusCode(), dvr.body());
    assertTrue(uris(dvr.body()).size() >= segments.size() - 1, dvr.body());
    Matcher dvrLink = Pattern.compile("class=\"channel dvr\" href=\"([^\"]+)\"").matcher(get("/").body());
    assertTrue(dvrLink.find(), "the page links the DVR playlist");
    HttpResponse<String> dvrMaster = get(dvrLink.group(1).replace("&amp;", "&"));
    assertEquals(200, dvrMaster.statusCode(), dvrMaster.body());
    assertTrue(dvrMaster.body().contains("stream/dvr.m3u8?token="), dvrMaster.body());

    HttpResponse<byte[]> segment = getBytes(URI.create(master).resolve("stream/")
        .resolve(segments.get(segments.size() - 1)).toString());
    assertEquals(200, segment.statusCode());
    Path file = Files.write(dir.resolve("segment.ts"), segment.body());
    ToolRun probe = ToolRun.of(List.of(ExternalTools.requireFfprobe(), "-v", "error", "-count_frames",
        "-show_entries", "stream=codec_type,nb_read_frames", "-of", "csv=p=0", file.toString()));
    assertEquals(0, probe.exitCode(), probe.stderrText());
    assertEquals("", probe.stderrText(), "decode errors");
    assertTrue(probe.stdoutText().lines().anyMatch(l -> l.matches("video,[1-9][0-9]*")), probe.stdoutText());
    assertTrue(probe.stdoutText().lines().anyMatch(l -> l.matches("audio,[1-9][0-9]*")), probe.stdoutText());

    Map<?, ?> status = assertInstanceOf(Map.class, MiniJson.parse(get("/status?format=json").body()));
    Map<?, ?> ingest = ((List<?>) status.get("channels")).stream().map(Map.class::cast)
        .filter(c -> DemoServer.INGEST_CHANNEL.equals(c.get("name"))).findFirst().orElseThrow();
    assertEquals("running", ingest.get("state"), ingest.toString());
    assertEquals("/" + DemoServer.INGEST_CHANNEL + "/master-dvr.m3u8", ingest.get("dvr"), ingest.toString());
    assertTrue(String.valueOf(ingest.get("source")).matches("udp://127\\.0\\.0\\.1:[0-9]+"), ingest.toString());
    assertTrue(((Number) ingest.get("datagramsSent")).longValue() > 0, ingest.toString());
    Map<?, ?> statistics = assertInstanceOf(Map.class, ingest.get("statistics"), ingest.toString());
    assertTrue(((Number) statistics.get("segmentsProduced")).longValue() >= IngestChannel.PLAYABLE_SEGMENTS,
        statistics.toString());
    assertTrue(((Number) statistics.get("tsPackets")).longValue() > 0, statistics.toString());
    assertTrue(((Number) statistics.get("bytesReceived")).longValue() > 0, statistics.toString());
    assertEquals(0L, ((Number) statistics.get("ccErrors")).longValue(), statistics.toString());
    assertEquals(0L, ((Number) statistics.get("droppedChunks")).longValue(), statistics.toString());
    assertEquals(0L, ((Number) statistics.get("pipelineRestarts")).longValue(), statistics.toString());
    assertEquals(0L, ((Number) statistics.get("discontinuities")).longValue(), statistics.toString());
  }

  @ParameterizedTest
  @EnumSource(Player.class)
  void vodTitlePlaysWithItsSignedUrl(Player player) throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(player, signedUrls().get("vod"), PLAY_SECONDS);
    assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
    assertNotNull(result.json());
  }

  @ParameterizedTest
  @CsvSource({"HLS_JS, live-cmaf", "SHAKA, live-cmaf", "HLS_JS, vod-cmaf", "SHAKA, vod-cmaf"})
  void cmafChannelsPlayAsHls(Player player, String channel) throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(player, signedUrls().get(channel), PLAY_SECONDS);
    assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
    assertTrue(get(signedUrls().get(channel).replace("master.m3u8", "stream/index.m3u8")).body()
        .contains("#EXT-X-MAP:URI="), "fMP4 segments");
  }

  @Test
  void cmafChannelsPlayAsDashInShakaWithTheSameSegments() throws Exception {
    PlayerCheck.require();
    HttpResponse<String> page = get("/");
    List<String> manifests = new java.util.ArrayList<>();
    Matcher m = DASH_LINK.matcher(page.body());
    while (m.find()) {
      manifests.add(demo.baseUrl() + m.group(1).replace("&amp;", "&"));
    }
    manifests.removeIf(mpd -> mpd.contains("-cbcs/")); // played with their licence below
    assertEquals(2, manifests.size(), "live-cmaf and vod-cmaf list a DASH manifest: " + manifests);
    for (String mpd : manifests) {
      assertTrue(mpd.matches(".*/(live|vod)-cmaf/manifest\\.mpd\\?token=v1\\.[A-Za-z0-9._-]+"), mpd);
      String body = get(mpd).body();
      assertTrue(body.contains(mpd.contains("/live-") ? "type=\"dynamic\"" : "type=\"static\""), body);
      assertTrue(body.contains("token="), "the MPD's segment URLs carry the token: " + body);
      assertEquals(401, get(mpd.substring(0, mpd.indexOf('?'))).statusCode(), "unsigned MPD");
      PlayerCheck.Result result = PlayerCheck.assertPlays(Player.SHAKA, mpd, PLAY_SECONDS);
      assertTrue(result.playedSeconds() >= PLAY_SECONDS, mpd + " " + result.json());
    }
  }

  /** Per ClearKey channel, its signed licence URL as the page hands it out. */
  static Map<String, String> licenseUrls() throws Exception {
    Map<String, String> urls = new LinkedHashMap<>();
    Matcher m = LICENSE.matcher(get("/").body());
    while (m.find()) {
      urls.put(m.group(1), demo.baseUrl() + m.group(2).replace("&amp;", "&"));
    }
    return urls;
  }

  @ParameterizedTest
  @CsvSource({"HLS_JS, live-cbcs", "SHAKA, live-cbcs", "HLS_JS, vod-cbcs", "SHAKA, vod-cbcs"})
  void cbcsChannelsPlayThroughTheTokenProtectedClearKeyLicence(Player player, String channel) throws Exception {
    PlayerCheck.require();
    String license = licenseUrls().get(channel);
    assertTrue(license != null && license.matches(".*/license/clearkey\\?token=v1\\.[A-Za-z0-9._-]+"),
        "the page hands out a signed licence URL: " + licenseUrls());
    String master = signedUrls().get(channel);
    String media = get(master.replace("master.m3u8", "stream/index.m3u8")).body();
    assertTrue(media.contains("METHOD=SAMPLE-AES") && media.contains("KEYFORMAT=\"org.w3.clearkey\""), media);
    assertFalse(media.contains("KEYFORMAT=\"identity\""), "no key URI besides the licence: " + media);
    assertTrue(media.lines().filter(l -> l.contains("org.w3.clearkey")).distinct().count() >= 2,
        "the key rotates (issue #5): " + media);
    // hls.js plays the HLS playlist, Shaka the DASH MPD of the same segments (see DemoVariant.CBCS_CLEARKEY);
    // 10 s of 2 s segments cross at least one key change (every 3 segments)
    String url = player == Player.SHAKA ? master.replace("master.m3u8", "manifest.mpd") : master;
    PlayerCheck.Result result = PlayerCheck.require().play(PlayerCheck.Run.builder(player, url)
        .seconds(CBCS_PLAY_SECONDS).licenseUrl(license).build());
    assertTrue(result.ok() && result.playedSeconds() >= CBCS_PLAY_SECONDS, result.json());
    String twoUsableKeys = "(?s).*\"keyStatuses\":\\{\"[0-9a-f]{32}\":\"usable\",\"[0-9a-f]{32}\":\"usable\".*";
    assertTrue(result.json().matches(twoUsableKeys), "at least two keys from the licence: " + result.json());
  }

  @Test
  void clearKeyLicenceNeedsATokenForTheChannel() throws Exception {
    PlayerCheck.require();
    String license = licenseUrls().get("vod-cbcs");
    String unsigned = license.substring(0, license.indexOf('?'));
    String otherChannel = licenseUrls().get("live-cbcs");
    String master = signedUrls().get("vod-cbcs");
    PlayerCheck.Result refused = PlayerCheck.require().play(PlayerCheck.Run.builder(Player.SHAKA,
        master.replace("master.m3u8", "manifest.mpd")).seconds(PLAY_SECONDS).licenseUrl(otherChannel).build());
    assertFalse(refused.ok(), "another channel's token must not unlock vod-cbcs: " + refused.json());
    assertTrue(refused.json().contains("/license/clearkey"), refused.json());
    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(unsigned))
        .POST(HttpRequest.BodyPublishers.ofString("{\"kids\":[\"AAAAAAAAAAAAAAAAAAAAAA\"],\"type\":\"temporary\"}"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(noToken.statusCode() == 401 || noToken.statusCode() == 403, noToken.statusCode() + " " + noToken.body());
    assertFalse(noToken.body().contains("\"k\""), "no key without a token: " + noToken.body());
  }

  @ParameterizedTest
  @CsvSource({"HLS_JS, live-aes128", "SHAKA, live-aes128", "HLS_JS, vod-aes128", "SHAKA, vod-aes128"})
  void aes128ChannelsPlayWithTheirSignedUrl(Player player, String channel) throws Exception {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(player, signedUrls().get(channel), PLAY_SECONDS);
    assertTrue(result.playedSeconds() >= PLAY_SECONDS, result.json());
  }

  @Test
  void aes128PlaylistsRotateKeysWhoseUrisCarryTheTokenAndTheKeyDecryptsTheSegments() throws Exception {
    String master = signedUrls().get("vod-aes128");
    String token = master.substring(master.indexOf("?token=") + 7);
    String mediaUrl = URI.create(master).resolve(uris(get(master).body()).get(0)).toString();
    String media = get(mediaUrl).body();
    Matcher key = KEY_LINE.matcher(media);
    List<String> keyUris = new java.util.ArrayList<>();
    while (key.find()) {
      keyUris.add(key.group(1));
    }
    assertTrue(keyUris.size() >= 2, "rotation: " + media);
    assertEquals(keyUris.size(), keyUris.stream().distinct().count(), "a new key per crypto period: " + media);
    for (String uri : keyUris) {
      assertTrue(uri.endsWith(".key?token=" + token), uri);
    }
    // The first segment: encrypted (no TS sync byte), and the served key with IV = media sequence decrypts it.
    assertTrue(media.contains("#EXT-X-MEDIA-SEQUENCE:0\n"), media);
    String keyUrl = URI.create(mediaUrl).resolve(keyUris.get(0)).toString();
    HttpResponse<byte[]> keyResponse = getBytes(keyUrl);
    assertEquals(200, keyResponse.statusCode());
    assertEquals(16, keyResponse.body().length);
    assertEquals("no-store", keyResponse.headers().firstValue("Cache-Control").orElse(null));
    byte[] segment = getBytes(URI.create(mediaUrl).resolve(uris(media).get(0)).toString()).body();
    assertTrue(segment.length % 16 == 0 && segment[0] != 0x47, "whole-segment AES-128");
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyResponse.body(), "AES"), new IvParameterSpec(new byte[16]));
    byte[] clear = cipher.doFinal(segment);
    assertEquals(0x47, clear[0] & 0xFF, "decrypts to MPEG-TS");
    assertEquals(0, clear.length % 188);
  }

  @Test
  void keysNeedATokenForTheirOwnChannel() throws Exception {
    Map<String, String> urls = signedUrls();
    String master = urls.get("live-aes128");
    String mediaUrl = URI.create(master).resolve(uris(get(master).body()).get(0)).toString();
    Matcher key = KEY_LINE.matcher(get(mediaUrl).body());
    assertTrue(key.find());
    String signedKey = URI.create(mediaUrl).resolve(key.group(1)).toString();
    assertEquals(200, getBytes(signedKey).statusCode());
    String unsigned = signedKey.substring(0, signedKey.indexOf('?'));
    int status = get(unsigned).statusCode();
    assertEquals(401, status, "unsigned key request: not authenticated");
    HttpResponse<String> cors = get(unsigned, "Origin", "http://player.example");
    assertEquals(status, cors.statusCode());
    assertTrue(cors.headers().firstValue("Access-Control-Allow-Origin").isPresent(), "a player sees the refusal");
    for (String other : List.of("vod-aes128", "live")) {
      String otherToken = urls.get(other).substring(urls.get(other).indexOf("?token="));
      assertEquals(403, get(unsigned + otherToken).statusCode(), other + "'s token");
    }
    String forged = signedKey.substring(0, signedKey.length() - 3) + (signedKey.endsWith("AAA") ? "BBB" : "AAA");
    status = get(forged).statusCode();
    assertTrue(status == 401 || status == 403, "forged token -> " + status);
  }

  @Test
  void clearKeyLicenceReleasesAChannelsKeyOnlyToItsToken() throws Exception {
    Map<String, String> urls = signedUrls();
    String master = urls.get("vod-aes128");
    String token = master.substring(master.indexOf("?token=") + 7);
    String mediaUrl = URI.create(master).resolve(uris(get(master).body()).get(0)).toString();
    Matcher key = KEY_LINE.matcher(get(mediaUrl).body());
    assertTrue(key.find());
    String keyUrl = URI.create(mediaUrl).resolve(key.group(1)).toString();
    byte[] keyBytes = getBytes(keyUrl).body();
    Matcher kidHex = Pattern.compile("keys/([0-9a-f]{32})\\.key").matcher(keyUrl);
    assertTrue(kidHex.find(), keyUrl);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String kid = b64.encodeToString(java.util.HexFormat.of().parseHex(kidHex.group(1)));
    String body = "{\"kids\":[\"" + kid + "\"],\"type\":\"temporary\"}";
    HttpResponse<String> granted = post("/license/clearkey?token=" + token, body);
    assertEquals(200, granted.statusCode(), granted.body());
    assertEquals("{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + b64.encodeToString(keyBytes) + "\",\"kid\":\"" + kid
        + "\"}],\"type\":\"temporary\"}", granted.body());
    assertEquals("*", granted.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals(401, post("/license/clearkey", body).statusCode());
    String otherToken = urls.get("live-aes128").substring(urls.get("live-aes128").indexOf("?token=") + 7);
    assertEquals(403, post("/license/clearkey?token=" + otherToken, body).statusCode());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Origin", "http://player.example").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void deniedPlaylistsCarryCorsHeaders() throws Exception {
    HttpResponse<String> response = get("/live/master.m3u8", "Origin", "http://player.example");
    assertEquals(401, response.statusCode());
    assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isPresent(), response.headers().toString());
  }

  static HttpResponse<byte[]> getBytes(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static List<String> uris(String playlist) {
    return playlist.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }
}
