package io.iptv.drm;

import io.iptv.core.serve.HlsAttributes;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourcePathException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads from an HLS media playlist which AES-128 key and IV each media segment and initialisation section is
 * encrypted with, the way a player does (RFC 8216 §4.3.2.4, §5.2): an {@code EXT-X-KEY} applies to every media
 * segment and {@code EXT-X-MAP} after it until the next {@code EXT-X-KEY}; without an {@code IV} attribute the
 * IV is the media sequence number ({@code EXT-X-MEDIA-SEQUENCE} plus the segment's position, counting the
 * segments an {@code EXT-X-SKIP} left out, RFC 8216bis §4.4.5.2). Only identity-format keys
 * ({@code KEYFORMAT} absent or {@code "identity"}) count; other KEYFORMAT lines signal the same key to DRM
 * clients. Stateless; thread-safe.
 *
 * <p>Refused (absent from the result, so never served): segments addressed by {@code EXT-X-BYTERANGE} under a
 * key (a whole-file transform cannot encrypt a range on its own), an {@code EXT-X-MAP} under a key without an
 * explicit IV (invalid per §4.3.2.5), URIs outside the playlist's channel, and everything in an I-frame-only
 * playlist (its byte ranges point into the segments of another playlist, which decides).
 */
final class PlaylistSegmentKeys {
  /** How one listed resource is served: {@code keyUri} null means clear. */
  record SegmentCrypto(String keyUri, byte[] iv) {
    static final SegmentCrypto CLEAR = new SegmentCrypto(null, null);

    boolean clear() {
      return keyUri == null;
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private PlaylistSegmentKeys() {
  }

  /** Whether {@code text} is a media playlist (has segments), rather than a multivariant playlist. */
  static boolean isMediaPlaylist(String text) {
    return text.contains("#EXTINF:");
  }

  /**
   * The resources listed by the media playlist {@code playlist} (text {@code text}), each with how it is
   * encrypted, in playlist order.
   */
  static Map<ResourceKey, SegmentCrypto> scan(ResourceKey playlist, String text) {
    Map<ResourceKey, SegmentCrypto> out = new LinkedHashMap<>();
    if (text.contains("#EXT-X-I-FRAMES-ONLY")) {
      return out;
    }
    long sequence = 0;
    String keyUri = null;
    byte[] explicitIv = null;
    boolean invalidKey = false; // an AES-128 key line without a usable URI or with a malformed IV
    boolean byteRange = false;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        sequence = parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()), 0);
      } else if (line.startsWith("#EXT-X-SKIP:")) {
        sequence += parseLong(attribute(line, "SKIPPED-SEGMENTS"), 0);
      } else if (line.startsWith("#EXT-X-KEY:")) {
        String format = attribute(line, "KEYFORMAT");
        if (format != null && !format.equals("identity")) {
          continue; // another system's view of the same key (§4.3.2.4: one line per KEYFORMAT)
        }
        String method = attribute(line, "METHOD");
        if ("AES-128".equals(method)) {
          keyUri = attribute(line, "URI");
          String ivAttribute = attribute(line, "IV");
          explicitIv = iv(ivAttribute);
          invalidKey = keyUri == null || ivAttribute != null && explicitIv == null;
        } else {
          keyUri = null; // NONE, or a sample-encryption method: the segments are published as they are
          explicitIv = null;
          invalidKey = false;
        }
      } else if (line.startsWith("#EXT-X-MAP:")) {
        ResourceKey map = resolve(playlist, attribute(line, "URI"));
        if (map == null || invalidKey) {
          continue;
        }
        if (keyUri == null) {
          out.put(map, SegmentCrypto.CLEAR);
        } else if (explicitIv != null && attribute(line, "BYTERANGE") == null) {
          out.put(map, new SegmentCrypto(resolveUri(playlist, keyUri), explicitIv));
        }
      } else if (line.startsWith("#EXT-X-BYTERANGE:")) {
        byteRange = true;
      } else if (!line.startsWith("#")) {
        ResourceKey segment = resolve(playlist, line);
        if (segment != null && !invalidKey) {
          if (keyUri == null) {
            out.put(segment, SegmentCrypto.CLEAR);
          } else if (!byteRange) {
            byte[] iv = explicitIv != null ? explicitIv : IvPolicy.mediaSequence().ivFor(sequence);
            out.put(segment, new SegmentCrypto(resolveUri(playlist, keyUri), iv));
          }
        }
        byteRange = false;
        sequence++;
      }
    }
    return out;
  }

  /**
   * The media playlists a multivariant playlist names: variant URIs and the {@code URI} of
   * {@code EXT-X-MEDIA} renditions, at most {@code limit}.
   */
  static List<ResourceKey> mediaPlaylists(ResourceKey multivariant, String text, int limit) {
    List<ResourceKey> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      String uri = null;
      if (line.startsWith("#EXT-X-MEDIA:")) {
        uri = attribute(line, "URI");
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        uri = line;
      }
      ResourceKey key = uri == null ? null : resolve(multivariant, uri);
      if (key != null && !out.contains(key) && key.name().endsWith(".m3u8")) {
        out.add(key);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  /** {@code uri} relative to {@code base}'s directory as a key of the same channel; null if it leaves it. */
  static ResourceKey resolve(ResourceKey base, String uri) {
    if (uri == null) {
      return null;
    }
    String path = resolvePath(base, uri);
    if (path == null) {
      return null;
    }
    try {
      ResourceKey key = ResourceKey.parse(path);
      return key.channel().equals(base.channel()) ? key : null;
    } catch (ResourcePathException e) {
      return null;
    }
  }

  /** A key URI made comparable: absolute path when relative, as it is otherwise (absolute URL, skd://, data:). */
  private static String resolveUri(ResourceKey base, String uri) {
    String path = resolvePath(base, uri);
    return path != null ? path : uri;
  }

  /** RFC 3986 §5.2 for the relative references playlists use; the query is dropped; null for absolute URIs. */
  private static String resolvePath(ResourceKey base, String uri) {
    int query = uri.indexOf('?');
    String ref = query >= 0 ? uri.substring(0, query) : uri;
    int hash = ref.indexOf('#');
    ref = hash >= 0 ? ref.substring(0, hash) : ref;
    if (ref.isEmpty() || ref.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return null; // absolute (http:, skd:, data:): not a resource of this origin by path
    }
    List<String> segments = new ArrayList<>();
    if (!ref.startsWith("/")) {
      String basePath = base.path();
      for (String s : basePath.substring(1, basePath.lastIndexOf('/')).split("/")) {
        segments.add(s);
      }
    }
    for (String s : ref.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (segments.isEmpty()) {
          return null;
        }
        segments.remove(segments.size() - 1);
      } else {
        segments.add(s);
      }
    }
    return segments.isEmpty() ? null : "/" + String.join("/", segments);
  }

  private static String attribute(String line, String name) {
    return HlsAttributes.value(line, name);
  }

  private static byte[] iv(String hex) {
    if (hex == null) {
      return null;
    }
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.length() != 32) {
      return null;
    }
    try {
      return HEX.parseHex(digits);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long parseLong(String text, long fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
