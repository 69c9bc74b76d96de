package io.iptv.segmenter.live;

import io.iptv.core.MediaException;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.segmenter.dvr.CatchupPlaylists;
import io.iptv.segmenter.dvr.ChannelState;
import io.iptv.segmenter.dvr.DvrWindow;
import io.iptv.segmenter.dvr.RetainedSegment;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import io.iptv.segmenter.pkg.SegmentTiming;
import io.iptv.segmenter.pkg.SignallingSegmentSink;
import io.iptv.segmenter.ts.PidStatistics;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsStatistics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live channel: transport-stream bytes in, a live HLS channel out. A thin composition of a bounded
 * {@link InputQueue} → {@link TsDemuxer} → {@link HlsPackager} ({@link HlsPlaylistType#LIVE}, sliding window
 * and retention) → an in-memory store served through the {@link ResourceLoader} SPI, so that an
 * {@link io.iptv.core.serve.OriginHandler} serves {@code /{channel}/master.m3u8},
 * {@code /{channel}/stream/index.m3u8} and the segments.
 *
 * <p><b>Threading.</b> {@link #feed} and the {@link TsReceiver} methods may be called from any thread and never
 * block: the bytes are copied into the bounded input queue (dropped and counted when it is full: the packager
 * fell behind) and a drain task is queued on the host's executor. The drain tasks of one channel run one at a
 * time ({@link SerialExecutor}); no thread belongs to a channel. {@link #load} reads the store from any thread.
 *
 * <p><b>Damage.</b> Garbage, gaps and timestamp jumps are the demuxer's normal input: a source restart
 * (timestamps jumping back) becomes {@code EXT-X-DISCONTINUITY}. Input the demuxer or packager cannot survive
 * (no sync for {@code maxResyncBytes}, a segment longer than the fixed target duration, no segment completed
 * within {@link ChannelConfig#maxSegmentInputBytes()} of input, e.g. a source without keyframes, whose open
 * segment would otherwise grow without bound) rebuilds the pipeline:
 * a new demuxer and packager continue the channel, counted in {@link ChannelStatistics#pipelineRestarts}. The new
 * packager takes over the old one's {@link HlsPackager#state() state} in memory, as after a process restart with a
 * {@link io.iptv.segmenter.dvr.ChannelStateStore} (and keeps saving to the host's store if one is configured): the
 * media sequence and discontinuity sequence continue, the live and DVR windows keep the earlier segments (still
 * served until they leave the windows and their grace period), and EXT-X-DISCONTINUITY marks the junction. The
 * segment in progress is published first ({@link HlsPackager#closeOpenSegment()}) unless the packager itself
 * failed; then, with Low-Latency HLS, its number (under which parts were published) is skipped and the new window
 * starts afresh (as after a crash), the earlier segments deleted after their grace period.
 *
 * <p><b>Publish latency</b> is measured per segment from the arrival (enqueue) time of the input chunk whose
 * processing completed the segment to the return of that processing, by which time the segment and the
 * playlists listing it are in the store.
 *
 * <pre>{@code
 * LiveChannel news = packager.openChannel("news", ChannelConfig.defaults());
 * news.attach(packager.source(SourceUri.parse("udp://239.1.1.1:5000?interface=eth0")));
 * // or push bytes yourself: news.feed(buffer, 0, n);
 * ChannelStatistics s = news.statistics();
 * news.close();   // flushes the last segment, EXT-X-ENDLIST
 * }</pre>
 */
public final class LiveChannel implements TsReceiver, ResourceLoader, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveChannel.class.getName());
  private static final int ENTRIES_PER_TURN = 64;
  private static final long BITRATE_WINDOW_NANOS = 1_000_000_000L;
  private static final long SNAPSHOT_INTERVAL_NANOS = 250_000_000L;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final LivePackager owner;
  private final LivePackager.Settings settings;
  private final ChannelConfig config;
  private final ChannelStore store;
  private final InputQueue queue;
  private final SerialExecutor serial;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<TsSource> sources = new CopyOnWriteArrayList<>();
  private final LatencyRecorder latency = new LatencyRecorder();
  private final AtomicLong rtpLost = new AtomicLong();
  private final AtomicLong sourceRestarts = new AtomicLong();
  private final CompletableFuture<Void> closing = new CompletableFuture<>();

  // Drain-task state (serialised by `serial`).
  private final byte[] scratch;
  private final long maxSegmentInputBytes;
  private TsDemuxer demuxer;
  /** Written by the drain task (pipeline restarts); read by {@link #catchupPlaylists()} on any thread. */
  private volatile HlsPackager packager;
  /**
   * The last packager that laid out its renditions, while the current one has not yet (it lays them out, with
   * the windows it took over, at its first segment): catch-up reads its windows meanwhile. Null otherwise.
   */
  private volatile HlsPackager previous;
  private long windowStartNanos;
  private long windowBytes;
  private boolean finished;
  // Counters of demuxers replaced by a pipeline restart (written by the drain task, read by statistics()).
  private volatile long discontinuitiesBefore;
  private volatile long ccErrorsBefore;
  private volatile long packetsBefore;
  private long bytesSinceSegment;

  private long lastSnapshotNanos;
  private volatile long bytesProcessed;
  private volatile long lastInputNanos;
  private volatile long segmentsProduced;
  private volatile long pipelineRestarts;
  private volatile long bitrate;
  private volatile String lastError;
  private volatile TsStatistics lastTs;

  LiveChannel(String name, LivePackager owner, LivePackager.Settings settings, ChannelConfig config) {
    this.name = name;
    this.owner = owner;
    this.settings = settings;
    this.config = config;
    this.store = new ChannelStore(name);
    int queueBytes = config.inputQueueBytes() > 0 ? config.inputQueueBytes() : settings.inputQueueBytes();
    this.queue = new InputQueue(queueBytes, 64 * 1024);
    this.scratch = new byte[queue.maxEntryBytes()];
    this.maxSegmentInputBytes = config.maxSegmentInputBytes() > 0 ? config.maxSegmentInputBytes()
        : ChannelConfig.DEFAULT_MAX_SEGMENT_INPUT_BYTES;
    this.serial = new SerialExecutor(settings.executor());
    buildPipeline(0, null);
  }

  /** The channel name (the first path segment of its URLs). */
  public String name() {
    return name;
  }

  /**
   * Queues transport-stream bytes (any split). Never blocks; when the input queue is full the bytes are dropped
   * and counted ({@link ChannelStatistics#droppedChunks()}). Ignored after {@link #close()}.
   */
  public void feed(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    if (closed.get()) {
      return;
    }
    long now = System.nanoTime();
    lastInputNanos = now;
    boolean queued = false;
    for (int at = offset, end = offset + length; at < end; at += queue.maxEntryBytes()) {
      queued |= queue.offer(data, at, Math.min(queue.maxEntryBytes(), end - at), now);
    }
    if (queued && drainScheduled.compareAndSet(false, true)) {
      serial.execute(this::drain);
    }
  }

  /** Queues the remaining bytes of {@code data}, advancing its position; see {@link #feed(byte[], int, int)}. */
  public void feed(ByteBuffer data) {
    if (data.hasArray()) {
      int n = data.remaining();
      feed(data.array(), data.arrayOffset() + data.position(), n);
      data.position(data.position() + n);
      return;
    }
    if (closed.get()) {
      data.position(data.limit());
      return;
    }
    long now = System.nanoTime();
    lastInputNanos = now;
    boolean queued = false;
    int limit = data.limit();
    while (data.hasRemaining()) { // direct buffers: copied straight into the queue, no intermediate array
      data.limit(data.position() + Math.min(queue.maxEntryBytes(), limit - data.position()));
      queued |= queue.offer(data, now);
      data.limit(limit);
    }
    if (queued && drainScheduled.compareAndSet(false, true)) {
      serial.execute(this::drain);
    }
  }

  @Override
  public void receive(byte[] data, int offset, int length) {
    feed(data, offset, length);
  }

  @Override
  public void receive(ByteBuffer data) {
    feed(data);
  }

  @Override
  public void lostPackets(long count) {
    rtpLost.addAndGet(count);
  }

  @Override
  public void sourceRestarted(String reason) {
    sourceRestarts.incrementAndGet();
    LOG.log(Level.INFO, () -> "channel " + name + ": source restarted (" + reason + ")");
  }

  /**
   * Starts {@code source} delivering into this channel; it is closed with the channel.
   *
   * @throws IOException when the source cannot start (port in use, join refused, ...)
   */
  public LiveChannel attach(TsSource source) throws IOException {
    Objects.requireNonNull(source, "source");
    if (closed.get()) {
      throw new IllegalStateException("channel " + name + " is closed");
    }
    sources.add(source);
    try {
      source.start(this);
    } catch (IOException | RuntimeException e) {
      sources.remove(source);
      source.close();
      throw e;
    }
    return this;
  }

  /** The sources attached so far. */
  public List<TsSource> sources() {
    return List.copyOf(sources);
  }

  @Override
  public ServedResource load(ResourceKey key) {
    return key.channel().equals(name) ? store.get(key.name()) : null;
  }

  /** A snapshot of the counters. Thread-safe. */
  public ChannelStatistics statistics() {
    TsStatistics ts = lastTs;
    long jitter = 0;
    long cc = ccErrorsBefore;
    long packets = packetsBefore;
    long discontinuities = discontinuitiesBefore;
    if (ts != null) {
      for (PidStatistics pid : ts.pids()) {
        jitter = Math.max(jitter, pid.pcrJitterMaxNanos());
      }
      cc += ts.ccErrors();
      packets += ts.packets();
      discontinuities += ts.discontinuities();
    }
    long lost = rtpLost.get();
    return new ChannelStatistics(name, queue.acceptedBytes(), queue.acceptedEntries(), bytesProcessed,
        queue.droppedEntries(), queue.droppedBytes(),
        lastInputNanos == 0 ? null : Duration.ofNanos(System.nanoTime() - lastInputNanos),
        bitrate, packets, cc, jitter, lost, segmentsProduced, discontinuities,
        sourceRestarts.get(), pipelineRestarts, latency.summary(), lastError, ts);
  }

  /**
   * Catch-up and start-over playlists over the segments the channel retains (its live window, plus the DVR
   * window when {@link io.iptv.segmenter.pkg.HlsPackager.Builder#dvrWindow} is set through
   * {@link ChannelConfig.Builder#packagerOptions}); serve them with {@link io.iptv.segmenter.dvr.CatchupEndpoint}.
   * The answer follows pipeline restarts (it reads the current packager's windows, which continue the previous
   * packager's; until the new one completes its first segment, the previous one's). Thread-safe.
   */
  public CatchupPlaylists catchupPlaylists() {
    int targetDuration = packager.catchupPlaylists().targetDuration();
    return new CatchupPlaylists(this::dvrWindow, targetDuration, settings.clock());
  }

  private DvrWindow dvrWindow(String dir) {
    DvrWindow window = packager.dvrWindow(dir);
    HlsPackager before = previous;
    return window != null || before == null ? window : before.dvrWindow(dir);
  }

  /** Bytes the channel's store holds now (segments in the window and retention, playlists). */
  public long storedBytes() {
    return store.heldBytes();
  }

  /** Resource names held now (for tests and diagnostics). */
  Set<String> storedNames() {
    return store.names();
  }

  /**
   * Stops the sources and, asynchronously, processes what is queued and (with
   * {@link ChannelConfig#endListOnClose()}) flushes the last segment and writes {@code EXT-X-ENDLIST}. The channel
   * stays servable until the future completes, then leaves its {@link LivePackager}. Idempotent.
   */
  public CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return closing;
    }
    for (TsSource source : sources) {
      source.close();
    }
    if (!config.endListOnClose()) {
      queue.clear();
    }
    serial.execute(this::finish);
    return closing;
  }

  /** {@link #closeAsync()} and waits for it (at most 30 s). Do not call it on the host executor's threads. */
  @Override
  public void close() {
    try {
      closeAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "channel " + name + " did not close cleanly", e);
    }
  }

  // ------------------------------------------------------------------------------------------ drain task

  private void drain() {
    if (finished) { // input that raced with close()
      queue.clear();
      drainScheduled.set(false);
      return;
    }
    for (int i = 0; i < ENTRIES_PER_TURN; i++) {
      int n = queue.poll(scratch);
      if (n < 0) {
        break;
      }
      process(n, queue.lastArrivalNanos());
    }
    drainScheduled.set(false);
    if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      serial.execute(this::drain); // behind other channels' turns: fairness on a small pool
    }
  }

  private void process(int length, long arrivalNanos) {
    long before = segmentsProduced;
    try {
      demuxer.feed(scratch, 0, length);
    } catch (MediaException | RuntimeException e) {
      // Unchecked exceptions included: one channel's failure must not take the host's executor thread with it.
      restartPipeline(e);
    }
    long now = System.nanoTime();
    for (long s = before; s < segmentsProduced; s++) {
      latency.record(now - arrivalNanos);
    }
    bytesSinceSegment = segmentsProduced != before ? 0 : bytesSinceSegment + length;
    if (bytesSinceSegment > maxSegmentInputBytes) {
      // No keyframe for far too long: the open segment would grow without bound. Start over (memory bound).
      bytesSinceSegment = 0;
      restartPipeline(MediaException.limitExceeded("no segment after " + maxSegmentInputBytes
          + " bytes of input: the source sends no keyframes"));
    }
    if (windowStartNanos == 0) {
      windowStartNanos = arrivalNanos;
    }
    windowBytes += length;
    bytesProcessed += length;
    if (now - lastSnapshotNanos > SNAPSHOT_INTERVAL_NANOS) {
      lastSnapshotNanos = now;
      lastTs = demuxer.statistics(); // besides the demuxer's own stream-time snapshots: bounded staleness
    }
    long span = arrivalNanos - windowStartNanos;
    if (span >= BITRATE_WINDOW_NANOS) {
      bitrate = (long) (windowBytes * 8.0 * 1e9 / span);
      windowStartNanos = arrivalNanos;
      windowBytes = 0;
    }
  }

  private void finish() {
    finished = true;
    try {
      if (config.endListOnClose()) {
        for (int n; (n = queue.poll(scratch)) >= 0; ) {
          process(n, queue.lastArrivalNanos());
        }
        demuxer.finish(); // the last segment, EXT-X-ENDLIST
      }
    } catch (MediaException | RuntimeException e) {
      lastError = "at close: " + e.getMessage();
      LOG.log(Level.WARNING, () -> "channel " + name + ": cannot flush at close: " + e.getMessage());
    } finally {
      queue.clear();
      owner.unregister(this);
      closing.complete(null);
    }
  }

  private void restartPipeline(Exception cause) {
    lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    LOG.log(Level.WARNING, () -> "channel " + name + ": rebuilding the pipeline after " + lastError);
    TsStatistics ts = demuxer.statistics();
    ccErrorsBefore += ts.ccErrors();
    packetsBefore += ts.packets();
    discontinuitiesBefore += ts.discontinuities();
    lastTs = null;
    try {
      // the packager itself is sound when the demuxer failed: publish the segment in progress, lose no media
      packager.closeOpenSegment();
    } catch (MediaException | RuntimeException e) {
      LOG.log(Level.WARNING, () -> "channel " + name + ": the segment in progress is lost: " + e.getMessage());
    }
    ChannelState state = null;
    try {
      state = packager.state();
    } catch (MediaException | RuntimeException e) { // e.g. the host's state store cannot be read
      LOG.log(Level.WARNING, () -> "channel " + name + ": the windows start afresh: " + e.getMessage());
    }
    List<SegmentTiming> timings = packager.timings();
    long next = timings.isEmpty() ? 0 : timings.get(timings.size() - 1).sequence() + 1;
    Set<String> old = new HashSet<>(store.names());
    if (state != null) {
      // the new packager lists the retained segments again and deletes the expiring ones after its grace period
      old.removeAll(takenOver(state));
    }
    if (!timings.isEmpty()) { // it laid out its renditions and windows
      previous = packager;
    }
    pipelineRestarts++;
    buildPipeline(next, state);
    // The rest (Low-Latency parts, a fresh start's old window) stays servable for a while, then goes.
    owner.scheduleRetirement(store, old, settings.segmentDuration().multipliedBy(2L * settings.listSize()));
  }

  /** The resource names whose deletion {@code state} hands to the next packager. */
  private static Set<String> takenOver(ChannelState state) {
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, List<RetainedSegment>> e : state.renditions().entrySet()) {
      e.getValue().forEach(s -> names.add(e.getKey() + "/" + s.uri()));
    }
    state.expiring().forEach((dir, list) -> list.forEach(n -> names.add(dir + "/" + n)));
    return names;
  }

  private void buildPipeline(long firstSequence, ChannelState state) {
    Duration segment = config.segmentDuration() != null ? config.segmentDuration() : settings.segmentDuration();
    HlsPackager.Builder b = HlsPackager.builder()
        .playlistType(HlsPlaylistType.LIVE)
        .segmentDuration(segment)
        .listSize(config.listSize() > 0 ? config.listSize() : settings.listSize())
        .segmentFormat(config.segmentFormat() != null ? config.segmentFormat() : settings.segmentFormat())
        .maxKeyframeInterval(config.maxKeyframeInterval() != null ? config.maxKeyframeInterval()
            : settings.maxKeyframeInterval())
        .clock(settings.clock())
        .listener((segmentName, duration, bytes) -> {
          segmentsProduced++;
          previous = null; // this packager has laid out its windows (continuing the previous one's)
        });
    if (state != null) {
      b.initialState(state); // the same continuation as a process restart with a ChannelStateStore
    } else if (firstSequence > 0) {
      b.firstMediaSequence(firstSequence);
    }
    config.packagerOptions().accept(b);
    packager = b.build(settings.updates() == null ? store
        : new SignallingSegmentSink(store, settings.updates(), name));
    TsDemuxer.Builder d = TsDemuxer.builder().statisticsListener(s -> lastTs = s);
    if (config.programNumber() > 0) {
      d.programNumber(config.programNumber());
    }
    config.demuxerOptions().accept(d);
    demuxer = d.build(packager);
  }
}
