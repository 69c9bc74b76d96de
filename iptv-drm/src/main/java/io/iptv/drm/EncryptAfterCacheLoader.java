package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceKind;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import io.iptv.drm.PlaylistSegmentKeys.SegmentCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Encrypt after cache: a {@link ResourceLoader} in front of a loader of <em>clear</em> segments (typically the
 * origin's segment cache) that encrypts every media segment per request with HLS {@code METHOD=AES-128}
 * (RFC 8216 §4.3.2.4, §5.2), with the key and IV its media playlist names. A shared cache then holds one clear
 * copy, and the key can differ per deployment (or be rotated) without repackaging. The IV is the playlist's, by
 * default the media sequence number, so repeated requests give identical bytes: the response keeps a strong
 * ETag of its own and stays cacheable downstream ({@code Cache-Control: public}); range requests are answered
 * from the encrypted bytes.
 *
 * <p>The packager writes the signalling: {@link Aes128SegmentEncryptor} with
 * {@link Aes128SegmentEncryptor.Builder#deferredEncryption deferredEncryption(true)} writes the same playlists as
 * when it encrypts, and leaves the segments clear. The bytes this loader serves are those the packager would
 * have written (tested byte for byte).
 *
 * <p>How a segment's key is found: each media playlist passing through is read
 * ({@link PlaylistSegmentKeys}: the {@code EXT-X-KEY} in force, IV attribute or media sequence number) into a
 * bounded map of segment → key URI + IV. A segment requested before its playlist (another node served it, or
 * the process restarted) makes the loader read the channel's multivariant playlist(s) and their media
 * playlists through the delegate first. The key URI gives the KID ({@code .../<32 hex>.key} by default), and
 * the {@link KeyLocator} the key, which must belong to the segment's channel.
 *
 * <p>Safe by default: a segment that exists but is listed in no playlist is answered as missing (404), never
 * clear; a key that cannot be found is an {@link IOException} (503), never a clear answer; segments listed
 * before any key (clear lead) or after {@code METHOD=NONE} are served clear, as the playlist says. Init
 * segments stay clear unless an {@code EXT-X-KEY} with an IV precedes their {@code EXT-X-MAP}. Not supported
 * (refused, so 404): byte-range segments and LL-HLS parts under a key.
 *
 * <p>Thread-safe. Encryption runs on the executor passed to {@link #loadAsync} (AES-CBC through
 * {@code javax.crypto}, ≈ 1 GB/s per core). Keys are never logged.
 *
 * <pre>{@code
 * // packaging: same EXT-X-KEY lines, clear segments
 * Aes128SegmentEncryptor signalling = Aes128SegmentEncryptor.builder(keys).channel("news")
 *     .rotation(KeyRotation.everySegments(10)).deferredEncryption(true).build();
 * // serving: cache clear, encrypt per request
 * ResourceLoader encrypted = EncryptAfterCacheLoader.builder(segmentCache,
 *     KeyLocator.inChannels(keys, List.of("news"))).build();
 * OriginHandler origin = OriginHandler.builder(encrypted).interceptor(keyDelivery.interceptor(auth)).build();
 * }</pre>
 */
public final class EncryptAfterCacheLoader implements ResourceLoader {
  /** Default of {@link Builder#maxTrackedSegments}. */
  public static final int DEFAULT_MAX_TRACKED_SEGMENTS = 16_384;
  /** Default of {@link Builder#indexPlaylists}. */
  public static final List<String> DEFAULT_INDEX_PLAYLISTS = List.of("master.m3u8");
  /** Most media playlists read from one multivariant playlist when looking for an unknown segment. */
  static final int MAX_DISCOVERED_PLAYLISTS = 64;

  private static final Pattern KID_FILE = Pattern.compile("([0-9a-fA-F]{32})\\.key$");
  private static final HexFormat HEX = HexFormat.of();

  private final ResourceLoader delegate;
  private final KeyLocator keys;
  private final Function<String, KeyId> keyIdOfUri;
  private final List<String> indexPlaylists;
  /** Segment → how its playlist says it is encrypted; access-ordered, bounded. Guarded by itself. */
  private final Map<ResourceKey, SegmentCrypto> segments;
  /** Media playlist → the ETag of the version last read, so an unchanged playlist is not read again. */
  private final Map<ResourceKey, String> scanned;

  private EncryptAfterCacheLoader(Builder b) {
    this.delegate = b.delegate;
    this.keys = b.keys;
    this.keyIdOfUri = b.keyIdOfUri;
    this.indexPlaylists = b.indexPlaylists;
    int max = b.maxTrackedSegments;
    this.segments = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ResourceKey, SegmentCrypto> eldest) {
        return size() > max;
      }
    };
    int maxPlaylists = Math.max(64, max / 16);
    this.scanned = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ResourceKey, String> eldest) {
        return size() > maxPlaylists;
      }
    };
  }

  /** Starts configuring a loader that encrypts what {@code delegate} loads with keys found by {@code keys}. */
  public static Builder builder(ResourceLoader delegate, KeyLocator keys) {
    return new Builder(delegate, keys);
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    ServedResource resource = delegate.load(key);
    return resource == null ? null : process(key, resource);
  }

  @Override
  public CompletableFuture<ServedResource> loadAsync(ResourceKey key, Executor executor) {
    CompletableFuture<ServedResource> loading = delegate.loadAsync(key, executor);
    if (!isMedia(key.kind())) {
      return key.kind() == ResourceKind.PLAYLIST ? loading.thenApply(this::learn) : loading;
    }
    // encrypting (and, for an unknown segment, reading playlists) must not run on an I/O loop thread
    return loading.thenApplyAsync(resource -> {
      try {
        return resource == null ? null : process(key, resource);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
  }

  @Override
  public CompletableFuture<ServedResource> revalidateAsync(ResourceKey key, ServedResource stale,
      Executor executor) {
    if (isMedia(key.kind())) {
      return loadAsync(key, executor); // the stale copy is encrypted: load the clear one again
    }
    CompletableFuture<ServedResource> loading = delegate.revalidateAsync(key, stale, executor);
    return key.kind() == ResourceKind.PLAYLIST ? loading.thenApply(this::learn) : loading;
  }

  /** How many segments' keys are known now (bounded by {@link Builder#maxTrackedSegments}). */
  public int trackedSegments() {
    synchronized (segments) {
      return segments.size();
    }
  }

  private ServedResource process(ResourceKey key, ServedResource resource) throws IOException {
    if (key.kind() == ResourceKind.PLAYLIST) {
      return learn(resource);
    }
    if (!isMedia(key.kind())) {
      return resource;
    }
    SegmentCrypto crypto = lookup(key);
    if (crypto == null) {
      discover(key.channel());
      crypto = lookup(key);
    }
    if (crypto == null) {
      return null; // listed nowhere: never serve it clear
    }
    return crypto.clear() ? resource : encrypt(key, resource, crypto);
  }

  private ServedResource encrypt(ResourceKey key, ServedResource clear, SegmentCrypto crypto) throws IOException {
    ContentKey contentKey = contentKey(key.channel(), crypto.keyUri());
    ByteSlice body;
    try {
      body = Aes128SegmentEncryptor.encrypt(contentKey, crypto.iv(), clear.body());
    } catch (MediaException e) {
      throw new IOException("cannot encrypt " + key.path() + ": " + e.getMessage(), e);
    }
    return new ServedResource(clear.key(), body, clear.contentType(), etag(clear.etag(), contentKey.keyId(),
        crypto.iv()), clear.live(), clear.targetDuration(), clear.maxAge(), clear.immutable());
  }

  private ContentKey contentKey(String channel, String keyUri) throws IOException {
    KeyId kid = keyIdOfUri.apply(keyUri);
    if (kid == null) {
      throw new IOException("no KID in the key URI of a segment of channel " + channel);
    }
    for (LocatedKey located : keys.locate(kid)) {
      if (located.channel().equals(channel)) {
        return located.key();
      }
    }
    throw new IOException("key " + kid.toHex() + " of channel " + channel + " is unavailable");
  }

  /** The encrypted variant's validator: the clear ETag plus a digest of KID and IV (neither is secret). */
  private static String etag(String clearEtag, KeyId kid, byte[] iv) {
    CRC32 crc = new CRC32();
    crc.update(kid.toByteArray());
    crc.update(iv);
    String inner = clearEtag.substring(1, clearEtag.length() - 1);
    return "\"" + inner + "-aes128-" + Long.toHexString(crc.getValue()) + "\"";
  }

  private SegmentCrypto lookup(ResourceKey key) {
    synchronized (segments) {
      return segments.get(key);
    }
  }

  /** Reads a media playlist's segment keys (once per version); returns it unchanged. */
  private ServedResource learn(ServedResource playlist) {
    if (playlist == null || playlist.key().kind() != ResourceKind.PLAYLIST) {
      return playlist;
    }
    synchronized (segments) {
      if (playlist.etag().equals(scanned.get(playlist.key()))) {
        return playlist;
      }
    }
    String text = new String(playlist.body().toByteArray(), StandardCharsets.UTF_8);
    if (!PlaylistSegmentKeys.isMediaPlaylist(text)) {
      return playlist;
    }
    Map<ResourceKey, SegmentCrypto> found = PlaylistSegmentKeys.scan(playlist.key(), text);
    synchronized (segments) {
      segments.putAll(found);
      scanned.put(playlist.key(), playlist.etag());
    }
    return playlist;
  }

  /** Reads the channel's index playlists and their media playlists through the delegate. */
  private void discover(String channel) throws IOException {
    for (String name : indexPlaylists) {
      ResourceKey index = ResourceKey.of(channel, name);
      ServedResource multivariant = delegate.load(index);
      if (multivariant == null) {
        continue;
      }
      String text = new String(multivariant.body().toByteArray(), StandardCharsets.UTF_8);
      if (PlaylistSegmentKeys.isMediaPlaylist(text)) {
        learn(multivariant);
        continue;
      }
      for (ResourceKey media : PlaylistSegmentKeys.mediaPlaylists(index, text, MAX_DISCOVERED_PLAYLISTS)) {
        learn(delegate.load(media));
      }
    }
  }

  private static boolean isMedia(ResourceKind kind) {
    return kind == ResourceKind.SEGMENT || kind == ResourceKind.INIT_SEGMENT;
  }

  /** The default {@link Builder#keyIdOfUri}: a last path segment {@code <32 hex digits>.key}. */
  static KeyId kidFromKeyFileName(String uri) {
    int query = uri.indexOf('?');
    Matcher m = KID_FILE.matcher(query >= 0 ? uri.substring(0, query) : uri);
    return m.find() ? KeyId.of(HEX.parseHex(m.group(1))) : null;
  }

  /** Configures an {@link EncryptAfterCacheLoader}. Not thread-safe. */
  public static final class Builder {
    private final ResourceLoader delegate;
    private final KeyLocator keys;
    private Function<String, KeyId> keyIdOfUri = EncryptAfterCacheLoader::kidFromKeyFileName;
    private List<String> indexPlaylists = DEFAULT_INDEX_PLAYLISTS;
    private int maxTrackedSegments = DEFAULT_MAX_TRACKED_SEGMENTS;

    private Builder(ResourceLoader delegate, KeyLocator keys) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The KID named by a key URI as the playlist writes it (resolved to an origin path like
     * {@code /news/keys/<kid>.key} when relative; absolute URIs as written); null if none. Default: the last
     * path segment {@code <32 hex>.key}, as {@link Aes128SegmentEncryptor} writes by default.
     */
    public Builder keyIdOfUri(Function<String, KeyId> value) {
      keyIdOfUri = Objects.requireNonNull(value, "keyIdOfUri");
      return this;
    }

    /**
     * The playlists, relative to a channel, read to find the key of a segment no playlist passing through has
     * listed yet (default {@code master.m3u8}; add {@code master-dvr.m3u8} for DVR windows).
     */
    public Builder indexPlaylists(List<String> value) {
      indexPlaylists = List.copyOf(value);
      return this;
    }

    /** Most segments whose keys are remembered (default {@value #DEFAULT_MAX_TRACKED_SEGMENTS}; ≥ 16). */
    public Builder maxTrackedSegments(int value) {
      if (value < 16) {
        throw new IllegalArgumentException("maxTrackedSegments must be >= 16: " + value);
      }
      maxTrackedSegments = value;
      return this;
    }

    /** Builds the loader. */
    public EncryptAfterCacheLoader build() {
      return new EncryptAfterCacheLoader(this);
    }
  }
}
