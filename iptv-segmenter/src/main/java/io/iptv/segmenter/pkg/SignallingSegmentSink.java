package io.iptv.segmenter.pkg;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.PlaylistUpdates;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link SegmentSink} that, after each write or delete, signals the resource on {@link PlaylistUpdates}
 * so that an origin's blocking playlist reloads and held part requests answer at once (Low-Latency HLS,
 * {@link HlsPackager.Builder#partTarget}). Thread-safe if the delegate is.
 *
 * <pre>{@code
 * PlaylistUpdates updates = new PlaylistUpdates();
 * SegmentSink sink = new SignallingSegmentSink(memory, updates, "live");
 * HlsPackager.builder().partTarget(Duration.ofMillis(500))...build(sink);
 * }</pre>
 */
public final class SignallingSegmentSink implements SegmentSink {
  private final SegmentSink delegate;
  private final PlaylistUpdates updates;
  private final String channel;

  /** Writes to {@code delegate} and signals {@code channel}'s resources on {@code updates}. */
  public SignallingSegmentSink(SegmentSink delegate, PlaylistUpdates updates, String channel) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.updates = Objects.requireNonNull(updates, "updates");
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  @Override
  public void write(String name, ByteSlice bytes) throws IOException {
    delegate.write(name, bytes);
    updates.signal(channel, name);
  }

  @Override
  public boolean exists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
    updates.signal(channel, name);
  }
}
