package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ABR: two ffmpeg encodes of one source packaged together; aligned GOPs pass, different GOPs fail loudly. */
class AbrAlignmentTest {
  @TempDir Path temp;

  private Path encode(String name, int width, int gop, int bitrateK) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path out = temp.resolve(name);
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=640x360:rate=25:duration=6", "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
        "-vf", "scale=" + width + ":-2", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", bitrateK + "k",
        "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0", "-bf", "2",
        "-threads", "1", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", out.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), log);
    return out;
  }

  @Test
  void alignedRenditionsShareOneMultivariantPlaylist() throws Exception {
    Path high = encode("high.ts", 640, 50, 900);
    Path low = encode("low.ts", 320, 50, 300);
    Path out = temp.resolve("abr");
    HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(2)).build().packageFiles(List.of(high, low), out);
    MultivariantPlaylist master = HlsOutput.master(out);
    assertEquals(2, master.variants().size());
    assertEquals(640, master.variants().get(0).width());
    assertEquals(320, master.variants().get(1).width());
    assertTrue(master.variants().get(0).bandwidth() > master.variants().get(1).bandwidth());
    MediaPlaylist a = HlsOutput.media(out.resolve("v0/index.m3u8"));
    MediaPlaylist b = HlsOutput.media(out.resolve("v1/index.m3u8"));
    assertEquals(a.segments().size(), b.segments().size());
    for (int i = 0; i < a.segments().size(); i++) {
      assertEquals(a.segments().get(i).duration(), b.segments().get(i).duration());
      assertEquals(a.segments().get(i).uri(), b.segments().get(i).uri());
    }
    assertEquals("", HlsOutput.ffmpegErrors(out.resolve("master.m3u8")));
  }

  @Test
  void misalignedRenditionsFailNamingTheSegment() throws Exception {
    Path a = encode("gop2s.ts", 640, 50, 900);
    Path b = encode("gop1_2s.ts", 320, 30, 300);
    Path out = temp.resolve("abr");
    MediaException e = assertThrows(MediaException.class, () -> HlsFilePackager.builder()
        .segmentDuration(Duration.ofSeconds(2)).build().packageFiles(List.of(a, b), out));
    assertTrue(e.getMessage().startsWith("renditions are not aligned: segment 1 of gop1_2s.ts starts at"),
        e.getMessage());
    assertFalse(Files.exists(out), "no output on failure");
  }
}
