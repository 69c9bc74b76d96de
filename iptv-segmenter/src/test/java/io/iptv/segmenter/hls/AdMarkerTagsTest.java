package io.iptv.segmenter.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXT-X-DATERANGE (SCTE-35 attributes) and EXT-X-CUE-* tags through {@link PlaylistWriter} and back. */
class AdMarkerTagsTest {
  private static final OffsetDateTime T0 = OffsetDateTime.parse("2024-05-01T12:00:00.000Z");
  private static final ByteSlice OUT = ByteSlice.wrap(new byte[] {(byte) 0xFC, 0x30, 0x25, 0x00, (byte) 0xAB});
  private static final ByteSlice IN = ByteSlice.wrap(new byte[] {(byte) 0xFC, 0x30, 0x20, 0x01});

  private static MediaPlaylist playlist() {
    DateRange out = DateRange.builder("break-1", T0.plusSeconds(6)).plannedDuration(Duration.ofSeconds(12))
        .scte35Out(OUT).build();
    DateRange in = DateRange.builder("break-1", T0.plusSeconds(6)).endDate(T0.plusSeconds(18))
        .duration(Duration.ofSeconds(12)).scte35In(IN).build();
    return MediaPlaylist.builder()
        .addSegment(MediaSegment.builder(Duration.ofSeconds(6), "a.ts").programDateTime(T0).build())
        .addSegment(MediaSegment.builder(Duration.ofSeconds(6), "b.ts").programDateTime(T0.plusSeconds(6))
            .dateRanges(List.of(out)).cueMarkers(List.of(CueMarker.out(Duration.ofSeconds(12)))).build())
        .addSegment(MediaSegment.builder(Duration.ofSeconds(6), "c.ts").programDateTime(T0.plusSeconds(12))
            .cueMarkers(List.of(CueMarker.cont(Duration.ofSeconds(6), Duration.ofSeconds(12)))).build())
        .addSegment(MediaSegment.builder(Duration.ofSeconds(6), "d.ts").programDateTime(T0.plusSeconds(18))
            .dateRanges(List.of(in)).cueMarkers(List.of(CueMarker.in())).build())
        .endList(true)
        .build();
  }

  @Test
  void writesTheTagsBeforeTheirSegment() {
    String text = PlaylistWriter.defaults().write(playlist());
    assertTrue(text.contains("#EXT-X-CUE-OUT:DURATION=12.000\n"
        + "#EXT-X-DATERANGE:ID=\"break-1\",START-DATE=\"2024-05-01T12:00:06.000Z\",PLANNED-DURATION=12.000,"
        + "SCTE35-OUT=0xFC302500AB\n#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:06.000Z\n#EXTINF:6.000,\nb.ts\n"), text);
    assertTrue(text.contains("#EXT-X-CUE-OUT-CONT:ElapsedTime=6.000,Duration=12.000\n"
        + "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:12.000Z\n"), text);
    assertTrue(text.contains("#EXT-X-CUE-IN\n#EXT-X-DATERANGE:ID=\"break-1\",START-DATE=\"2024-05-01T12:00:06.000Z\","
        + "END-DATE=\"2024-05-01T12:00:18.000Z\",DURATION=12.000,SCTE35-IN=0xFC302001\n"), text);
    assertTrue(text.startsWith("#EXTM3U\n#EXT-X-VERSION:3\n"), "no version bump for these tags");
  }

  @Test
  void parsesBackWhatItWrote() throws MediaException {
    MediaPlaylist written = playlist();
    MediaPlaylist parsed = HlsPlaylistParser.builder().build()
        .parseMedia(PlaylistWriter.defaults().write(written).getBytes(StandardCharsets.UTF_8));
    assertEquals(written.segments(), parsed.segments());
  }

  @Test
  void parsesOtherCueSpellings() throws MediaException {
    String text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:00Z\n"
        + "#EXT-X-CUE-OUT:30\n#EXTINF:6,\na.ts\n#EXT-X-CUE-OUT-CONT:6/30\n#EXTINF:6,\nb.ts\n"
        + "#EXT-X-CUE-OUT\n#EXT-X-DATERANGE:ID=\"x\",CLASS=\"c\",START-DATE=\"2024-05-01T12:00:12Z\","
        + "SCTE35-CMD=0xfc30,X-COM-FOO=1\n#EXTINF:6,\nc.ts\n";
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(CueMarker.out(Duration.ofSeconds(30)), p.segments().get(0).cueMarkers().get(0));
    assertEquals(CueMarker.cont(Duration.ofSeconds(6), Duration.ofSeconds(30)), p.segments().get(1).cueMarkers().get(0));
    assertEquals(CueMarker.out(null), p.segments().get(2).cueMarkers().get(0));
    assertEquals(ByteSlice.wrap(new byte[] {(byte) 0xFC, 0x30}), p.segments().get(2).dateRanges().get(0).scte35Cmd());
  }

  @Test
  void malformedDateRangeIsAMediaException() {
    for (String bad : List.of("#EXT-X-DATERANGE:ID=\"x\"", "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"soon\"",
        "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-05-01T12:00:12Z\",SCTE35-OUT=0xF",
        "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-05-01T12:00:12Z\",DURATION=-1")) {
      String text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n" + bad + "\n#EXTINF:6,\na.ts\n";
      assertThrows(MediaException.class,
          () -> HlsPlaylistParser.builder().build().parseMedia(text.getBytes(StandardCharsets.UTF_8)), bad);
    }
  }

  @Test
  void aDateRangeNeedsAProgramDateTime() {
    MediaPlaylist p = MediaPlaylist.builder().addSegment(MediaSegment.builder(Duration.ofSeconds(6), "a.ts")
        .dateRanges(List.of(DateRange.builder("x", T0).build())).build()).build();
    assertThrows(IllegalArgumentException.class, () -> PlaylistWriter.defaults().write(p));
  }
}
