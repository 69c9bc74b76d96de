package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceKeyTest {
  @ParameterizedTest
  @CsvSource({
      "/news/master.m3u8, news, MULTIVARIANT, master.m3u8",
      "/news/video/720p/index.m3u8, news, PLAYLIST, video/720p/index.m3u8",
      "/news/index.m3u8, news, PLAYLIST, index.m3u8",
      "/news/manifest.mpd, news, MANIFEST, manifest.mpd",
      "/news/seg-42.ts, news, SEGMENT, seg-42.ts",
      "/news/v/chunk-1.m4s, news, SEGMENT, v/chunk-1.m4s",
      "/news/v/init.mp4, news, INIT_SEGMENT, v/init.mp4",
      "/news/init-720p.m4s, news, INIT_SEGMENT, init-720p.m4s",
      "/news/keys/k1.key, news, KEY, keys/k1.key",
      "/news/keys/0123abcd, news, KEY, keys/0123abcd",
      "/news/subs/en-1.vtt, news, SEGMENT, subs/en-1.vtt",
      "/license/clearkey, license, LICENSE, clearkey",
      "/sport_2-HD/a.aac, sport_2-HD, SEGMENT, a.aac",
  })
  void parsesLayout(String path, String channel, ResourceKind kind, String name) {
    ResourceKey key = ResourceKey.parse(path);
    assertEquals(new ResourceKey(channel, kind, name), key);
    assertEquals(path, key.path());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "news/seg.ts", "/news/../secret.ts", "/news/./seg.ts", "/news/%2e%2e/seg.ts", "/news/..%2fseg.ts",
      "/news%2f..%2fetc/seg.ts", "/news/a%00.ts", "/news//seg.ts", "/news/.hidden.ts", "/news/seg.ts/",
      "/news/a\\..\\b.ts", "/../news/seg.ts", "/./seg.ts", "/ne ws/seg.ts", "/news/seg ment.ts",
      "/news/séance.ts", "/news/a:b.ts", "/news/a/b/c/d/e/f/g/h/i.ts",
  })
  void rejectsMalformedPaths(String path) {
    ResourcePathException e = assertThrows(ResourcePathException.class, () -> ResourceKey.parse(path));
    assertEquals(ResourcePathException.Reason.MALFORMED, e.reason(), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/news", "/news/readme.txt", "/news/seg", "/license/widevine", "/news/index.html"})
  void unknownResourcesAreNotFound(String path) {
    ResourcePathException e = assertThrows(ResourcePathException.class, () -> ResourceKey.parse(path));
    assertEquals(ResourcePathException.Reason.UNKNOWN_RESOURCE, e.reason(), path);
  }

  @org.junit.jupiter.api.Test
  void rejectsOverlongPath() {
    String path = "/news/" + "a".repeat(ResourceKey.MAX_PATH_LENGTH) + ".ts";
    assertEquals(ResourcePathException.Reason.MALFORMED,
        assertThrows(ResourcePathException.class, () -> ResourceKey.parse(path)).reason());
  }

  @org.junit.jupiter.api.Test
  void constructorValidatesLikeParse() {
    assertThrows(IllegalArgumentException.class, () -> new ResourceKey("news", ResourceKind.SEGMENT, "../x.ts"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceKey("ne.ws", ResourceKind.SEGMENT, "x.ts"));
  }
}
