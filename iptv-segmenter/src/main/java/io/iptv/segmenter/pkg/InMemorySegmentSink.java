package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link SegmentSink} that keeps everything in a sorted map: for tests, benchmarks and hosts that serve
 * from memory. Thread-safe (synchronized).
 *
 * <pre>{@code
 * InMemorySegmentSink sink = new InMemorySegmentSink();
 * ... packager ...
 * ByteSlice playlist = sink.get("stream/index.m3u8");
 * }</pre>
 */
public final class InMemorySegmentSink implements SegmentSink {
  private final Map<String, ByteSlice> resources = new TreeMap<>();
  private long bytesWritten;

  @Override
  public synchronized void write(String name, ByteSlice bytes) {
    resources.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(bytes, "bytes"));
    bytesWritten += bytes.length();
  }

  @Override
  public synchronized void delete(String name) {
    resources.remove(name);
  }

  @Override
  public synchronized boolean exists(String name) {
    return resources.containsKey(name);
  }

  /** The resource, or null. */
  public synchronized ByteSlice get(String name) {
    return resources.get(name);
  }

  /** A sorted copy of all resources. */
  public synchronized Map<String, ByteSlice> snapshot() {
    return new TreeMap<>(resources);
  }

  /** Total bytes ever written (segments and playlists, rewrites included). */
  public synchronized long bytesWritten() {
    return bytesWritten;
  }
}
