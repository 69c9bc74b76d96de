package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Low-Latency HLS serving for an {@link OriginHandler} (RFC 8216bis §6.2.5): blocking playlist reload for
 * {@code _HLS_msn=N[&_HLS_part=M]} (the answer waits, without a thread, until the playlist holds that
 * segment or part; 400 when N is more than two segments ahead or the directives are malformed; 503 after
 * the timeout), delta updates for {@code _HLS_skip=YES|v2} (the packager's {@link LowLatencyNames#deltaName
 * delta playlist}), and requests for the part named by {@code EXT-X-PRELOAD-HINT} waiting until it is written.
 * The packager side signals writes through {@link PlaylistUpdates}.
 *
 * <p>Immutable; thread-safe.
 *
 * <pre>{@code
 * PlaylistUpdates updates = new PlaylistUpdates();
 * OriginHandler origin = OriginHandler.builder(loader)
 *     .lowLatency(LowLatencyServing.builder(updates).build())
 *     .build();
 * }</pre>
 */
public final class LowLatencyServing {
  private final PlaylistUpdates updates;
  private final Duration timeout;
  private final Executor executor;

  private LowLatencyServing(Builder b) {
    this.updates = b.updates;
    this.timeout = b.timeout;
    this.executor = b.executor != null ? b.executor : ForkJoinPool.commonPool();
  }

  /** A builder waiting on {@code updates}. */
  public static Builder builder(PlaylistUpdates updates) {
    return new Builder(updates);
  }

  /** Where waiting requests learn of new playlists and parts. */
  public PlaylistUpdates updates() {
    return updates;
  }

  /** The fixed blocking timeout, or null for three target durations of the playlist. */
  public Duration timeout() {
    return timeout;
  }

  /** Where woken requests continue (reload, answer); bounded. */
  public Executor executor() {
    return executor;
  }

  /** Configures {@link LowLatencyServing}; each setter once. Not thread-safe. */
  public static final class Builder {
    private final PlaylistUpdates updates;
    private Duration timeout;
    private Executor executor;

    private Builder(PlaylistUpdates updates) {
      this.updates = Objects.requireNonNull(updates, "updates");
    }

    /** How long a blocking request waits before 503 (default: 3 × the playlist's target duration). */
    public Builder timeout(Duration value) {
      Preconditions.requireState(timeout == null, "timeout was already set");
      Preconditions.requireArgument(value.toMillis() > 0, "timeout must be positive: %s", value);
      timeout = value;
      return this;
    }

    /**
     * The executor woken requests continue on (default the common pool: a bounded set of threads, never one
     * per waiting request).
     */
    public Builder executor(Executor value) {
      Preconditions.requireState(executor == null, "executor was already set");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** Builds the configuration. */
    public LowLatencyServing build() {
      return new LowLatencyServing(this);
    }
  }
}
