package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.testing.FileTrees;
import io.iptv.core.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HlsFilePackager} writes the same bytes whatever the write mode: direct I/O and several writer threads
 * change how files reach the disk, never what is in them.
 */
class HlsFilePackagerWriteModesTest {
  @TempDir Path temp;

  private static HlsFilePackager.Builder packager(String format) {
    HlsFilePackager.Builder b = HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1));
    if (format.equals("fmp4")) {
      b.segmentFormat(SegmentFormat.FMP4).dash(true);
    }
    return b;
  }

  @ParameterizedTest
  @CsvSource({"h264_aac.ts, ts", "h264_aac_multilang.ts, ts", "h264_aac.ts, fmp4", "h264_aac_multilang.ts, fmp4"})
  void directIoAndSeveralWritersWriteTheSameBytes(String clip, String format) throws Exception {
    Path reference = temp.resolve("reference");
    packager(format).build().packageFiles(List.of(TestMedia.path(clip)), reference);
    Path other = temp.resolve("direct-2");
    packager(format).directIo(true).writerThreads(2).build().packageFiles(List.of(TestMedia.path(clip)), other);

    FileTrees.assertSameFiles(reference, other, 4);
    try (Stream<Path> entries = Files.list(temp)) {
      assertEquals(List.of(other, reference), entries.sorted().toList(), "no staging directory left behind");
    }
  }

  @ParameterizedTest
  @CsvSource({"0", "17"})
  void writerThreadsAreValidated(int threads) {
    assertThrows(IllegalArgumentException.class, () -> HlsFilePackager.builder().writerThreads(threads));
  }
}
