package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.ResourceKey;
import io.iptv.drm.PlaylistSegmentKeys.SegmentCrypto;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a player would decrypt each listed resource with, read from the playlist (RFC 8216 §4.3.2.4, §5.2). */
class PlaylistSegmentKeysTest {
  private static final ResourceKey PLAYLIST = ResourceKey.parse("/news/video/index.m3u8");
  private static final String K1 = "../keys/00112233445566778899aabbccddeeff.key";
  private static final String K2 = "../keys/ffeeddccbbaa99887766554433221100.key";

  private static Map<ResourceKey, SegmentCrypto> scan(String text) {
    return PlaylistSegmentKeys.scan(PLAYLIST, text);
  }

  private static SegmentCrypto at(Map<ResourceKey, SegmentCrypto> found, String path) {
    return found.get(ResourceKey.parse(path));
  }

  @Test
  void ivIsTheMediaSequenceNumberAndKeysChangeWhereTheLineSays() {
    Map<ResourceKey, SegmentCrypto> found = scan("""
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:41
        #EXTINF:2.0,
        seg-41.ts
        #EXT-X-KEY:METHOD=AES-128,URI="%s",KEYFORMAT="identity"
        #EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://x",KEYFORMAT="com.apple.streamingkeydelivery"
        #EXTINF:2.0,
        seg-42.ts
        #EXT-X-KEY:METHOD=AES-128,URI="%s"
        #EXTINF:2.0,
        seg-43.ts?token=abc
        #EXT-X-KEY:METHOD=NONE
        #EXTINF:2.0,
        seg-44.ts
        """.formatted(K1, K2));
    assertTrue(at(found, "/news/video/seg-41.ts").clear(), "clear lead");
    SegmentCrypto s42 = at(found, "/news/video/seg-42.ts");
    assertEquals("/news/keys/00112233445566778899aabbccddeeff.key", s42.keyUri());
    assertArrayEquals(IvPolicy.mediaSequence().ivFor(42), s42.iv());
    SegmentCrypto s43 = at(found, "/news/video/seg-43.ts");
    assertEquals("/news/keys/ffeeddccbbaa99887766554433221100.key", s43.keyUri(), "rotated; query dropped");
    assertArrayEquals(IvPolicy.mediaSequence().ivFor(43), s43.iv());
    assertTrue(at(found, "/news/video/seg-44.ts").clear(), "METHOD=NONE");
  }

  @Test
  void explicitIvSkippedSegmentsAndMaps() {
    String iv = "0x000102030405060708090a0b0c0d0e0f";
    Map<ResourceKey, SegmentCrypto> found = scan("""
        #EXTM3U
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-MAP:URI="init.mp4"
        #EXT-X-KEY:METHOD=AES-128,URI="%s"
        #EXT-X-SKIP:SKIPPED-SEGMENTS=5
        #EXTINF:2.0,
        seg-15.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-2.mp4"
        #EXTINF:2.0,
        seg-16.m4s
        #EXT-X-KEY:METHOD=AES-128,URI="%s",IV=%s
        #EXT-X-MAP:URI="init-3.mp4"
        #EXTINF:2.0,
        seg-17.m4s
        """.formatted(K1, K2, iv));
    assertTrue(at(found, "/news/video/init.mp4").clear(), "a map before the first key is clear");
    assertArrayEquals(IvPolicy.mediaSequence().ivFor(15), at(found, "/news/video/seg-15.m4s").iv(),
        "EXT-X-SKIP counts the skipped segments");
    assertNull(at(found, "/news/video/init-2.mp4"), "a map under a key without IV is invalid: refused");
    assertArrayEquals(IvPolicy.mediaSequence().ivFor(16), at(found, "/news/video/seg-16.m4s").iv());
    byte[] explicit = HexFormat.of().parseHex(iv.substring(2));
    assertArrayEquals(explicit, at(found, "/news/video/init-3.mp4").iv(), "map encrypted with the explicit IV");
    assertArrayEquals(explicit, at(found, "/news/video/seg-17.m4s").iv());
  }

  @Test
  void refusesWhatAWholeFileTransformCannotServeOrWhatLeavesTheChannel() {
    Map<ResourceKey, SegmentCrypto> found = scan("""
        #EXTM3U
        #EXT-X-KEY:METHOD=AES-128,URI="%s"
        #EXT-X-BYTERANGE:1000@0
        #EXTINF:2.0,
        all.ts
        #EXTINF:2.0,
        ../../other/seg-1.ts
        #EXTINF:2.0,
        http://cdn.example/news/video/seg-2.ts
        #EXTINF:2.0,
        seg-3.ts
        #EXT-X-KEY:METHOD=AES-128,URI="%s",IV=0x1234
        #EXTINF:2.0,
        seg-4.ts
        """.formatted(K1, K1));
    assertNull(at(found, "/news/video/all.ts"), "byte range under a key");
    assertFalse(found.keySet().stream().anyMatch(k -> !k.channel().equals("news")), found.toString());
    assertEquals(1, found.size(), "only seg-3 (malformed IV refuses seg-4): " + found);
    assertArrayEquals(IvPolicy.mediaSequence().ivFor(3), at(found, "/news/video/seg-3.ts").iv());
    assertTrue(scan("#EXTM3U\n#EXT-X-I-FRAMES-ONLY\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.key\"\n"
        + "#EXT-X-BYTERANGE:10@0\n#EXTINF:1,\nseg-1.ts\n").isEmpty(), "I-frame playlists decide nothing");
  }

  @Test
  void multivariantPlaylistNamesItsMediaPlaylists() {
    ResourceKey master = ResourceKey.parse("/news/master.m3u8");
    List<ResourceKey> media = PlaylistSegmentKeys.mediaPlaylists(master, """
        #EXTM3U
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/index.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,AUDIO="a"
        video/index.m3u8?token=t
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="video/iframes.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=1000000
        ../elsewhere/index.m3u8
        """, 10);
    assertEquals(List.of(ResourceKey.parse("/news/audio/index.m3u8"), ResourceKey.parse("/news/video/index.m3u8")),
        media);
  }
}
