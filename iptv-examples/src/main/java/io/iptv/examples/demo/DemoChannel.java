package io.iptv.examples.demo;

import io.iptv.core.serve.ResourceLoader;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One channel of the demo: what the page lists and the origin serves at {@code /{name}/master.m3u8}.
 *
 * <p>Immutable; the loader and status supplier are thread-safe.
 *
 * @param name the channel (URL segment), e.g. {@code "live"} or {@code "vod-aes128"}
 * @param title what the page shows
 * @param live whether it is a live (sliding window) channel, else VOD
 * @param variant how it is protected
 * @param loader the channel's resources
 * @param status counters for {@code /status}
 */
public record DemoChannel(String name, String title, boolean live, DemoVariant variant, ResourceLoader loader,
    Supplier<Map<String, Object>> status) {
  /** Checks the components. */
  public DemoChannel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(status, "status");
  }

  /** The path of the DASH manifest, {@code /name/manifest.mpd}, or {@code null} if the channel has none. */
  public String manifestPath() {
    return variant.dash() ? "/" + name + "/" + DemoServer.DASH_MANIFEST : null;
  }

  /** The path of the multivariant playlist, {@code /name/master.m3u8}. */
  public String masterPath() {
    return "/" + name + "/master.m3u8";
  }
}
