package io.iptv.segmenter.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200+ MB MP4 (moov at the end) demuxed in a child JVM with {@code -Xmx64m}: the mdat is never loaded,
 * only the tables and one sample at a time. Skipped without ffmpeg unless CI=true.
 */
class Mp4DemuxerMemoryTest {
  @TempDir Path dir;

  @Test
  void largeFileWithSmallHeap() throws Exception {
    Path small = dir.resolve("small.mp4");
    // High-bitrate intra-heavy video so the big file has few samples but many bytes.
    Mp4TestSupport.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
        "sine=sample_rate=48000", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-g", "25",
        "-c:a", "aac", small.toString());
    long smallSize = Files.size(small);
    int loops = (int) Math.min(2000, (210L << 20) / smallSize + 1);
    Path big = dir.resolve("big.mp4");
    Mp4TestSupport.ffmpeg("-stream_loop", String.valueOf(loops), "-i", small.toString(), "-c", "copy", big.toString());
    assertTrue(Files.size(big) > 200L << 20, "big file: " + Files.size(big));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Mp4TestSupport.ToolRun run = Mp4TestSupport.run(List.of(java, "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), Mp4MemoryProbe.class.getName(), big.toString()));
    assertEquals(0, run.exitCode(), run.stderr());
    String[] counts = run.stdout().trim().split(" ");
    assertTrue(Long.parseLong(counts[1]) > 190L << 20, "all sample bytes delivered: " + run.stdout());
    List<Mp4TestSupport.Packet> packets = Mp4TestSupport.ffprobePackets(big);
    assertEquals(packets.size(), Long.parseLong(counts[0]), "every sample");
  }
}
