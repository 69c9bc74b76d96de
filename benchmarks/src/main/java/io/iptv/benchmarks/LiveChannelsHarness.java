package io.iptv.benchmarks;

import io.iptv.segmenter.live.ChannelConfig;
import io.iptv.segmenter.live.ChannelStatistics;
import io.iptv.segmenter.live.LiveChannel;
import io.iptv.segmenter.live.LivePackager;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Many live channels on a small fixed executor: replays one MPEG-TS file from memory into N {@link LiveChannel}s
 * at its real bit rate (as 1316-byte datagrams, each channel starting a little later than the previous so that
 * segments do not all complete at once), on {@code threads} packaging threads, after a JIT warm-up (four channels
 * packaging the input as fast as they can), and reports the segment publish
 * latency (arrival of the input that completed a segment → playlist published), CPU and heap per channel.
 *
 * <pre>
 * java -cp … io.iptv.benchmarks.LiveChannelsHarness FILE.ts [channels=100] [threads=2] [bitrate=5000000]
 * </pre>
 *
 * {@code benchmarks/scripts/live-channels.sh} makes a 5 Mbit/s input with ffmpeg and runs it.
 */
public final class LiveChannelsHarness {
  private static final int DATAGRAM = 1316;

  private LiveChannelsHarness() {}

  public static void main(String[] args) throws Exception {
    byte[] ts = Files.readAllBytes(Path.of(args[0]));
    int channels = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    long bitrate = args.length > 3 ? Long.parseLong(args[3]) : 5_000_000;
    double bytesPerNano = bitrate / 8.0 / 1e9;
    long streamNanos = (long) (ts.length / bytesPerNano);
    long staggerNanos = Duration.ofSeconds(2).toNanos() / channels;

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(2))
        .maxKeyframeInterval(Duration.ofSeconds(1)).listSize(3).inputQueueBytes(2 << 20).build();
    warmUp(live, ts, "warmup");
    long cpuBefore = os.getProcessCpuTime();
    long fastStart = System.nanoTime();
    warmUp(live, ts, "capacity"); // the same work again, warm: CPU cost of packaging, independent of pacing
    double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
    double mediaSeconds = 4 * streamNanos / 1e9;
    System.out.printf(Locale.ROOT, "capacity: %.0f s of media packaged per CPU second (%.1f s wall for 4 x %.0f s),"
        + " i.e. about %.0f real-time channels of this input per core%n", mediaSeconds / cpuSeconds,
        (System.nanoTime() - fastStart) / 1e9, streamNanos / 1e9, mediaSeconds / cpuSeconds);
    long heapBefore = usedHeapAfterGc();
    List<LiveChannel> open = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      open.add(live.openChannel("ch" + i, ChannelConfig.builder()
          .packagerOptions(b -> b.segmentRetention(Duration.ofSeconds(2))).build()));
    }
    long[] fed = new long[channels];
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + streamNanos + staggerNanos * channels;
    long heapPeak = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      for (int i = 0; i < channels; i++) {
        long due = Math.min(ts.length, (long) ((now - start - i * staggerNanos) * bytesPerNano));
        while (fed[i] + DATAGRAM <= due || (due == ts.length && fed[i] < due)) {
          int n = (int) Math.min(DATAGRAM, ts.length - fed[i]);
          open.get(i).feed(ts, (int) fed[i], n);
          fed[i] += n;
        }
      }
      heapPeak = Math.max(heapPeak, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
      Thread.sleep(5);
    }
    Thread.sleep(500); // the last input drains
    long wall = System.nanoTime() - start;
    double cores = (os.getProcessCpuTime() - cpuStart) / (double) wall;
    long heapAfter = usedHeapAfterGc();

    long segments = 0;
    long dropped = 0;
    long stored = 0;
    long maxNanos = 0;
    long sumMeanNanos = 0;
    List<Long> p50s = new ArrayList<>();
    List<Long> p99s = new ArrayList<>();
    long over50ms = 0;
    for (LiveChannel c : open) {
      ChannelStatistics s = c.statistics();
      segments += s.segmentsProduced();
      dropped += s.droppedChunks();
      stored += c.storedBytes();
      maxNanos = Math.max(maxNanos, s.publishLatency().max().toNanos());
      sumMeanNanos += s.publishLatency().mean().toNanos();
      p50s.add(s.publishLatency().p50().toNanos());
      p99s.add(s.publishLatency().p99().toNanos());
      if (s.publishLatency().max().toMillis() > 50) {
        over50ms++;
      }
    }
    p50s.sort(null);
    p99s.sort(null);
    System.out.printf(Locale.ROOT, "channels=%d threads=%d bitrate=%.1fMbit/s stream=%.1fs wall=%.1fs%n", channels,
        threads, bitrate / 1e6, streamNanos / 1e9, wall / 1e9);
    System.out.printf(Locale.ROOT, "segments=%d droppedChunks=%d channelsWithASegmentOver50ms=%d%n", segments,
        dropped, over50ms);
    System.out.printf(Locale.ROOT, "publish latency: median-channel p50=%.2fms median-channel p99=%.2fms"
        + " worst-channel p99=%.2fms max=%.2fms mean=%.2fms%n", p50s.get(p50s.size() / 2) / 1e6,
        p99s.get(p99s.size() / 2) / 1e6, p99s.get(p99s.size() - 1) / 1e6, maxNanos / 1e6,
        sumMeanNanos / (double) channels / 1e6);
    System.out.printf(Locale.ROOT, "cpu=%.2f cores (%.1f%% of one core per channel)%n", cores,
        100 * cores / channels);
    System.out.printf(Locale.ROOT, "heap after GC: %.1f MiB per channel (stores %.1f MiB per channel); "
        + "peak heap %.0f MiB%n", (heapAfter - heapBefore) / (double) channels / (1 << 20),
        stored / (double) channels / (1 << 20), heapPeak / (double) (1 << 20));
    live.close();
    pool.shutdown();
  }

  /** JIT warm-up: a few channels packaging the whole input as fast as they can, then closed. */
  private static void warmUp(LivePackager live, byte[] ts, String prefix) {
    List<LiveChannel> warm = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LiveChannel c = live.openChannel(prefix + i, ChannelConfig.builder().inputQueueBytes(ts.length + 65536)
          .build());
      for (int at = 0; at < ts.length; at += DATAGRAM) {
        c.feed(ts, at, Math.min(DATAGRAM, ts.length - at));
      }
      warm.add(c);
    }
    warm.forEach(LiveChannel::close);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }
}
