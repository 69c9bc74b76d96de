package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HlsFilePackagerTest {
  private static final long ONE_FRAME_90K = 90_000 / 25;

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts", "h264_mp2.ts", "h264_mp3.ts",
      "mpeg2_mp2.ts", "h264_aac_pts_wrap.ts", "h264_aac_cbr.ts", "h264_aac_multilang.ts", "h264_ac3_m2ts.m2ts"})
  void packagedClipDecodesAndKeepsEverySample(String clip) throws Exception {
    Path out = temp.resolve("out");
    HlsFilePackager.Result result = HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).build()
        .packageFiles(List.of(TestMedia.path(clip)), out);
    assertTrue(result.timings().size() >= 2, "segments: " + result.timings());

    assertEquals("", HlsOutput.ffmpegErrors(out.resolve("master.m3u8")), "ffmpeg decode errors");

    List<StreamEvent> input = HlsOutput.demux(Files.readAllBytes(TestMedia.path(clip)));
    Map<Integer, Integer> inputCounts = HlsOutput.countsByTrack(input);
    int inputTotal = inputCounts.values().stream().mapToInt(Integer::intValue).sum();
    int outputTotal = 0;
    for (Path playlistFile : HlsOutput.mediaPlaylists(out)) {
      MediaPlaylist playlist = HlsOutput.media(playlistFile);
      HlsOutput.assertTargetDurationRule(playlist);
      HlsOutput.assertSegmentsStartWithKeyframes(playlistFile, playlist);
      assertTrue(playlist.endList());
      for (MediaSegment s : playlist.segments()) {
        assertFalse(s.discontinuity(), clip + ": no discontinuity expected (wrap is continuous)");
        byte[] bytes = Files.readAllBytes(playlistFile.resolveSibling(s.uri()));
        outputTotal += HlsOutput.countsByTrack(HlsOutput.demux(bytes)).values().stream()
            .mapToInt(Integer::intValue).sum();
      }
      long extinf90k = playlist.segments().stream().mapToLong(s -> s.duration().toNanos() * 9 / 100_000).sum();
      long span = HlsOutput.span90k(input);
      assertTrue(Math.abs(extinf90k - span) <= ONE_FRAME_90K,
          clip + ": EXTINF total " + extinf90k + " vs input span " + span);
    }
    assertEquals(inputTotal, outputTotal, clip + ": samples in = samples out over all renditions");
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(out), files.toList(), "no staging directory left behind");
    }
  }

  @Test
  void multipleAudioTracksBecomeAnAudioGroup() throws Exception {
    Path out = temp.resolve("multi");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).build()
        .packageFiles(List.of(TestMedia.path("h264_aac_multilang.ts")), out);
    MultivariantPlaylist master = HlsOutput.master(out);
    assertEquals(3, master.renditions().size());
    assertEquals(List.of("en", "de", "fr"), master.renditions().stream().map(MultivariantPlaylist.Rendition::language)
        .toList());
    assertTrue(master.renditions().get(0).isDefault());
    assertFalse(master.renditions().get(1).isDefault());
    assertTrue(master.renditions().stream().allMatch(MultivariantPlaylist.Rendition::autoselect));
    MultivariantPlaylist.Variant v = master.variants().get(0);
    assertEquals("audio", v.audioGroup());
    assertEquals("avc1.64000c,mp4a.40.2", v.codecs());
    assertEquals(320, v.width());
    // BANDWIDTH = video peak + the largest audio peak of the group (RFC 8216 §4.3.4.2).
    long videoOnly = BandwidthOf.peak(out.resolve(v.uri()));
    long maxAudio = 0;
    for (MultivariantPlaylist.Rendition r : master.renditions()) {
      maxAudio = Math.max(maxAudio, BandwidthOf.peak(out.resolve(r.uri())));
    }
    // Recomputed from the playlist's 3-decimal EXTINF values, so equal within rounding (0.1 %).
    assertEquals(videoOnly + maxAudio, v.bandwidth(), (videoOnly + maxAudio) / 1000.0);
  }

  @Test
  void badInputLeavesNoOutput() throws Exception {
    Path bad = temp.resolve("bad.ts");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Path out = temp.resolve("out");
    assertThrows(MediaException.class, () -> HlsFilePackager.builder().build().packageFiles(List.of(bad), out));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(bad), files.toList());
    }
  }

  @Test
  void splicedInputGetsOneDiscontinuityAndDecodes() throws Exception {
    byte[] a = TestMedia.bytes("h264_aac.ts");
    byte[] b = TestMedia.bytes("h264_aac_pts_wrap.ts");
    byte[] spliced = new byte[a.length + b.length];
    System.arraycopy(a, 0, spliced, 0, a.length);
    System.arraycopy(b, 0, spliced, a.length, b.length);
    Path input = temp.resolve("spliced.ts");
    Files.write(input, spliced);
    Path out = temp.resolve("spliced");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).build().packageFiles(List.of(input), out);
    MediaPlaylist p = HlsOutput.media(out.resolve("stream/index.m3u8"));
    long discontinuities = p.segments().stream().filter(MediaSegment::discontinuity).count();
    assertEquals(1, discontinuities, "one EXT-X-DISCONTINUITY at the splice");
    int index = 0;
    while (!p.segments().get(index).discontinuity()) {
      index++;
    }
    assertEquals(3, index, "the splice is after the three 1-s segments of the first clip");
    HlsOutput.assertTargetDurationRule(p);
    HlsOutput.assertSegmentsStartWithKeyframes(out.resolve("stream/index.m3u8"), p);
    // ffmpeg's null muxer reports the timestamp jump itself ("non monotonically increasing dts to muxer"),
    // exactly as it does for the spliced input file; anything else (a decoder error) fails.
    for (String line : HlsOutput.ffmpegErrors(out.resolve("master.m3u8")).split("\n")) {
      assertTrue(line.isEmpty() || line.contains("non monotonically increasing dts to muxer"), line);
    }
  }

  /** Peak bit rate of a media playlist from its files. */
  static final class BandwidthOf {
    static long peak(Path playlistFile) throws Exception {
      MediaPlaylist p = HlsOutput.media(playlistFile);
      List<io.iptv.segmenter.hls.BandwidthCalculator.SegmentSize> sizes = new java.util.ArrayList<>();
      for (MediaSegment s : p.segments()) {
        sizes.add(new io.iptv.segmenter.hls.BandwidthCalculator.SegmentSize(s.duration(),
            Files.size(playlistFile.resolveSibling(s.uri()))));
      }
      return io.iptv.segmenter.hls.BandwidthCalculator.peakBitRate(sizes, p.targetDuration());
    }
  }
}
