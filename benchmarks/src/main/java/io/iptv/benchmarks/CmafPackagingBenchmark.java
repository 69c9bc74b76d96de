package io.iptv.benchmarks;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.segmenter.mp4.Mp4Demuxer;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.SegmentFormat;
import io.iptv.segmenter.pkg.SegmentSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of MP4 → HLS fMP4 (CMAF) packaging in process: {@link Mp4Demuxer} reading the file (from the
 * page cache) into an {@link HlsPackager} with {@link SegmentFormat#FMP4} and 6 s segments, writing init
 * segments, media segments and playlists into a sink that only counts bytes. The same work as
 * {@code iptv.jar package --format fmp4} without JVM start and disk writes; compare with
 * {@code benchmarks/scripts/cmaf-vs-ffmpeg.sh}, which makes the default input. One operation packages the whole
 * file; the {@code bytes} auxiliary counter reports input bytes per second (MB/s = bytes/s / 10^6).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CmafPackagingBenchmark -p file=benchmarks/target/media/h264_720p_3M.mp4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CmafPackagingBenchmark {
  /** The MP4 file to package. */
  @Param("benchmarks/target/media/h264_720p_3M.mp4")
  public String file;

  private Path input;
  private long inputBytes;

  /** Input bytes packaged, reported by JMH as a rate (bytes/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    /** Input bytes packaged so far in this iteration. */
    public long bytes;

    /** Clears the counter before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** Checks the input and that packaging writes segments (a benchmark of nothing is no use). */
  @Setup(Level.Trial)
  public void load() throws IOException, MediaException {
    input = Path.of(System.getProperty("iptv.bench.mp4", file));
    if (!Files.isRegularFile(input)) {
      throw new IOException("benchmark input " + input.toAbsolutePath()
          + " is missing; run benchmarks/scripts/cmaf-vs-ffmpeg.sh to generate it");
    }
    inputBytes = Files.size(input);
    CountingSink sink = new CountingSink(null);
    packageOnce(sink);
    if (sink.files < 3) {
      throw new IllegalStateException("packaging wrote only " + sink.files + " files");
    }
    System.out.printf("input: %d bytes -> %d files, %d bytes%n", inputBytes, sink.files, sink.bytes);
  }

  /** Packages the whole file. */
  @Benchmark
  public void packageFmp4(Bytes counter, Blackhole blackhole) throws MediaException {
    CountingSink sink = new CountingSink(blackhole);
    packageOnce(sink);
    counter.bytes += inputBytes;
  }

  private void packageOnce(CountingSink sink) throws MediaException {
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(6))
        .segmentFormat(SegmentFormat.FMP4)
        .build(sink);
    try (Mp4Demuxer in = Mp4Demuxer.open(input)) {
      in.readAll(packager);
    }
    packager.finish();
  }

  /** Counts what is written; hands the bytes to the blackhole so nothing is optimised away. */
  private static final class CountingSink implements SegmentSink {
    private final Blackhole blackhole;
    long files;
    long bytes;

    CountingSink(Blackhole blackhole) {
      this.blackhole = blackhole;
    }

    @Override
    public void write(String name, ByteSlice slice) {
      files++;
      bytes += slice.length();
      if (blackhole != null) {
        blackhole.consume(slice);
      }
    }

    @Override
    public void delete(String name) {}
  }
}
