package io.iptv.segmenter.dvr;

import java.io.IOException;

/**
 * Where live packagers persist their {@link ChannelState} between restarts (SPI). The default,
 * {@link FileChannelStateStore}, writes one small file per channel atomically; implement it over a database
 * or a key-value store to share state between hosts.
 *
 * <p>Implementations must be thread-safe (packagers of several channels save concurrently) and must make
 * {@link #save} atomic: a crash during a save leaves the previous state or the new one, never a mix.
 *
 * <pre>{@code
 * ChannelStateStore store = FileChannelStateStore.in(Path.of("/var/lib/iptv/state"));
 * HlsPackager.builder().playlistType(HlsPlaylistType.LIVE).stateStore(store, "news")...;
 * }</pre>
 */
public interface ChannelStateStore {
  /** The last saved state of {@code channel}, or null if none was ever saved. */
  ChannelState load(String channel) throws IOException;

  /** Replaces the state of {@code channel}. */
  void save(String channel, ChannelState state) throws IOException;
}
