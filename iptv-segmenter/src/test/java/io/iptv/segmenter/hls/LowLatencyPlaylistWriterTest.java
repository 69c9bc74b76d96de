package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.MediaException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LowLatencyPlaylistWriter} against a playlist written by hand from RFC 8216bis (§4.4.3.7 PART-INF,
 * §4.4.3.8 SERVER-CONTROL, §4.4.4.9 PART, §4.4.5.2 SKIP, §4.4.5.3 PRELOAD-HINT, §4.4.5.4 RENDITION-REPORT),
 * and {@link LowLatencyPlaylistParser} reading back what the writer wrote.
 */
class LowLatencyPlaylistWriterTest {
  private static final Duration PART = Duration.ofMillis(400);

  private static MediaSegment segment(int n) {
    return MediaSegment.builder(Duration.ofSeconds(2), "seg-" + n + ".m4s")
        .map(new MediaInitialization("init.mp4", null)).build();
  }

  private static List<PartialSegment> parts(int n, int count) {
    List<PartialSegment> out = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new PartialSegment(Duration.ofMillis(400), "part-" + n + "." + i + ".m4s", i == 0,
          i == 2 ? new ByteRange(1000, 2000) : null));
    }
    return out;
  }

  private static LowLatencyPlaylist playlist(int segments) {
    MediaPlaylist.Builder b = MediaPlaylist.builder().targetDuration(2).mediaSequence(10).independentSegments(true);
    for (int i = 0; i < segments; i++) {
      b.addSegment(segment(10 + i));
    }
    MediaPlaylist base = b.build();
    long next = 10 + segments;
    return new LowLatencyPlaylist(base, PART, Map.of(next - 1, parts((int) next - 1, 5), next, parts((int) next, 2)),
        "part-" + next + ".2.m4s", LowLatencyPlaylist.ServerControl.forTargets(PART, 2),
        List.of(new LowLatencyPlaylist.RenditionReport("../audio/index.m3u8", next, 1)), 0);
  }

  @Test
  void writesEveryLowLatencyTag() {
    String expected = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.200,CAN-SKIP-UNTIL=12.0
        #EXT-X-PART-INF:PART-TARGET=0.400
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:2.000,
        seg-10.m4s
        #EXT-X-PART:DURATION=0.40000,URI="part-11.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.40000,URI="part-11.1.m4s"
        #EXT-X-PART:DURATION=0.40000,URI="part-11.2.m4s",BYTERANGE="1000@2000"
        #EXT-X-PART:DURATION=0.40000,URI="part-11.3.m4s"
        #EXT-X-PART:DURATION=0.40000,URI="part-11.4.m4s"
        #EXTINF:2.000,
        seg-11.m4s
        #EXT-X-PART:DURATION=0.40000,URI="part-12.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.40000,URI="part-12.1.m4s"
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-12.2.m4s"
        #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8",LAST-MSN=12,LAST-PART=1
        """;
    assertEquals(expected, LowLatencyPlaylistWriter.write(playlist(2), false));
  }

  @Test
  void aSegmentInProgressThatStartsAPeriodListsItsTagsBeforeItsParts() throws MediaException {
    String text = LowLatencyPlaylistWriter.write(playlist(2), false, true,
        new MediaInitialization("init-12.mp4", null));
    assertEquals(true, text.contains("seg-11.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-12.mp4\"\n"
        + "#EXT-X-PART:DURATION=0.40000,URI=\"part-12.0.m4s\",INDEPENDENT=YES\n"), text);
    LowLatencyPlaylistParser.parse(text);
    // the map in force is not repeated; without parts in progress nothing is written
    String same = LowLatencyPlaylistWriter.write(playlist(2), false, false, new MediaInitialization("init.mp4", null));
    assertEquals(LowLatencyPlaylistWriter.write(playlist(2), false), same);
  }

  @Test
  void aNewMapInProgressIsDeclaredInTheClearAndTheKeysFollowIt() {
    HlsKey key = new HlsKey("SAMPLE-AES", "skd://k1", null, "com.apple.streamingkeydelivery", "1");
    MediaPlaylist base = MediaPlaylist.builder().targetDuration(2).mediaSequence(10).independentSegments(true)
        .addSegment(segment(10).toBuilder().keys(List.of(key)).build()).build();
    LowLatencyPlaylist ll = new LowLatencyPlaylist(base, PART, Map.of(11L, parts(11, 1)), null,
        LowLatencyPlaylist.ServerControl.forTargets(PART, 2), List.of(), 0);
    String text = LowLatencyPlaylistWriter.write(ll, false, true, new MediaInitialization("init-11.mp4", null));
    String keyLine = text.lines().filter(l -> l.startsWith("#EXT-X-KEY:METHOD=SAMPLE-AES")).findFirst().orElseThrow();
    assertEquals(true, text.contains("seg-10.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-KEY:METHOD=NONE\n"
        + "#EXT-X-MAP:URI=\"init-11.mp4\"\n" + keyLine + "\n#EXT-X-PART:"), text);
  }

  @Test
  void deltaUpdateSkipsAllButCanSkipUntil() throws MediaException {
    LowLatencyPlaylist full = playlist(9); // 18 s; CAN-SKIP-UNTIL 12 s keeps the last 6 segments
    assertEquals(3, LowLatencyPlaylistWriter.skippable(full));
    String delta = LowLatencyPlaylistWriter.write(full, true);
    assertEquals(true, delta.contains("#EXT-X-VERSION:9\n"), delta);
    assertEquals(true, delta.contains("#EXT-X-PART-INF:PART-TARGET=0.400\n#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n"
        + "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.000,\nseg-13.m4s\n"), delta);
    LowLatencyPlaylist parsed = LowLatencyPlaylistParser.parse(delta);
    assertEquals(3, parsed.skippedSegments());
    assertEquals(full.base().segments().subList(3, 9), parsed.base().segments());
    assertEquals(full.parts(), parsed.parts());
    assertEquals(full.nextMediaSequence(), parsed.nextMediaSequence());
  }

  @Test
  void parserReadsBackWhatTheWriterWrote() throws MediaException {
    LowLatencyPlaylist written = playlist(4);
    LowLatencyPlaylist parsed = LowLatencyPlaylistParser.parse(LowLatencyPlaylistWriter.write(written, false));
    assertEquals(written.partTarget(), parsed.partTarget());
    assertEquals(written.parts(), parsed.parts());
    assertEquals(written.preloadHintUri(), parsed.preloadHintUri());
    assertEquals(written.serverControl(), parsed.serverControl());
    assertEquals(written.renditionReports(), parsed.renditionReports());
    assertEquals(written.base().segments(), parsed.base().segments());
    assertEquals(written.base().mediaSequence(), parsed.base().mediaSequence());
    assertEquals(0, parsed.skippedSegments());
  }

  @Test
  void parserRefusesMalformedTags() {
    String head = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET=0.4\n";
    assertThrows(MediaException.class, () -> LowLatencyPlaylistParser.parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n"),
        "no PART-INF");
    assertThrows(MediaException.class, () -> LowLatencyPlaylistParser.parse(head + "#EXT-X-PART:DURATION=0.4\n"),
        "PART without URI");
    assertThrows(MediaException.class, () -> LowLatencyPlaylistParser.parse(
        head + "#EXT-X-PART:DURATION=-1,URI=\"a\"\n"), "negative duration");
    assertThrows(MediaException.class, () -> LowLatencyPlaylistParser.parse(
        head + "#EXT-X-PART:DURATION=0.4,URI=\"a\n"), "unterminated string");
    assertThrows(MediaException.class, () -> LowLatencyPlaylistParser.parse(
        head + "#EXT-X-RENDITION-REPORT:URI=\"a\",LAST-MSN=x\n"), "bad number");
  }
}
