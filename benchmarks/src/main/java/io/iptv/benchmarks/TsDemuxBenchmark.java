package io.iptv.benchmarks;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Throughput of {@link TsDemuxer} over an in-memory transport stream (by default a 1080p ~8 Mbit/s H.264 +
 * AAC clip made by {@code benchmarks/scripts/demux-vs-ffprobe.sh}), fed in chunks as a network reader
 * would, every event going into a {@link Blackhole}. One operation demuxes the whole file; the
 * {@code bytes} auxiliary counter reports bytes per second directly (MB/s = bytes/s / 10^6).
 *
 * <p>The file is {@link #file} ({@code -p file=...}), or the system property {@code iptv.bench.ts} when set;
 * relative paths resolve against the working directory.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TsDemuxBenchmark -p file=benchmarks/target/media/h264_1080p_8M.ts
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TsDemuxBenchmark {
  /** The transport stream to demux. */
  @Param("benchmarks/target/media/h264_1080p_8M.ts")
  public String file;

  /** Bytes per {@code feed} call. */
  @Param("65536")
  public int chunkBytes;

  private byte[] ts;

  /** Bytes demuxed, reported by JMH as a rate (bytes/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    /** Bytes fed so far in this iteration. */
    public long bytes;

    /** Clears the counter before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** Loads the whole file into memory. */
  @Setup(Level.Trial)
  public void load() throws IOException {
    String path = System.getProperty("iptv.bench.ts", file);
    Path input = Path.of(path);
    if (!Files.isRegularFile(input)) {
      throw new IOException("benchmark input " + input.toAbsolutePath()
          + " is missing; run benchmarks/scripts/demux-vs-ffprobe.sh to generate it");
    }
    ts = Files.readAllBytes(input);
    checkOutput();
  }

  /** Demuxes once outside the measurement and checks that samples come out (a benchmark of nothing is no use). */
  private void checkOutput() throws MediaException {
    long[] samplesAndBytes = new long[2];
    TsDemuxer demuxer = TsDemuxer.builder().build(event -> {
      if (event instanceof MediaSample sample) {
        samplesAndBytes[0]++;
        samplesAndBytes[1] += sample.sizeBytes();
      }
    });
    demuxer.feed(ts, 0, ts.length);
    demuxer.finish();
    if (samplesAndBytes[0] == 0) {
      throw new IllegalStateException("no samples demuxed from the benchmark input");
    }
    System.out.printf("input: %d bytes -> %d samples, %d payload bytes%n", ts.length, samplesAndBytes[0],
        samplesAndBytes[1]);
  }

  /** Demuxes the whole file in {@link #chunkBytes} chunks. */
  @Benchmark
  public void demux(Bytes counter, Blackhole blackhole) throws MediaException {
    TsDemuxer demuxer = TsDemuxer.builder().build(blackhole::consume);
    for (int offset = 0; offset < ts.length; offset += chunkBytes) {
      demuxer.feed(ts, offset, Math.min(chunkBytes, ts.length - offset));
    }
    demuxer.finish();
    counter.bytes += ts.length;
  }
}
