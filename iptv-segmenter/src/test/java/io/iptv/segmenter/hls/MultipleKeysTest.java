package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several {@code EXT-X-KEY}s for the same segments (RFC 8216 §4.3.2.4: one per KEYFORMAT), as sample-encrypted
 * fMP4 signals them: written together where they change, after the {@code EXT-X-MAP}, and parsed back with a
 * new tag replacing only the key of its own KEYFORMAT.
 */
class MultipleKeysTest {
  private static final HlsKey IDENTITY = new HlsKey("SAMPLE-AES-CTR", "../keys/k1.key", null, "identity", null);
  private static final HlsKey CLEARKEY = new HlsKey("SAMPLE-AES-CTR", "data:text/plain;base64,ASNFZ4mrze8BI0VniavN7w==",
      null, "org.w3.clearkey", "1");
  private static final HlsKey IDENTITY_2 = new HlsKey("SAMPLE-AES-CTR", "../keys/k2.key", null, "identity", null);
  private static final MediaInitialization MAP = new MediaInitialization("init.mp4", null);

  private static MediaSegment segment(int i, List<HlsKey> keys) {
    return MediaSegment.builder(Duration.ofSeconds(2), "seg-" + i + ".m4s").keys(keys).map(MAP).build();
  }

  @Test
  void writesEveryKeyWhereTheSetChangesAndParsesThemBack() throws MediaException {
    MediaPlaylist playlist = MediaPlaylist.builder().targetDuration(2).endList(true)
        .addSegment(segment(0, List.of()))
        .addSegment(segment(1, List.of(IDENTITY, CLEARKEY)))
        .addSegment(segment(2, List.of(IDENTITY, CLEARKEY)))
        .addSegment(segment(3, List.of(IDENTITY_2, CLEARKEY)))
        .build();
    String text = PlaylistWriter.defaults().write(playlist);
    assertEquals(6, PlaylistWriter.requiredVersion(playlist), "EXT-X-MAP in a normal playlist");
    String keys = "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"../keys/k1.key\",KEYFORMAT=\"identity\"\n"
        + "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"" + CLEARKEY.uri() + "\",KEYFORMAT=\"org.w3.clearkey\","
        + "KEYFORMATVERSIONS=\"1\"\n#EXTINF:2.000,\nseg-1.m4s\n#EXTINF:2.000,\nseg-2.m4s\n";
    assertTrue(text.contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.000,\nseg-0.m4s\n" + keys), text);
    assertEquals(3, text.split("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data").length, "clear key line twice: " + text);

    MediaPlaylist parsed = HlsPlaylistParser.builder().build().parseMedia(text.getBytes());
    assertEquals(List.of(), parsed.segments().get(0).keys());
    assertNull(parsed.segments().get(0).key());
    assertEquals(List.of(IDENTITY, CLEARKEY), parsed.segments().get(1).keys());
    assertEquals(List.of(IDENTITY, CLEARKEY), parsed.segments().get(2).keys());
    assertEquals(IDENTITY, parsed.segments().get(1).key(), "key(): the first");
    // the playlist writes both lines again at the change; and a lone identity tag replaces only the identity key
    assertEquals(List.of(IDENTITY_2, CLEARKEY).size(), parsed.segments().get(3).keys().size());
    MediaPlaylist replaced = HlsPlaylistParser.builder().build().parseMedia(text.replace(
        "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"../keys/k2.key\",KEYFORMAT=\"identity\"\n#EXT-X-KEY:METHOD="
            + "SAMPLE-AES-CTR,URI=\"" + CLEARKEY.uri() + "\",KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"\n",
        "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"../keys/k2.key\",KEYFORMAT=\"identity\"\n").getBytes());
    assertEquals(List.of(CLEARKEY, IDENTITY_2), replaced.segments().get(3).keys());
    assertEquals(text, PlaylistWriter.defaults().write(parsed), "round trip");
  }

  @Test
  void methodNoneClearsEveryKey() throws MediaException {
    String text = "#EXTM3U\n#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:2\n"
        + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"a\",KEYFORMAT=\"identity\"\n"
        + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"b\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
        + "#EXTINF:2,\ns0.m4s\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:2,\ns1.m4s\n#EXT-X-ENDLIST\n";
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(text.getBytes());
    assertEquals(2, p.segments().get(0).keys().size());
    assertEquals(List.of(), p.segments().get(1).keys());
  }
}
