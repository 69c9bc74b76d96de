package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demuxes a transport stream written by ffmpeg (generated at test time; needs ffmpeg on the PATH). */
class TsDemuxerFfmpegTest {
  @TempDir
  Path dir;

  private static boolean ffmpegAvailable() {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private Path ffmpeg(String name, String... extra) throws Exception {
    boolean available = ffmpegAvailable();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(available, "ffmpeg is required when CI=true");
    }
    assumeTrue(available, "ffmpeg not installed");
    Path out = dir.resolve(name);
    List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine", "-t", "2",
        "-c:v", "libx264", "-g", "25", "-c:a", "aac", "-f", "mpegts"));
    command.addAll(List.of(extra));
    command.add(out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "ffmpeg.log"))).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg failed");
    return out;
  }

  @Test
  void ffmpegTransportStreamDemuxesTheSameInAnySplit() throws Exception {
    byte[] ts = Files.readAllBytes(ffmpeg("h264_aac.ts"));
    TsDemuxerTest.Run whole = TsDemuxerTest.demux(ts);
    List<MediaSample> video = whole.of(MediaSample.class).stream()
        .filter(s -> s.trackId() == 0x100).collect(java.util.stream.Collectors.toList());
    assertEquals(50, video.size(), "one PES per picture");
    for (int i = 1; i < video.size(); i++) {
      assertTrue(video.get(i).dts90k() > video.get(i - 1).dts90k());
    }
    assertEquals(Codec.H264, whole.demuxer().programs().get(0).streams().get(0).codec());
    assertEquals(Codec.AAC, whole.demuxer().programs().get(0).streams().get(1).codec());
    TsStatistics stats = whole.stats();
    assertEquals(0, stats.ccErrors());
    assertEquals(0, stats.bytesSkipped());
    assertTrue(Math.abs(stats.durationNanos() - 1_960_000_000L) < 100_000_000L, "duration " + stats.durationNanos());
    assertEquals(whole.events(), TsDemuxerTest.demux(ts, b -> {}, 1).events());
    assertEquals(whole.events(), TsDemuxerTest.demux(ts, b -> {}, 188).events());
    assertTrue(whole.events().get(whole.events().size() - 1) instanceof StreamEvent.EndOfStream);
  }

  @Test
  void ffmpegM2tsHasTheSameVideo() throws Exception {
    byte[] ts = Files.readAllBytes(ffmpeg("h264.ts"));
    byte[] m2ts = Files.readAllBytes(ffmpeg("h264.m2ts", "-mpegts_m2ts_mode", "1"));
    TsDemuxerTest.Run a = TsDemuxerTest.demux(ts);
    TsDemuxerTest.Run b = TsDemuxerTest.demux(m2ts, x -> {}, 1000);
    assertEquals(192, b.stats().packetSize());
    List<byte[]> va = a.of(MediaSample.class).stream().filter(s -> s.trackId() == 0x100)
        .map(s -> s.data().toByteArray()).collect(java.util.stream.Collectors.toList());
    List<byte[]> vb = b.of(MediaSample.class).stream().filter(s -> s.trackId() == 0x1011)
        .map(s -> s.data().toByteArray()).collect(java.util.stream.Collectors.toList());
    assertEquals(50, vb.size());
    assertEquals(va.size(), vb.size());
    for (int i = 0; i < va.size(); i++) {
      assertTrue(java.util.Arrays.equals(va.get(i), vb.get(i)), "picture " + i);
    }
  }
}
