package io.iptv.segmenter.mp4;

import io.iptv.core.media.MediaSample;
import java.nio.file.Path;

/**
 * Child-process entry point for {@link Mp4DemuxerMemoryTest}: demuxes the file given as the argument and
 * prints "samples bytes". Run with a small {@code -Xmx} to show memory does not grow with the file.
 */
public final class Mp4MemoryProbe {
  private Mp4MemoryProbe() {}

  /** Demuxes {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    long[] counts = new long[2];
    try (Mp4Demuxer demuxer = Mp4Demuxer.open(Path.of(args[0]))) {
      demuxer.readAll(event -> {
        if (event instanceof MediaSample s) {
          counts[0]++;
          counts[1] += s.sizeBytes();
        }
      });
    }
    System.out.println(counts[0] + " " + counts[1]);
  }
}
