package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class HlsPlaylistParserTest {
  private final HlsPlaylistParser parser = HlsPlaylistParser.builder().build();

  /** RFC 8216 §8.1. */
  private static final String SIMPLE = """
      #EXTM3U
      #EXT-X-TARGETDURATION:10
      #EXT-X-VERSION:3
      #EXTINF:9.009,
      http://media.example.com/first.ts
      #EXTINF:9.009,
      http://media.example.com/second.ts
      #EXTINF:3.003,
      http://media.example.com/third.ts
      #EXT-X-ENDLIST
      """;

  /** RFC 8216 §8.3. */
  private static final String ENCRYPTED = """
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-MEDIA-SEQUENCE:7794
      #EXT-X-TARGETDURATION:15

      #EXT-X-KEY:METHOD=AES-128,URI="https://priv.example.com/key.php?r=52"

      #EXTINF:2.833,
      http://media.example.com/fileSequence52-A.ts
      #EXTINF:15.0,
      http://media.example.com/fileSequence52-B.ts
      #EXTINF:13.333,
      http://media.example.com/fileSequence52-C.ts

      #EXT-X-KEY:METHOD=AES-128,URI="https://priv.example.com/key.php?r=53"

      #EXTINF:15.0,
      http://media.example.com/fileSequence53-A.ts
      """;

  /** RFC 8216 §8.4. */
  private static final String MASTER = """
      #EXTM3U
      #EXT-X-STREAM-INF:BANDWIDTH=1280000,AVERAGE-BANDWIDTH=1000000
      http://example.com/low.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=2560000,AVERAGE-BANDWIDTH=2000000
      http://example.com/mid.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=7680000,AVERAGE-BANDWIDTH=6000000
      http://example.com/hi.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=65000,CODECS="mp4a.40.5"
      http://example.com/audio-only.m3u8
      """;

  /** RFC 8216 §8.6 (continuation lines joined; CODECS filled in). */
  private static final String ALTERNATIVE_AUDIO = """
      #EXTM3U
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",DEFAULT=YES,AUTOSELECT=YES,LANGUAGE="en",URI="main/english-audio.m3u8"
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Deutsch",DEFAULT=NO,AUTOSELECT=YES,LANGUAGE="de",URI="main/german-audio.m3u8"
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Commentary",DEFAULT=NO,AUTOSELECT=NO,LANGUAGE="en",URI="commentary/audio-only.m3u8"
      #EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS="avc1.4d401e,mp4a.40.2",AUDIO="aac"
      low/video-only.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=2560000,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="aac"
      mid/video-only.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=7680000,CODECS="avc1.640028,mp4a.40.2",AUDIO="aac"
      hi/video-only.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=65000,CODECS="mp4a.40.5",AUDIO="aac"
      main/english-audio.m3u8
      """;

  /** In the style of ffmpeg hlsenc with -hls_flags single_file (byte ranges without offset are legal). */
  private static final String FFMPEG_SINGLE_FILE = "\uFEFF#EXTM3U\r\n#EXT-X-VERSION:4\r\n#EXT-X-TARGETDURATION:2\r\n"
      + "#EXT-X-MEDIA-SEQUENCE:0\r\n#EXT-X-PLAYLIST-TYPE:VOD\r\n#EXTINF:2.000000,\r\n#EXT-X-BYTERANGE:1000@0\r\n"
      + "out.ts\r\n#EXTINF:2.000000,\r\n#EXT-X-BYTERANGE:2000\r\nout.ts\r\n#EXT-X-FOO:BAR=1\r\n"
      + "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:04.5+0100\r\n#EXTINF:1.5,\r\n#EXT-X-BYTERANGE:500\r\nout.ts\r\n"
      + "#EXT-X-ENDLIST\r\n";

  @Test
  void parsesRfcSimpleMediaPlaylist() throws MediaException {
    MediaPlaylist p = parser.parseMedia(SIMPLE.getBytes(StandardCharsets.UTF_8));
    assertEquals(10, p.targetDuration());
    assertTrue(p.endList());
    assertEquals(3, p.segments().size());
    assertEquals(Duration.ofMillis(9009), p.segments().get(0).duration());
    assertEquals("http://media.example.com/third.ts", p.segments().get(2).uri());
  }

  @Test
  void parsesRfcEncryptedPlaylistWithKeyChanges() throws MediaException {
    MediaPlaylist p = parser.parseMedia(ENCRYPTED.getBytes(StandardCharsets.UTF_8));
    assertEquals(7794, p.mediaSequence());
    assertEquals(4, p.segments().size());
    assertEquals("https://priv.example.com/key.php?r=52", p.segments().get(2).key().uri());
    assertEquals("https://priv.example.com/key.php?r=53", p.segments().get(3).key().uri());
    assertEquals(Duration.ofSeconds(15), p.segments().get(1).duration());
  }

  @Test
  void parsesAndWritesIFrameStreamInf() throws MediaException {
    String text = "#EXTM3U\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS=\"avc1.4d401f,mp4a.40.2\"\nlow/video.m3u8\n"
        + "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,CODECS=\"avc1.4d401f\",RESOLUTION=640x360,"
        + "URI=\"low/iframe.m3u8\"\n"
        + "#EXT-X-I-FRAME-STREAM-INF:URI=\"mid/iframe.m3u8\",BANDWIDTH=150000\n";
    MultivariantPlaylist master = parser.parseMultivariant(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, master.variants().size(), "the I-frame streams are no variants");
    assertEquals(List.of(
        new MultivariantPlaylist.IFrameStream("low/iframe.m3u8", 86_000, 0, "avc1.4d401f", 640, 360),
        new MultivariantPlaylist.IFrameStream("mid/iframe.m3u8", 150_000, 0, null, 0, 0)), master.iFrameStreams());
    String written = PlaylistWriter.defaults().write(master);
    assertTrue(written.contains("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,CODECS=\"avc1.4d401f\","
        + "RESOLUTION=640x360,URI=\"low/iframe.m3u8\"\n"), written);
    assertEquals(master, parser.parseMultivariant(written.getBytes(StandardCharsets.UTF_8)), "round trip");
    String noUri = "#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1\n";
    assertThrows(MediaException.class, () -> parser.parse(noUri));
  }

  @Test
  void parsesRfcMultivariantPlaylists() throws MediaException {
    MultivariantPlaylist master = parser.parseMultivariant(MASTER.getBytes(StandardCharsets.UTF_8));
    assertEquals(4, master.variants().size());
    assertEquals(1_000_000, master.variants().get(0).averageBandwidth());
    assertEquals("mp4a.40.5", master.variants().get(3).codecs());

    MultivariantPlaylist alt = parser.parseMultivariant(ALTERNATIVE_AUDIO.getBytes(StandardCharsets.UTF_8));
    assertEquals(3, alt.renditions().size());
    assertEquals("avc1.4d401e,mp4a.40.2", alt.variants().get(0).codecs(), "comma inside quoted-string");
    assertEquals("aac", alt.variants().get(0).audioGroup());
    assertTrue(alt.renditions().get(0).isDefault());
    assertEquals("de", alt.renditions().get(1).language());
  }

  @Test
  void parsesBomCrlfImplicitByteRangesAndUnknownTags() throws MediaException {
    MediaPlaylist p = parser.parseMedia(FFMPEG_SINGLE_FILE.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(new ByteRange(1000, 0), new ByteRange(2000, 1000), new ByteRange(500, 3000)),
        p.segments().stream().map(MediaSegment::byteRange).toList());
    assertEquals(OffsetDateTime.parse("2024-05-01T12:00:04.5+01:00"), p.segments().get(2).programDateTime());
    assertEquals(MediaPlaylist.PlaylistType.VOD, p.playlistType());
    assertEquals(Duration.ofMillis(1500), p.segments().get(2).duration());
  }

  @Test
  void roundTripsWhatTheWriterWrites() throws MediaException {
    PlaylistWriter writer = PlaylistWriter.defaults();
    for (HlsPlaylist p : List.of(PlaylistWriterTest.vod(), PlaylistWriterTest.liveWithByteRangesAndKey(),
        PlaylistWriterTest.iFrames(), PlaylistWriterTest.multivariant())) {
      String text = writer.write(p);
      HlsPlaylist parsed = parser.parse(text.getBytes(StandardCharsets.UTF_8));
      assertEquals(text, writer.write(parsed));
    }
    // Real-world text normalises to writer form and then stays stable.
    for (String real : List.of(SIMPLE, ENCRYPTED, MASTER, ALTERNATIVE_AUDIO, FFMPEG_SINGLE_FILE)) {
      String once = writer.write(parser.parse(real.getBytes(StandardCharsets.UTF_8)));
      assertEquals(once, writer.write(parser.parse(once.getBytes(StandardCharsets.UTF_8))));
    }
  }

  @Test
  void writtenModelEqualsParsedModelForMillisecondDurations() throws MediaException {
    MediaPlaylist live = PlaylistWriterTest.liveWithByteRangesAndKey();
    assertEquals(live, parser.parseMedia(PlaylistWriter.defaults().writeBytes(live).toByteArray()));
  }

  @Test
  void garbageIsMalformedWithLineNumber() {
    assertMalformed("not a playlist\n", "line 1");
    assertMalformed("#EXTM3U\n#EXT-X-TARGETDURATION:x\n", "line 2");
    assertMalformed("#EXTM3U\n#EXT-X-TARGETDURATION:6\n\nseg.ts\n", "line 4");
    assertMalformed("#EXTM3U\n#EXTINF:abc,\nseg.ts\n", "line 2");
    assertMalformed("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"unterminated\n", "line 2");
    assertMalformed("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"a\"\nx.m3u8\n", "line 2");
    assertMalformed("#EXTM3U\n#EXTINF:2,\na.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\nb.m3u8\n", "line 4");
    assertMalformed("#EXTM3U\n#EXTINF:2,\n#EXT-X-BYTERANGE:100\na.ts\n", "line 4");
    assertMalformed("#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:yesterday\n", "line 2");
    assertMalformed("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"missing\"\nv.m3u8\n", "AUDIO");
    assertMalformed("#EXTM3U\n#EXTINF:2,\n", "line");
  }

  @Test
  void invalidUtf8AndOversizedInputAreRejected() {
    MediaException e = assertThrows(MediaException.class,
        () -> parser.parse(new byte[] {'#', 'E', 'X', 'T', 'M', '3', 'U', '\n', (byte) 0xC3, '\n'}));
    assertEquals(MediaException.Kind.MALFORMED, e.kind());
    HlsPlaylistParser small = HlsPlaylistParser.builder().maxBytes(100).build();
    MediaException big = assertThrows(MediaException.class, () -> small.parse(new byte[101]));
    assertEquals(MediaException.Kind.LIMIT_EXCEEDED, big.kind());
  }

  @Test
  void targetDurationViolationsInInputAreTolerated() throws MediaException {
    MediaPlaylist p = parser.parseMedia("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:9.0,\na.ts\n"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(2, p.targetDuration());
    assertThrows(IllegalArgumentException.class, () -> p.toBuilder().build(), "but the builder stays strict");
    assertNull(p.playlistType());
  }

  private void assertMalformed(String text, String expectedInMessage) {
    MediaException e = assertThrows(MediaException.class, () -> parser.parse(text.getBytes(StandardCharsets.UTF_8)),
        text);
    assertEquals(MediaException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }
}
