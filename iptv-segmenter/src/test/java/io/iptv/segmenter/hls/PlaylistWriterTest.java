package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Golden-text tests; run with {@code -Diptv.goldens=update} to rewrite the golden files. */
class PlaylistWriterTest {
  static MediaPlaylist vod() {
    return MediaPlaylist.builder()
        .playlistType(MediaPlaylist.PlaylistType.VOD)
        .independentSegments(true)
        .endList(true)
        .addSegment(MediaSegment.builder(Duration.ofMillis(6006), "seg0.ts")
            .programDateTime(OffsetDateTime.parse("2024-05-01T12:00:00Z")).build())
        .addSegment(MediaSegment.builder(Duration.ofNanos(6_005_900_000L), "seg1.ts").build())
        .addSegment(MediaSegment.builder(Duration.ofMillis(4500), "seg2.ts").discontinuity(true)
            .programDateTime(OffsetDateTime.parse("2024-05-01T14:00:00.25+02:00")).build())
        .build();
  }

  static MediaPlaylist liveWithByteRangesAndKey() {
    HlsKey key = new HlsKey("AES-128", "https://keys.example/k?id=1,2", "0x000102030405060708090a0b0c0d0e0f",
        null, null);
    return MediaPlaylist.builder()
        .targetDuration(4)
        .mediaSequence(100)
        .discontinuitySequence(3)
        .addSegment(MediaSegment.builder(Duration.ofSeconds(4), "all.ts").byteRange(new ByteRange(75232, 0))
            .key(key).build())
        .addSegment(MediaSegment.builder(Duration.ofMillis(3960), "all.ts").byteRange(new ByteRange(82112, 75232))
            .key(key).build())
        .addSegment(MediaSegment.builder(Duration.ofMillis(4040), "all.ts").title("live")
            .byteRange(new ByteRange(69864, 157344)).build())
        .build();
  }

  static MediaPlaylist iFrames() {
    MediaInitialization map = new MediaInitialization("seg0.ts", new ByteRange(376, 0));
    return MediaPlaylist.builder()
        .iFramesOnly(true)
        .endList(true)
        .addSegment(MediaSegment.builder(Duration.ofSeconds(2), "seg0.ts").byteRange(new ByteRange(9024, 376))
            .map(map).build())
        .addSegment(MediaSegment.builder(Duration.ofSeconds(2), "seg0.ts").byteRange(new ByteRange(8836, 12408))
            .map(map).build())
        .build();
  }

  static MultivariantPlaylist multivariant() {
    return MultivariantPlaylist.builder()
        .independentSegments(true)
        .addRendition(new MultivariantPlaylist.Rendition(MultivariantPlaylist.RenditionType.AUDIO, "aac", "English",
            "en", true, true, "audio/en.m3u8"))
        .addRendition(new MultivariantPlaylist.Rendition(MultivariantPlaylist.RenditionType.AUDIO, "aac", "Deutsch",
            "de", false, true, "audio/de.m3u8"))
        .addVariant(MultivariantPlaylist.Variant.builder("video/720p.m3u8", 2_628_000).averageBandwidth(2_200_000)
            .codecs(CodecStrings.join("avc1.64001f", "mp4a.40.2")).resolution(1280, 720).frameRate(25)
            .audioGroup("aac").build())
        .addVariant(MultivariantPlaylist.Variant.builder("video/360p.m3u8", 928_000)
            .codecs("avc1.4d401e,mp4a.40.2").resolution(640, 360).frameRate(30_000 / 1001.0).audioGroup("aac")
            .build())
        .build();
  }

  @Test
  void vodGolden() throws IOException {
    assertGolden("vod.m3u8", PlaylistWriter.defaults().write(vod()));
  }

  @Test
  void liveByteRangeKeyGolden() throws IOException {
    assertGolden("live-byterange-key.m3u8", PlaylistWriter.defaults().write(liveWithByteRangesAndKey()));
  }

  @Test
  void iFramesGolden() throws IOException {
    assertGolden("iframes.m3u8", PlaylistWriter.defaults().write(iFrames()));
  }

  @Test
  void multivariantGolden() throws IOException {
    assertGolden("multivariant.m3u8", PlaylistWriter.defaults().write(multivariant()));
  }

  @Test
  void versionFollowsFeatures() {
    assertEquals(3, PlaylistWriter.requiredVersion(vod()));
    assertEquals(4, PlaylistWriter.requiredVersion(liveWithByteRangesAndKey()));
    assertEquals(5, PlaylistWriter.requiredVersion(iFrames()));
    MediaPlaylist fmp4 = MediaPlaylist.builder().addSegment(MediaSegment.builder(Duration.ofSeconds(2), "s.m4s")
        .map(new MediaInitialization("init.mp4", null)).build()).build();
    assertEquals(6, PlaylistWriter.requiredVersion(fmp4));
    MediaPlaylist sampleAes = MediaPlaylist.builder().addSegment(MediaSegment.builder(Duration.ofSeconds(2), "s.ts")
        .key(new HlsKey("SAMPLE-AES", "skd://k", null, "com.apple.streamingkeydelivery", "1")).build()).build();
    assertEquals(5, PlaylistWriter.requiredVersion(sampleAes));
  }

  @Test
  void fiveDecimalsOnRequest() {
    PlaylistWriter writer = PlaylistWriter.builder().durationDecimals(5).build();
    assertEquals("6.00600", writer.formatDuration(Duration.ofMillis(6006)));
    assertEquals("0.04000", writer.formatDuration(Duration.ofNanos(3600 * 1_000_000_000L / 90_000)));
    assertEquals("1.000", PlaylistWriter.defaults().formatDuration(Duration.ofNanos(999_500_000)), "half up");
    assertThrows(IllegalArgumentException.class, () -> PlaylistWriter.builder().durationDecimals(4));
    assertThrows(IllegalStateException.class, () -> PlaylistWriter.builder().durationDecimals(3).durationDecimals(5));
  }

  @Test
  void rejectsTextThatWouldBreakTheSyntax() {
    MediaPlaylist badKey = MediaPlaylist.builder().addSegment(MediaSegment.builder(Duration.ofSeconds(1), "a.ts")
        .key(new HlsKey("AES-128", "https://k/\"x\"", null, null, null)).build()).build();
    assertThrows(IllegalArgumentException.class, () -> PlaylistWriter.defaults().write(badKey));
    MediaPlaylist hashUri = MediaPlaylist.builder().addSegment(MediaSegment.builder(Duration.ofSeconds(1), "#a.ts")
        .build()).build();
    assertThrows(IllegalArgumentException.class, () -> PlaylistWriter.defaults().write(hashUri));
  }

  static void assertGolden(String name, String actual) throws IOException {
    if ("update".equals(System.getProperty("iptv.goldens"))) {
      Files.writeString(Path.of("src/test/resources/goldens/hls", name), actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = PlaylistWriterTest.class.getResourceAsStream("/goldens/hls/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden /goldens/hls/" + name);
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, name);
    }
  }
}
