package io.iptv.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenPropagationTest {
  @Test
  void appendsTheTokenToUriLinesAndUriAttributes() {
    String master = "#EXTM3U\r\n"
        + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"en\",URI=\"audio/en.m3u8\"\r\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"aud\"\r\n"
        + "video/index.m3u8\r\n"
        + "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"video/iframes.m3u8\"\r\n";
    assertEquals("#EXTM3U\r\n"
        + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"en\",URI=\"audio/en.m3u8?token=T\"\r\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"aud\"\r\n"
        + "video/index.m3u8?token=T\r\n"
        + "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"video/iframes.m3u8?token=T\"\r\n",
        TokenPropagation.rewrite(master, "T"));
  }

  @Test
  void rewritesMapKeyAndSegmentsButNotAbsoluteOrForeignUris() {
    String media = "#EXTM3U\n"
        + "#EXT-X-MAP:URI=\"init.mp4\"\n"
        + "#EXT-X-KEY:METHOD=AES-128,URI=\"/news/keys/k1.key\"\n"
        + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key-1\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
        + "# a comment with URI=\"x\"\n"
        + "#EXTINF:2,\nseg-1.ts\n"
        + "#EXTINF:2,\nseg-2.ts?v=3\n"
        + "#EXTINF:2,\nhttps://cdn.example/seg-3.ts\n"
        + "#EXTINF:2,\n//cdn.example/seg-4.ts\n"
        + "#EXTINF:2,\nseg-5.ts?token=already\n"
        + "#EXTINF:2,\nseg-6.ts#frag\n"
        + "#EXT-X-ENDLIST";
    assertEquals("#EXTM3U\n"
        + "#EXT-X-MAP:URI=\"init.mp4?token=a%2Bb\"\n"
        + "#EXT-X-KEY:METHOD=AES-128,URI=\"/news/keys/k1.key?token=a%2Bb\"\n"
        + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key-1\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
        + "# a comment with URI=\"x\"\n"
        + "#EXTINF:2,\nseg-1.ts?token=a%2Bb\n"
        + "#EXTINF:2,\nseg-2.ts?v=3&token=a%2Bb\n"
        + "#EXTINF:2,\nhttps://cdn.example/seg-3.ts\n"
        + "#EXTINF:2,\n//cdn.example/seg-4.ts\n"
        + "#EXTINF:2,\nseg-5.ts?token=already\n"
        + "#EXTINF:2,\nseg-6.ts?token=a%2Bb#frag\n"
        + "#EXT-X-ENDLIST",
        TokenPropagation.rewrite(media, "a+b"));
  }
}
