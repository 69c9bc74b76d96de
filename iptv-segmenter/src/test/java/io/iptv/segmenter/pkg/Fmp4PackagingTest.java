package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HLS with fMP4 segments: layout, EXT-X-MAP, version, audio group, ffmpeg decode of the master playlist. */
class Fmp4PackagingTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts", "h264_aac_multilang.ts",
      "h264_aac_pts_wrap.ts"})
  void fmp4PackageDecodes(String clip) throws Exception {
    Path out = temp.resolve("out");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).segmentFormat(SegmentFormat.FMP4).dash(true)
        .build()
        .packageFiles(List.of(TestMedia.path(clip)), out);
    MultivariantPlaylist master = HlsOutput.master(out);
    assertEquals(1, master.variants().size());
    assertEquals("audio", master.variants().get(0).audioGroup(), "audio is a separate CMAF rendition");
    assertTrue(master.renditions().size() >= 1);
    for (Path playlistFile : HlsOutput.mediaPlaylists(out)) {
      String text = Files.readString(playlistFile);
      assertTrue(text.contains("#EXT-X-VERSION:6"), text);
      assertTrue(text.contains("#EXT-X-MAP:URI=\"init.mp4\""), text);
      assertTrue(Files.size(playlistFile.resolveSibling("init.mp4")) > 0);
      MediaPlaylist playlist = HlsOutput.media(playlistFile);
      HlsOutput.assertTargetDurationRule(playlist);
      assertTrue(playlist.segments().size() >= 2);
      for (MediaSegment s : playlist.segments()) {
        assertTrue(s.uri().endsWith(".m4s"), s.uri());
      }
    }
    assertEquals("", HlsOutput.ffmpegErrors(out.resolve("master.m3u8")), "ffmpeg decode errors");

    Path mpd = out.resolve("manifest.mpd");
    String xml = Files.readString(mpd);
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(mpd.toFile()); // well-formed
    assertTrue(xml.contains("type=\"static\""), xml);
    assertTrue(xml.contains("contentType=\"video\"") && xml.contains("contentType=\"audio\""), xml);
    assertTrue(xml.contains("media=\"stream/seg-$Number%05d$.m4s\""), xml);
    assertEquals("", HlsOutput.ffmpegErrors(mpd), "ffmpeg decode errors (DASH)");
  }
}
