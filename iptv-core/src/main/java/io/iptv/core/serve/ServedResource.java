package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * One resource ready to be served: immutable bytes plus what HTTP and caches need to know about them.
 *
 * <p>The bytes are a shared, immutable {@link ByteSlice}: the same instance sits in a cache and is written to
 * every response. The ETag is strong (RFC 9110 §8.8.3): two resources with the same ETag have identical bytes.
 * The default ETag is derived from the content (CRC-32 and length); loaders that know a cheaper validator (file
 * size and modification time, an upstream ETag) set it explicitly.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * ServedResource playlist = ServedResource.of(key, ByteSlice.wrap(text.getBytes(UTF_8))); // sniffs live/VOD
 * ServedResource segment = ServedResource.builder(key, bytes).etag("\"seg-42-v1\"").build();
 * }</pre>
 *
 * @param key what the resource is
 * @param body the bytes
 * @param contentType the media type sent as Content-Type
 * @param etag a strong entity tag including its quotes, e.g. {@code "\"1a2b-3c\""}
 * @param live whether the content may still change (a live playlist or manifest); segments are never live
 * @param targetDuration the HLS target duration of a playlist (RFC 8216 §4.3.3.1), or {@code null} if unknown
 * @param maxAge an explicit freshness lifetime overriding {@link CachePolicy} (for example an upstream's
 *     {@code Cache-Control: max-age}; {@link Duration#ZERO} for {@code no-store}), or {@code null}
 * @param immutable whether the bytes under this key never change ({@code Cache-Control: immutable}, RFC 8246);
 *     by default true for segments and init segments without an explicit {@code maxAge}; an edge loader sets
 *     it when its upstream said {@code immutable}
 */
public record ServedResource(ResourceKey key, ByteSlice body, String contentType, String etag, boolean live,
    Duration targetDuration, Duration maxAge, boolean immutable) {

  /** Checks the components; {@code targetDuration} and {@code maxAge} may be null. */
  public ServedResource {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(etag, "etag");
    Preconditions.requireArgument(isStrongEtag(etag), "etag must be a quoted strong entity tag: %s", etag);
    Preconditions.requireArgument(targetDuration == null || targetDuration.compareTo(Duration.ZERO) > 0,
        "targetDuration must be positive: %s", targetDuration);
    Preconditions.requireArgument(maxAge == null || !maxAge.isNegative(), "maxAge must not be negative: %s", maxAge);
  }

  /**
   * A resource with defaults: content type from the key, content ETag, and for playlists and manifests the
   * live flag and target duration read from the text (live unless {@code #EXT-X-ENDLIST},
   * {@code #EXT-X-PLAYLIST-TYPE:VOD} or an MPD {@code type="static"}).
   */
  public static ServedResource of(ResourceKey key, ByteSlice body) {
    return builder(key, body).sniffIndex().build();
  }

  /** A builder with the content type from the key and a content-derived ETag as defaults. */
  public static Builder builder(ResourceKey key, ByteSlice body) {
    return new Builder(key, body);
  }

  /** A builder initialised from this resource. */
  public Builder toBuilder() {
    Builder b = new Builder(key, body);
    b.contentType = contentType;
    b.etag = etag;
    b.live = live;
    b.targetDuration = targetDuration;
    b.maxAge = maxAge;
    b.immutable = immutable;
    return b;
  }

  /** The content-derived default ETag of {@code body}: CRC-32 and length in hex. */
  public static String contentEtag(ByteSlice body) {
    return "\"" + Long.toHexString(body.crc32()) + "-" + Integer.toHexString(body.length()) + "\"";
  }

  static boolean isStrongEtag(String etag) {
    if (etag.length() < 2 || etag.charAt(0) != '"' || etag.charAt(etag.length() - 1) != '"') {
      return false;
    }
    for (int i = 1; i < etag.length() - 1; i++) {
      char c = etag.charAt(i);
      if (c == '"' || c <= 0x20 || c >= 0x7F) { // RFC 9110 §8.8.3 etagc
        return false;
      }
    }
    return true;
  }

  /**
   * Builds a {@link ServedResource}. Not thread-safe; each setter may be called once.
   */
  public static final class Builder {
    private final ResourceKey key;
    private final ByteSlice body;
    private String contentType;
    private String etag;
    private boolean live;
    private boolean liveSet;
    private Duration targetDuration;
    private Duration maxAge;
    private Boolean immutable;

    private Builder(ResourceKey key, ByteSlice body) {
      this.key = Objects.requireNonNull(key, "key");
      this.body = Objects.requireNonNull(body, "body");
    }

    /** Sets the Content-Type (default: from the key's kind and extension). */
    public Builder contentType(String value) {
      this.contentType = Objects.requireNonNull(value, "contentType");
      return this;
    }

    /** Sets the strong ETag, with quotes (default: {@link #contentEtag}). */
    public Builder etag(String value) {
      Preconditions.requireArgument(isStrongEtag(Objects.requireNonNull(value, "etag")), "bad etag: %s", value);
      this.etag = value;
      return this;
    }

    /** Marks the resource as live (changing) or not (default: false). */
    public Builder live(boolean value) {
      this.live = value;
      this.liveSet = true;
      return this;
    }

    /** Sets the HLS target duration of a playlist. */
    public Builder targetDuration(Duration value) {
      this.targetDuration = value;
      return this;
    }

    /** Sets an explicit freshness lifetime overriding the {@link CachePolicy}. */
    public Builder maxAge(Duration value) {
      this.maxAge = value;
      return this;
    }

    /**
     * Marks the bytes as never changing under this key (default: true for non-index kinds without an explicit
     * {@link #maxAge}, false otherwise).
     */
    public Builder immutable(boolean value) {
      this.immutable = value;
      return this;
    }

    /** For playlists and manifests, reads the live flag and target duration from the text (unless set). */
    public Builder sniffIndex() {
      if (!key.kind().isIndex()) {
        return this;
      }
      String text = new String(body.toByteArray(), StandardCharsets.UTF_8);
      if (!liveSet) {
        live = key.kind() == ResourceKind.MANIFEST
            ? text.contains("type=\"dynamic\"")
            : key.kind() == ResourceKind.PLAYLIST
                && !text.contains("#EXT-X-ENDLIST") && !text.contains("#EXT-X-PLAYLIST-TYPE:VOD");
        liveSet = true;
      }
      if (targetDuration == null) {
        targetDuration = targetDurationOf(text);
      }
      return this;
    }

    /** Builds the resource. */
    public ServedResource build() {
      return new ServedResource(key, body, contentType != null ? contentType : ContentTypes.of(key),
          etag != null ? etag : contentEtag(body), live, targetDuration, maxAge,
          immutable != null ? immutable : !key.kind().isIndex() && maxAge == null);
    }

    private static Duration targetDurationOf(String text) {
      // RFC 8216 §4.3.3.1: #EXT-X-TARGETDURATION:<s> (decimal-integer)
      int at = text.indexOf("#EXT-X-TARGETDURATION:");
      if (at < 0) {
        return null;
      }
      long seconds = 0;
      int digits = 0;
      for (int i = at + "#EXT-X-TARGETDURATION:".length(); i < text.length() && digits < 6; i++, digits++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        seconds = seconds * 10 + (c - '0');
      }
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
  }
}
