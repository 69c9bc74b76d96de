package io.iptv.benchmarks;

import io.iptv.core.MediaException;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.mp4.Mp4Demuxer;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.InMemorySegmentSink;
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

/**
 * Throughput of MP4 → HLS (TS segments) packaging: {@link Mp4Demuxer} (reading the file, from the page
 * cache after the first run) → {@link HlsPackager} → {@link InMemorySegmentSink}, over the 1080p ~8 Mbit/s
 * clip remuxed to MP4 by {@code benchmarks/scripts/package-vs-ffmpeg.sh}. One operation packages the whole
 * file with 6 s segments; the {@code bytes} auxiliary counter reports input bytes per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Mp4ToHlsBenchmark -p file=benchmarks/target/media/h264_1080p_8M.mp4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Mp4ToHlsBenchmark {
  /** The MP4 file to package. */
  @Param("benchmarks/target/media/h264_1080p_8M.mp4")
  public String file;

  private Path input;
  private long size;

  /** Input bytes packaged, reported by JMH as a rate (bytes/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    /** Bytes packaged so far in this iteration. */
    public long bytes;

    /** Clears the counter before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** Checks the file and that packaging it yields segments. */
  @Setup(Level.Trial)
  public void load() throws IOException {
    input = Path.of(file);
    if (!Files.isRegularFile(input)) {
      throw new IOException("benchmark input " + input.toAbsolutePath()
          + " is missing; run benchmarks/scripts/package-vs-ffmpeg.sh to generate it");
    }
    size = Files.size(input);
    InMemorySegmentSink sink = packageOnce();
    long segments = sink.snapshot().keySet().stream().filter(n -> n.endsWith(".ts")).count();
    if (segments == 0) {
      throw new IllegalStateException("no segments packaged from the benchmark input");
    }
    System.out.printf("input: %d bytes -> %d segments, %d bytes written%n", size, segments, sink.bytesWritten());
  }

  /** Packages the whole file into memory. */
  @Benchmark
  public InMemorySegmentSink packageMp4(Bytes counter) throws MediaException {
    InMemorySegmentSink sink = packageOnce();
    counter.bytes += size;
    return sink;
  }

  private InMemorySegmentSink packageOnce() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(6)).build(sink);
    try (MediaInput in = Mp4Demuxer.open(input)) {
      in.readAll(packager);
    }
    packager.finish();
    return sink;
  }
}
