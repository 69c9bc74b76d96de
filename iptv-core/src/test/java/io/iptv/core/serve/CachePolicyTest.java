package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  private static ServedResource playlist(String text) {
    return ServedResource.of(ResourceKey.parse("/news/index.m3u8"),
        ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void livePlaylistIsHalfTheTargetDurationClamped() {
    CachePolicy policy = CachePolicy.defaults();
    assertEquals(Duration.ofSeconds(3), policy.freshness(playlist("#EXTM3U\n#EXT-X-TARGETDURATION:6\n")));
    assertEquals(Duration.ofSeconds(1), policy.freshness(playlist("#EXTM3U\n#EXT-X-TARGETDURATION:1\n")));
    assertEquals(Duration.ofSeconds(10), policy.freshness(playlist("#EXTM3U\n#EXT-X-TARGETDURATION:60\n")));
    assertEquals(Duration.ofSeconds(1), policy.freshness(playlist("#EXTM3U\n")));
    assertEquals(Duration.ofDays(1), policy.freshness(playlist("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-ENDLIST\n")));
  }

  @Test
  void explicitMaxAgeWinsExceptForKeys() {
    ServedResource seg = ServedResource.builder(ResourceKey.parse("/news/a.ts"), ByteSlice.empty())
        .maxAge(Duration.ofSeconds(7)).build();
    assertEquals("public, max-age=7", CachePolicy.defaults().cacheControl(seg));
    ServedResource key = ServedResource.builder(ResourceKey.parse("/news/keys/a"), ByteSlice.empty())
        .maxAge(Duration.ofSeconds(7)).build();
    assertEquals(Duration.ZERO, CachePolicy.defaults().freshness(key));
    assertEquals("no-store", CachePolicy.defaults().cacheControl(key));
  }

  @Test
  void multivariantHasItsOwnLifetimeLiveOrNot() {
    ResourceKey master = ResourceKey.parse("/news/master.m3u8");
    ServedResource text = ServedResource.of(master, ByteSlice.wrap(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv/index.m3u8\n".getBytes(StandardCharsets.UTF_8)));
    ServedResource live = text.toBuilder().live(true).build();
    assertEquals("public, max-age=300", CachePolicy.defaults().cacheControl(text));
    CachePolicy policy = CachePolicy.builder().multivariantMaxAge(Duration.ofSeconds(42)).build();
    assertEquals("public, max-age=42", policy.cacheControl(text));
    assertEquals("public, max-age=42", policy.cacheControl(live));
    assertEquals(Duration.ofDays(1), policy.freshness(playlist("#EXTM3U\n#EXT-X-ENDLIST\n")), "media VOD unchanged");
  }

  @Test
  void immutableFollowsTheResourceFlag() {
    ResourceKey segment = ResourceKey.parse("/news/a.ts");
    assertEquals("public, max-age=31536000, immutable",
        CachePolicy.defaults().cacheControl(ServedResource.builder(segment, ByteSlice.empty()).build()));
    ServedResource upstreamImmutable = ServedResource.builder(segment, ByteSlice.empty())
        .maxAge(Duration.ofSeconds(600)).immutable(true).build();
    assertEquals("public, max-age=600, immutable", CachePolicy.defaults().cacheControl(upstreamImmutable));
    assertEquals("public, max-age=600, immutable", CachePolicy.defaults().cacheControl(upstreamImmutable),
        "cached header value is the same");
    ServedResource mutable = upstreamImmutable.toBuilder().immutable(false).build();
    assertEquals("public, max-age=600", CachePolicy.defaults().cacheControl(mutable));
  }

  @Test
  void builderValidates() {
    assertThrows(IllegalArgumentException.class, () -> CachePolicy.builder().segmentMaxAge(Duration.ZERO));
    assertThrows(IllegalStateException.class,
        () -> CachePolicy.builder().segmentMaxAge(Duration.ofSeconds(1)).segmentMaxAge(Duration.ofSeconds(2)));
    assertThrows(IllegalArgumentException.class, () -> CachePolicy.builder().liveTargetFraction(1.5));
    assertThrows(IllegalArgumentException.class, () -> CachePolicy.builder()
        .livePlaylistMinAge(Duration.ofSeconds(5)).livePlaylistMaxAge(Duration.ofSeconds(2)).build());
  }
}
