package io.iptv.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.auth.AuthInterceptor;
import io.iptv.core.auth.HmacTokenAuthorizer;
import io.iptv.core.auth.TokenPropagation;
import io.iptv.core.auth.TokenSigner;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.serve.CorsPolicy;
import io.iptv.core.serve.JdkHttpServerAdapter;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.ServedResource;
import io.iptv.core.testing.PlayerCheck;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import io.iptv.segmenter.pkg.InMemorySegmentSink;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signed DASH URL through the origin with {@link AuthInterceptor} ({@link HmacTokenAuthorizer}) and
 * {@link TokenPropagation}: the MPD's SegmentTemplate URLs carry the token, unsigned requests get 401, and
 * Shaka Player plays the signed {@code manifest.mpd} for 8 s with no token logic of its own. The demo clip is
 * packaged as fMP4 + MPD (three loops, VOD) into memory. The player part needs node, Chromium and
 * {@code npm ci --prefix test-tools/player}: skipped without them, failed when {@code CI=true}.
 */
class SignedDashPlaybackTest {
  private static final String CHANNEL = "dash";
  private static final Pattern SEGMENT_TEMPLATE = Pattern.compile("<SegmentTemplate\\s[^>]*>");
  private static final Pattern NUMBER = Pattern.compile("\\$Number(%0\\d+d)?\\$");

  private static ExecutorService threads;
  private static JdkHttpServerAdapter server;
  private static TokenSigner signer;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    DemoClip clip = DemoClip.load();
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(2))
        .playlistType(HlsPlaylistType.VOD).segmentFormat(SegmentFormat.FMP4).dashManifestName("manifest.mpd")
        .build(sink);
    for (TrackFormat format : clip.tracks()) {
      packager.emit(new StreamEvent.TrackAdded(format));
    }
    for (int loop = 0; loop < 3; loop++) {
      for (MediaSample sample : clip.samples()) {
        packager.emit(clip.shifted(sample, loop));
      }
    }
    packager.emit(new StreamEvent.EndOfStream());

    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    signer = TokenSigner.builder().key("k1", secret).build();
    OriginHandler origin = OriginHandler.builder(key -> {
          ByteSlice bytes = CHANNEL.equals(key.channel()) ? sink.get(key.name()) : null;
          return bytes == null ? null : ServedResource.of(key, bytes);
        })
        .cors(CorsPolicy.anyOrigin())
        .interceptor(AuthInterceptor.of(HmacTokenAuthorizer.builder().secret("k1", secret).build()))
        .resourceTransform(TokenPropagation.queryToken())
        .build();
    threads = Executors.newFixedThreadPool(4);
    server = JdkHttpServerAdapter.builder(origin).address(new InetSocketAddress("127.0.0.1", 0))
        .executor(threads).start();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (threads != null) {
      threads.shutdownNow();
    }
  }

  private static String signedMpdUrl() {
    return "http://127.0.0.1:" + server.port() + "/" + CHANNEL + "/manifest.mpd?token="
        + signer.sign("/" + CHANNEL + "/", Duration.ofMinutes(2));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSignedMpdPropagatesItsTokenAndEveryTemplateUrlResolves() throws Exception {
    String url = signedMpdUrl();
    String query = url.substring(url.indexOf('?'));
    HttpResponse<String> mpd = get(url);
    assertEquals(200, mpd.statusCode(), mpd.body());
    assertTrue(mpd.headers().firstValue("Cache-Control").orElse("").startsWith("private"));
    Matcher template = SEGMENT_TEMPLATE.matcher(mpd.body());
    List<String> checked = new ArrayList<>();
    while (template.find()) {
      String element = template.group();
      String init = attribute(element, "initialization");
      String media = attribute(element, "media");
      long startNumber = Long.parseLong(attribute(element, "startNumber"));
      assertTrue(init.endsWith(query), init);
      assertTrue(media.endsWith(query), media);
      Matcher number = NUMBER.matcher(media);
      assertTrue(number.find(), media);
      String format = number.group(1) == null ? "%d" : number.group(1); // ISO/IEC 23009-1 §5.3.9.4.4
      String firstMedia = media.substring(0, number.start())
          + String.format(Locale.ROOT, format, startNumber) + media.substring(number.end());
      for (String relative : List.of(init, firstMedia)) {
        String resolved = URI.create(url).resolve(relative).toString();
        assertEquals(200, get(resolved).statusCode(), resolved);
        String unsigned = resolved.substring(0, resolved.indexOf('?'));
        assertEquals(401, get(unsigned).statusCode(), unsigned);
        checked.add(resolved);
      }
    }
    assertTrue(checked.size() >= 4, "a video and an audio SegmentTemplate: " + mpd.body());
    assertEquals(401, get(url.substring(0, url.indexOf('?'))).statusCode());
  }

  private static String attribute(String element, String name) {
    Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(element);
    assertTrue(m.find(), name + " in " + element);
    return m.group(1).replace("&amp;", "&");
  }

  @Test
  void shakaPlaysTheSignedMpd() {
    PlayerCheck.require();
    PlayerCheck.Result result = PlayerCheck.assertPlays(PlayerCheck.Player.SHAKA, signedMpdUrl(), 8);
    assertTrue(result.playedSeconds() >= 8, result.json());
  }
}
