package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.RequestInterceptor;
import io.iptv.core.serve.ResourceKey;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.PlaylistWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers {@code /{channel}/{rendition}/catchup.m3u8?start=ISO&end=ISO} in an
 * {@link io.iptv.core.serve.OriginHandler}: a {@link RequestInterceptor} that runs the interceptor it wraps
 * first (authorisation keeps the first word), then answers catch-up requests itself from the channel's
 * {@link CatchupPlaylists}: 200 with the playlist, 400 for a bad range, 404 for an unknown channel or
 * rendition or a range no longer retained. Other requests proceed to the loader. The playlist depends on
 * the query, which the origin's {@link ResourceKey} (and its caches) do not carry, so it is answered here
 * rather than by a {@link io.iptv.core.serve.ResourceLoader}.
 *
 * <p>Thread-safe (immutable; {@link CatchupPlaylists} reads snapshots).
 *
 * <pre>{@code
 * RequestInterceptor catchup = CatchupEndpoint.builder()
 *     .channel("news", packager.catchupPlaylists())
 *     .next(authInterceptor)
 *     .build();
 * OriginHandler origin = OriginHandler.builder(loader).interceptor(catchup).build();
 * }</pre>
 */
public final class CatchupEndpoint implements RequestInterceptor {
  private static final String CONTENT_TYPE = "application/vnd.apple.mpegurl";
  private final Map<String, CatchupPlaylists> channels;
  private final String fileName;
  private final RequestInterceptor next;
  private final PlaylistWriter writer = PlaylistWriter.defaults();

  private CatchupEndpoint(Builder b) {
    this.channels = Map.copyOf(b.channels);
    this.fileName = b.fileName;
    this.next = b.next;
  }

  /** Starts configuring an endpoint. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HttpResponse intercept(HttpRequest request, ResourceKey key) {
    HttpResponse denied = next.intercept(request, key);
    if (denied != null) {
      return denied;
    }
    String name = key.name();
    if (!name.endsWith("/" + fileName)) {
      return null;
    }
    String rendition = name.substring(0, name.length() - fileName.length() - 1);
    CatchupPlaylists catchup = channels.get(key.channel());
    if (catchup == null) {
      return HttpResponse.text(404, "no catch-up for channel " + key.channel(), List.of());
    }
    try {
      MediaPlaylist playlist = catchup.playlist(rendition, request.rawQuery());
      ByteSlice body = writer.writeBytes(playlist);
      List<HttpResponse.Header> headers = List.of(
          new HttpResponse.Header("Content-Type", CONTENT_TYPE),
          new HttpResponse.Header("Cache-Control", "max-age=" + catchup.maxAge(playlist).toSeconds()));
      boolean head = "HEAD".equalsIgnoreCase(request.method());
      return new HttpResponse(200, headers, head ? ByteSlice.wrap(new byte[0]) : body, !head,
          body.length());
    } catch (CatchupRangeException e) {
      return HttpResponse.text(e.reason().status(), e.getMessage(), List.of());
    }
  }

  /** Configures a {@link CatchupEndpoint}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, CatchupPlaylists> channels = new HashMap<>();
    private String fileName = "catchup.m3u8";
    private RequestInterceptor next = RequestInterceptor.allowAll();

    private Builder() {}

    /** Serves catch-up for {@code channel} from {@code playlists}. */
    public Builder channel(String channel, CatchupPlaylists playlists) {
      Preconditions.requireArgument(!channels.containsKey(channel), "channel %s already added", channel);
      channels.put(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(playlists, "playlists"));
      return this;
    }

    /** The file name answered in each rendition directory (default {@code catchup.m3u8}). */
    public Builder fileName(String value) {
      Preconditions.requireArgument(value.matches("[A-Za-z0-9._-]+\\.m3u8"), "invalid playlist name %s", value);
      fileName = value;
      return this;
    }

    /** The interceptor to run first (e.g. authorisation; default allow all). */
    public Builder next(RequestInterceptor value) {
      next = Objects.requireNonNull(value, "next");
      return this;
    }

    /** Builds the endpoint. */
    public CatchupEndpoint build() {
      return new CatchupEndpoint(this);
    }
  }
}
