package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.Scte35Sections;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsMuxer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iptv package --ad-markers}: an MPEG-TS input with an SCTE-35 break (a 12 s ffmpeg clip remuxed by the
 * library's TsMuxer with a splice_insert OUT and IN) is signalled as EXT-X-DATERANGE by default, as EXT-X-CUE-*
 * with {@code cue}, not at all with {@code none}; a bad value is exit 2.
 */
class PackageAdMarkersTest {
  @TempDir static Path media;
  static Path input;
  static byte[] outSection;

  @BeforeAll
  static void makeInput() throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path clip = media.resolve("clip.ts");
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=12",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", clip.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), log);
    byte[] ts = Files.readAllBytes(clip);
    List<TrackFormat> formats = new ArrayList<>();
    List<MediaSample> samples = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(e -> {
      if (e instanceof StreamEvent.TrackAdded a) {
        formats.add(a.format());
      } else if (e instanceof MediaSample s) {
        samples.add(s);
      }
    });
    demuxer.feed(ts, 0, ts.length);
    demuxer.finish();
    int video = formats.stream().filter(f -> f.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
    List<Long> keys = samples.stream().filter(s -> s.trackId() == video && s.keyframe()).map(MediaSample::pts90k)
        .sorted().toList();
    long out = keys.get(3);
    long in = keys.get(7);
    outSection = Scte35Sections.spliceInsert(5, true, out, in - out, false);
    byte[] inSection = Scte35Sections.spliceInsert(5, false, in, -1, false);
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    formats.forEach(muxer::addTrack);
    muxer.addTrack(TrackFormat.builder(0x1F0, Codec.SCTE35).build());
    muxer.startSegment();
    boolean outWritten = false;
    boolean inWritten = false;
    for (MediaSample s : samples) {
      if (!outWritten && s.dts90k() >= out - 90_000) {
        muxer.writeSection(0x1F0, ByteSlice.wrap(outSection));
        outWritten = true;
      }
      if (!inWritten && s.dts90k() >= in - 90_000) {
        muxer.writeSection(0x1F0, ByteSlice.wrap(inSection));
        inWritten = true;
      }
      muxer.write(s);
    }
    input = media.resolve("scte35.ts");
    Files.write(input, muxer.finishSegment().bytes().toByteArray());
  }

  private static String packageWith(Path dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("package", "--input", input.toString(), "--output",
        dir.resolve("out").toString(), "--segment-duration", "4", "--quiet"));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(0, code, err.toString());
    try {
      return Files.readString(dir.resolve("out/stream/index.m3u8"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void dateRangesByDefault(@TempDir Path dir) {
    String playlist = packageWith(dir);
    assertTrue(playlist.contains("SCTE35-OUT=0x" + HexFormat.of().withUpperCase().formatHex(outSection)), playlist);
    assertTrue(playlist.contains("SCTE35-IN=0x"), playlist);
    assertTrue(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:"), playlist);
    assertFalse(playlist.contains("#EXT-X-CUE-OUT"), playlist);
  }

  @Test
  void cueTagsOnRequest(@TempDir Path dir) {
    String playlist = packageWith(dir, "--ad-markers", "cue");
    assertTrue(playlist.contains("#EXT-X-CUE-OUT:DURATION=4.000"), playlist);
    assertTrue(playlist.contains("#EXT-X-CUE-IN"), playlist);
    assertFalse(playlist.contains("#EXT-X-DATERANGE"), playlist);
    String both = packageWith(dir.resolve("both"), "--ad-markers", "daterange,cue");
    assertTrue(both.contains("#EXT-X-CUE-OUT") && both.contains("#EXT-X-DATERANGE"), both);
  }

  @Test
  void noneIgnoresScte35(@TempDir Path dir) {
    String playlist = packageWith(dir, "--ad-markers", "none");
    assertFalse(playlist.contains("CUE") || playlist.contains("DATERANGE"), playlist);
  }

  @Test
  void badValueIsExit2(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(new String[] {"package", "--input", input.toString(), "--output",
        dir.resolve("out").toString(), "--ad-markers", "scte"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(2, code);
    assertTrue(err.toString().contains("--ad-markers"), err.toString());
    assertFalse(Files.exists(dir.resolve("out")));
  }
}
