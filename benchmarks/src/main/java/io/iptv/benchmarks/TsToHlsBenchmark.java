package io.iptv.benchmarks;

import io.iptv.core.MediaException;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.InMemorySegmentSink;
import io.iptv.segmenter.ts.TsDemuxer;
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
 * Throughput of TS → HLS packaging in memory: {@link TsDemuxer} → {@link HlsPackager} (chunker, TS muxer,
 * VOD playlists) → {@link InMemorySegmentSink}, over a 1080p ~8 Mbit/s H.264 + AAC clip (made by
 * {@code benchmarks/scripts/demux-vs-ffprobe.sh} or {@code package-vs-ffmpeg.sh}). One operation packages
 * the whole file with 6 s segments; the {@code bytes} auxiliary counter reports input bytes per second
 * (MB/s = bytes/s / 10^6). No disk I/O: compare with {@code iptv.jar package} for the end-to-end figure.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TsToHlsBenchmark -p file=benchmarks/target/media/h264_1080p_8M.ts
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TsToHlsBenchmark {
  /** The transport stream to package. */
  @Param("benchmarks/target/media/h264_1080p_8M.ts")
  public String file;

  /** Bytes per {@code feed} call (as a file or network reader would deliver them). */
  @Param("65536")
  public int chunkBytes;

  private byte[] ts;

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

  /** Loads the file and checks that packaging it yields segments. */
  @Setup(Level.Trial)
  public void load() throws IOException {
    Path input = Path.of(file);
    if (!Files.isRegularFile(input)) {
      throw new IOException("benchmark input " + input.toAbsolutePath()
          + " is missing; run benchmarks/scripts/package-vs-ffmpeg.sh to generate it");
    }
    ts = Files.readAllBytes(input);
    InMemorySegmentSink sink = packageOnce();
    long segments = sink.snapshot().keySet().stream().filter(n -> n.endsWith(".ts")).count();
    if (segments == 0) {
      throw new IllegalStateException("no segments packaged from the benchmark input");
    }
    System.out.printf("input: %d bytes -> %d segments, %d bytes written%n", ts.length, segments,
        sink.bytesWritten());
  }

  /** Packages the whole file into memory. */
  @Benchmark
  public InMemorySegmentSink packageTs(Bytes counter) throws MediaException {
    InMemorySegmentSink sink = packageOnce();
    counter.bytes += ts.length;
    return sink;
  }

  private InMemorySegmentSink packageOnce() throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(6)).build(sink);
    TsDemuxer demuxer = TsDemuxer.builder().build(packager);
    for (int offset = 0; offset < ts.length; offset += chunkBytes) {
      demuxer.feed(ts, offset, Math.min(chunkBytes, ts.length - offset));
    }
    demuxer.finish();
    packager.finish();
    return sink;
  }
}
