package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import java.util.Locale;
import java.util.Objects;

/**
 * Identifies one served resource: a channel, a {@link ResourceKind} and a name relative to the channel
 * ({@code "video/720p/seg-42.ts"}, {@code "master.m3u8"}, {@code "keys/k1.key"}).
 *
 * <p>{@link #parse} is strict, so that a key can always be mapped to a file or a map entry without any risk of
 * escaping the channel: the raw (undecoded) path must consist of segments of {@code [A-Za-z0-9._-]} that do not
 * start with a dot; {@code %}, {@code \}, empty segments, {@code .} and {@code ..} are rejected, so encoded
 * traversal ({@code %2e%2e}, {@code %2f}) never reaches a loader. Channels are {@code [A-Za-z0-9_-]{1,64}}.
 *
 * <p>Immutable; usable as a cache key.
 *
 * <pre>{@code
 * ResourceKey key = ResourceKey.parse("/news/seg-42.ts");   // (news, SEGMENT, "seg-42.ts")
 * key.path();                                                // "/news/seg-42.ts"
 * }</pre>
 *
 * @param channel the channel name ({@code "license"} for the licence endpoint)
 * @param kind what the resource is
 * @param name the path below the channel, segments separated by {@code /}
 */
public record ResourceKey(String channel, ResourceKind kind, String name) {
  /** Longest accepted path, in characters. */
  public static final int MAX_PATH_LENGTH = 1024;
  /** Deepest accepted name below the channel, in segments. */
  public static final int MAX_NAME_DEPTH = 8;
  private static final int MAX_CHANNEL_LENGTH = 64;
  private static final String LICENSE_CHANNEL = "license";

  /** Validates the components (the same rules as {@link #parse}). */
  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Preconditions.requireArgument(isChannel(channel), "bad channel name: %s", channel);
    Preconditions.requireArgument(isName(name), "bad resource name: %s", name);
  }

  /** The key of {@code /channel/name}, with the kind derived from the name as {@link #parse} does. */
  public static ResourceKey of(String channel, String name) {
    return parse("/" + channel + "/" + name);
  }

  /**
   * Parses a raw request path (not percent-decoded, without the query).
   *
   * @throws ResourcePathException if the path is malformed or names no resource
   */
  public static ResourceKey parse(String rawPath) {
    if (rawPath == null || rawPath.length() < 2 || rawPath.charAt(0) != '/') {
      throw malformed("path must start with '/'");
    }
    if (rawPath.length() > MAX_PATH_LENGTH) {
      throw malformed("path longer than " + MAX_PATH_LENGTH);
    }
    int slash = rawPath.indexOf('/', 1);
    if (slash < 0) {
      throw new ResourcePathException(ResourcePathException.Reason.UNKNOWN_RESOURCE, "no resource below channel");
    }
    String channel = rawPath.substring(1, slash);
    String name = rawPath.substring(slash + 1);
    if (!isChannel(channel)) {
      throw malformed("bad channel segment");
    }
    if (!isName(name)) {
      throw malformed("bad path segment");
    }
    ResourceKind kind = kindOf(channel, name);
    if (kind == null) {
      throw new ResourcePathException(ResourcePathException.Reason.UNKNOWN_RESOURCE, "unknown resource: " + name);
    }
    return new ResourceKey(channel, kind, name);
  }

  /** The canonical request path, {@code /channel/name}. */
  public String path() {
    return "/" + channel + "/" + name;
  }

  /** The file extension of the name, lower case, without the dot ({@code ""} if none). */
  public String extension() {
    int dot = name.lastIndexOf('.');
    int slash = name.lastIndexOf('/');
    return dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  @Override
  public String toString() {
    return kind + ":" + path();
  }

  private static ResourceKind kindOf(String channel, String name) {
    if (channel.equals(LICENSE_CHANNEL)) {
      return name.equals("clearkey") ? ResourceKind.LICENSE : null;
    }
    if (name.startsWith("keys/")) {
      return ResourceKind.KEY;
    }
    String lastSegment = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.equals("master.m3u8")) {
      return ResourceKind.MULTIVARIANT;
    }
    if (name.equals("manifest.mpd")) {
      return ResourceKind.MANIFEST;
    }
    if (lastSegment.endsWith(".m3u8")) {
      return ResourceKind.PLAYLIST;
    }
    if (lastSegment.startsWith("init") && (lastSegment.endsWith(".mp4") || lastSegment.endsWith(".m4s"))) {
      return ResourceKind.INIT_SEGMENT;
    }
    int dot = lastSegment.lastIndexOf('.');
    String extension = dot < 0 ? "" : lastSegment.substring(dot + 1);
    return ContentTypes.isSegmentExtension(extension) ? ResourceKind.SEGMENT : null;
  }

  private static boolean isChannel(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > MAX_CHANNEL_LENGTH) {
      return false;
    }
    for (int i = 0; i < channel.length(); i++) {
      char c = channel.charAt(i);
      if (!(isAlnum(c) || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_PATH_LENGTH) {
      return false;
    }
    int depth = 1;
    boolean segmentStart = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/') {
        if (segmentStart || ++depth > MAX_NAME_DEPTH) {
          return false; // empty segment ("//", leading '/') or too deep
        }
        segmentStart = true;
        continue;
      }
      if (segmentStart && c == '.') {
        return false; // ".", "..", hidden files
      }
      if (!(isAlnum(c) || c == '-' || c == '_' || c == '.')) {
        return false; // '%' (any encoding), '\\', ':', controls, non-ASCII
      }
      segmentStart = false;
    }
    return !segmentStart; // no trailing '/'
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static ResourcePathException malformed(String message) {
    return new ResourcePathException(ResourcePathException.Reason.MALFORMED, message);
  }
}
