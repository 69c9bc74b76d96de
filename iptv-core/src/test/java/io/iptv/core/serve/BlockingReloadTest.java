package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link OriginHandler} with {@link LowLatencyServing} over an in-memory channel: delivery directives
 * (RFC 8216bis §6.2.5.2) hold a playlist request until a {@link PlaylistUpdates} signal brings the asked
 * segment or part, answer at once when it is there, refuse directives too far ahead or malformed (400), time
 * out (503), serve the delta playlist for {@code _HLS_skip}, and hold a request for the preload-hinted part.
 */
class BlockingReloadTest {
  private static final String PLAYLIST = "v/index.m3u8";
  private final Map<String, ByteSlice> files = new ConcurrentHashMap<>();
  private final PlaylistUpdates updates = new PlaylistUpdates();

  private OriginHandler origin(Duration timeout) {
    ResourceLoader loader = key -> {
      ByteSlice b = files.get(key.name());
      return b == null ? null : ServedResource.of(key, b);
    };
    LowLatencyServing.Builder ll = LowLatencyServing.builder(updates).executor(Runnable::run);
    if (timeout != null) {
      ll.timeout(timeout);
    }
    return OriginHandler.builder(loader).lowLatency(ll.build()).build();
  }

  /** A playlist with segments 5..(5+segments−1), then {@code parts} parts of the next one, then a hint. */
  private static String playlist(int segments, int parts, boolean endList) {
    StringBuilder s = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:5\n"
        + "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5\n#EXT-X-PART-INF:PART-TARGET=0.5\n");
    for (int i = 0; i < segments; i++) {
      s.append("#EXT-X-PART:DURATION=0.5,URI=\"p").append(5 + i).append(".0.m4s\",INDEPENDENT=YES\n");
      s.append("#EXTINF:2.0,\ns").append(5 + i).append(".m4s\n");
    }
    for (int i = 0; i < parts; i++) {
      s.append("#EXT-X-PART:DURATION=0.5,URI=\"p").append(5 + segments).append('.').append(i).append(".m4s\"\n");
    }
    if (endList) {
      s.append("#EXT-X-ENDLIST\n");
    } else {
      s.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p").append(5 + segments).append('.').append(parts)
          .append(".m4s\"\n");
    }
    return s.toString();
  }

  private void publish(String name, String text) {
    files.put(name, ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_8)));
    updates.signal("ch", name);
  }

  private static HttpRequest get(String path, String query) {
    return new HttpRequest("GET", path, query, RequestHeaders.none(), null, false, ByteSlice.empty());
  }

  private static String body(HttpResponse r) {
    return new String(r.body().toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void holdsUntilTheAskedPartIsPublished() throws Exception {
    publish(PLAYLIST, playlist(3, 1, false)); // last msn 7; msn 8 has part 0
    OriginHandler origin = origin(null);
    CompletableFuture<HttpResponse> waiting = origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=2"));
    assertFalse(waiting.isDone(), "part 2 of msn 8 is not there yet");
    publish(PLAYLIST, playlist(3, 2, false)); // part 1: still not enough
    assertFalse(waiting.isDone(), "part 1 is not part 2");
    publish(PLAYLIST, playlist(3, 3, false));
    HttpResponse r = waiting.get(1, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertTrue(body(r).contains("p8.2.m4s"), body(r));
    assertEquals("public, max-age=1", r.header("Cache-Control"));

    // a whole segment: _HLS_msn=9 waits for segment 9, not for a part of it
    CompletableFuture<HttpResponse> segment = origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=9"));
    publish(PLAYLIST, playlist(4, 0, false)); // segment 8 complete, 9 not
    assertFalse(segment.isDone());
    publish(PLAYLIST, playlist(5, 0, false));
    assertEquals(200, segment.get(1, TimeUnit.SECONDS).status());
  }

  @Test
  void answersAtOnceWhenAlreadyThereOrEnded() throws Exception {
    publish(PLAYLIST, playlist(3, 2, false));
    OriginHandler origin = origin(null);
    assertEquals(200, origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=7")).getNow(null).status());
    assertEquals(200, origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=1")).getNow(null).status());
    assertEquals(200, origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=2")).getNow(null).status(), "old msn");
    publish(PLAYLIST, playlist(3, 0, true));
    assertEquals(200, origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=9")).getNow(null).status(), "ended");
    HttpResponse plain = origin.handle(get("/ch/" + PLAYLIST, null)).getNow(null);
    assertEquals(200, plain.status());
    assertFalse("public, max-age=1".equals(plain.header("Cache-Control")), "no directive: the normal policy");
  }

  @Test
  void refusesDirectivesTooFarAheadOrMalformed() {
    publish(PLAYLIST, playlist(3, 1, false)); // last msn 7
    OriginHandler origin = origin(null);
    assertNull(origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=9")).getNow(null), "msn = last + 2 waits");
    for (String q : new String[] {"_HLS_msn=10", "_HLS_msn=8&_HLS_part=4", "_HLS_part=1", "_HLS_msn=-1",
        "_HLS_msn=abc", "_HLS_msn=8&_HLS_part=x", "_HLS_skip=NO"}) {
      HttpResponse r = origin.handle(get("/ch/" + PLAYLIST, q)).getNow(null);
      assertNotNull(r, q);
      assertEquals(400, r.status(), q);
      assertEquals("no-store", r.header("Cache-Control"), q);
    }
    assertNull(origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=3")).getNow(null),
        "within the advance part limit: waits");
  }

  @Test
  void timesOutWith503() throws Exception {
    publish(PLAYLIST, playlist(3, 1, false));
    OriginHandler origin = origin(Duration.ofMillis(150));
    long start = System.nanoTime();
    HttpResponse r = origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=1")).get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, r.status());
    assertTrue(ms >= 140 && ms < 3000, "after the configured timeout: " + ms);
  }

  @Test
  void defaultTimeoutIsThreeTargetDurations() throws Exception {
    publish(PLAYLIST, playlist(3, 1, false)); // TARGETDURATION 2 → 6 s
    OriginHandler origin = origin(null);
    CompletableFuture<HttpResponse> r = origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=1"));
    Thread.sleep(1000);
    assertFalse(r.isDone(), "still waiting after 1 s");
    assertEquals(503, r.get(10, TimeUnit.SECONDS).status());
  }

  @Test
  void skipServesTheDeltaPlaylist() throws Exception {
    publish(PLAYLIST, playlist(3, 1, false));
    OriginHandler origin = origin(null);
    assertEquals(body(origin.handle(get("/ch/" + PLAYLIST, "_HLS_skip=YES")).get()), playlist(3, 1, false),
        "no delta written: the full playlist");
    String delta = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:5\n#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n"
        + "#EXTINF:2.0,\ns7.m4s\n#EXT-X-PART:DURATION=0.5,URI=\"p8.0.m4s\"\n";
    publish(LowLatencyNames.deltaName(PLAYLIST), delta);
    assertEquals(delta, body(origin.handle(get("/ch/" + PLAYLIST, "_HLS_skip=YES")).get()));
    CompletableFuture<HttpResponse> blocking = origin.handle(get("/ch/" + PLAYLIST, "_HLS_msn=8&_HLS_part=1&_HLS_skip=v2"));
    assertFalse(blocking.isDone());
    String delta2 = delta + "#EXT-X-PART:DURATION=0.5,URI=\"p8.1.m4s\"\n";
    files.put(LowLatencyNames.deltaName(PLAYLIST), ByteSlice.wrap(delta2.getBytes(StandardCharsets.UTF_8)));
    publish(PLAYLIST, playlist(3, 2, false));
    assertEquals(delta2, body(blocking.get(1, TimeUnit.SECONDS)));
    assertEquals("v/index.delta.m3u8", LowLatencyNames.deltaName(PLAYLIST));
  }

  @Test
  void holdsTheRequestForTheHintedPart() throws Exception {
    publish(PLAYLIST, playlist(3, 1, false)); // hint p8.1.m4s
    OriginHandler origin = origin(Duration.ofSeconds(5));
    assertEquals(200, origin.handle(get("/ch/" + PLAYLIST, null)).get().status());
    assertEquals(404, origin.handle(get("/ch/v/p8.5.m4s", null)).getNow(null).status(), "not hinted: 404 at once");
    CompletableFuture<HttpResponse> part = origin.handle(get("/ch/v/p8.1.m4s", null));
    assertFalse(part.isDone(), "the hinted part is held");
    publish("v/p8.1.m4s", "fragment");
    HttpResponse r = part.get(1, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals("fragment", body(r));
  }

  @Test
  void playlistPositionReadsTheEdge() {
    PlaylistPosition p = PlaylistPosition.scan(ByteSlice.wrap(playlist(3, 2, false).getBytes(StandardCharsets.UTF_8)));
    assertEquals(7, p.lastMsn());
    assertEquals(2, p.trailingParts());
    assertEquals(2, p.targetDurationSeconds());
    assertEquals("p8.2.m4s", p.preloadHintUri());
    assertTrue(p.contains(8, 1));
    assertFalse(p.contains(8, 2));
    assertFalse(p.contains(8, -1));
    assertTrue(p.contains(7, -1));
  }
}
