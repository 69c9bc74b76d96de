package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.DeferredSegment;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.core.pipeline.TransformedSegment;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * HLS whole-segment encryption, {@code METHOD=AES-128} (RFC 8216 §4.3.2.4, §5.2): each segment is encrypted as
 * a whole with AES-128-CBC and PKCS#7 padding (the JDK's {@code AES/CBC/PKCS5Padding}, which is PKCS#7 for
 * 16-byte blocks), with the IV of the key's {@link IvPolicy} (by default the media sequence number as a 128-bit
 * big-endian integer). Format-agnostic: works for MPEG-TS and fMP4 segments alike.
 *
 * <p>A {@link SegmentTransform}: plug it into the packager ({@code HlsPackager.Builder#segmentTransform}). Per
 * segment it asks its {@link KeyRotation} for the crypto period of the media sequence number (clear lead: the
 * segment is published unchanged, no {@code EXT-X-KEY}), the {@link KeyProvider} for that period's key, and
 * returns a {@link SegmentProtection} with {@code URI="keys/<kid-hex>.key"} (relative to the channel; the
 * packager makes it relative to the playlist), the {@code IV} attribute for explicit IVs and
 * {@code KEYFORMAT="identity"}. The playlist writer emits {@code EXT-X-KEY} where the key changes (rotation) and
 * {@code METHOD=NONE} where encryption stops.
 *
 * <p><b>Encrypt after cache</b> ({@link Builder#deferredEncryption}): the playlists get exactly the same
 * {@code EXT-X-KEY} lines, but the segments are published clear, so that a shared cache holds one clear copy and
 * {@link EncryptAfterCacheLoader} encrypts each response (same key, same IV, so the same bytes as encrypting
 * here).
 *
 * <p><b>Deferred to the writer threads</b> ({@link #defer}): a batch packager takes the key and the
 * {@code EXT-X-KEY} signalling from {@code defer} on its packaging thread and encrypts each segment later on a
 * segment writer thread, several in parallel; the bytes are the same as {@link #transform}'s.
 *
 * <p>Bulk AES runs through {@code javax.crypto} (AES-NI), fed in pieces of at most 8 KiB ({@link CipherChunks}:
 * the JDK's AES intrinsics engage much later on very large single calls).
 *
 * <p>Thread-safe (one cipher per thread); keys are never logged. {@link #usedKeys()} lists the keys issued so
 * far, e.g. to write key files or register them with a key server.
 *
 * <pre>{@code
 * Aes128SegmentEncryptor aes = Aes128SegmentEncryptor.builder(KeyProvider.derived(secret))
 *     .channel("news")
 *     .rotation(KeyRotation.everySegments(10).withClearLead(1))
 *     .build();
 * HlsPackager packager = HlsPackager.builder().segmentTransform(aes).build(sink);
 * }</pre>
 */
public final class Aes128SegmentEncryptor implements SegmentTransform {
  /** Default of {@link Builder#retainedKeys(int)}. */
  public static final int DEFAULT_RETAINED_KEYS = 64;

  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(Aes128SegmentEncryptor::newCipher);
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CipherChunks.CHUNK_BYTES]);

  private final KeyProvider keys;
  private final String channel;
  private final KeyRotation rotation;
  private final Function<KeyId, String> keyUri;
  private final String keyFormat;
  private final Consumer<ContentKey> onKeyIssued;
  private final boolean deferred;
  /** The most recent keys, bounded: a live channel rotating forever must not grow this without limit. */
  private final Map<KeyId, ContentKey> used;

  private Aes128SegmentEncryptor(Builder b) {
    this.keys = b.keys;
    this.channel = b.channel;
    this.rotation = b.rotation;
    this.keyUri = b.keyUri;
    this.keyFormat = b.keyFormat;
    this.onKeyIssued = b.onKeyIssued;
    this.deferred = b.deferred;
    int retained = b.retainedKeys;
    this.used = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<KeyId, ContentKey> eldest) {
        return size() > retained;
      }
    };
  }

  /** Starts configuring an encryptor taking its keys from {@code keys}. */
  public static Builder builder(KeyProvider keys) {
    return new Builder(keys);
  }

  /** {@code false}: the result is the segment itself (clear lead, deferred encryption) or a new array. */
  @Override
  public boolean sharesInput() {
    return false;
  }

  @Override
  public TransformedSegment transform(SegmentContext context, ByteSlice segment) throws MediaException {
    long period = rotation.cryptoPeriod(context.sequence());
    if (period < 0) {
      return new TransformedSegment(segment, null); // clear lead
    }
    ContentKey key = issueKey(context, period);
    SegmentProtection protection = protection(key);
    if (deferred) {
      // published clear; the origin serves it encrypted, PKCS#7-padded to the next multiple of 16
      return new TransformedSegment(segment, protection, (segment.length() / 16 + 1) * 16L);
    }
    return new TransformedSegment(encrypt(key, key.ivPolicy().ivFor(context.sequence()), segment), protection);
  }

  /**
   * Plans the encryption of one segment: the key is looked up (a missing key fails here, with
   * {@code KEY_UNAVAILABLE}) and issued, and the protection and padded length ({@code 16 * (n / 16 + 1)}) are
   * known at once; the AES-128-CBC pass itself is deferred (see {@link SegmentTransform#defer}) and yields the
   * same bytes as {@link #transform}. {@code null} where there is nothing costly to defer: clear-lead segments
   * and {@link Builder#deferredEncryption encrypt after cache}, for which the packager calls {@link #transform}.
   */
  @Override
  public DeferredSegment defer(SegmentContext context, ByteSlice segment) throws MediaException {
    long period = rotation.cryptoPeriod(context.sequence());
    if (period < 0 || deferred) {
      return null;
    }
    ContentKey key = issueKey(context, period);
    byte[] iv = key.ivPolicy().ivFor(context.sequence());
    return new DeferredSegment(protection(key), paddedLength(segment.length()),
        out -> encrypt(key, iv, segment, out));
  }

  /** The key of crypto period {@code period}, recorded as used (and reported the first time). */
  private ContentKey issueKey(SegmentContext context, long period) throws MediaException {
    ContentKey key = keys.key(new KeyRequest(channel, context.mainTrackType(), period));
    if (key == null) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE,
          "no key for " + channel + " period " + period);
    }
    boolean first;
    synchronized (used) {
      first = used.putIfAbsent(key.keyId(), key) == null;
    }
    if (first && onKeyIssued != null) {
      onKeyIssued.accept(key);
    }
    return key;
  }

  private SegmentProtection protection(ContentKey key) {
    return new SegmentProtection("AES-128", keyUri.apply(key.keyId()), key.ivPolicy().attribute(), keyFormat, null);
  }

  /**
   * The most recently issued keys (at most {@link Builder#retainedKeys(int)}, default
   * {@value #DEFAULT_RETAINED_KEYS}), in first-use order. To see every key, use {@link Builder#onKeyIssued}.
   */
  public List<ContentKey> usedKeys() {
    synchronized (used) {
      return new ArrayList<>(used.values());
    }
  }

  /**
   * Encrypts {@code clear} with AES-128-CBC and PKCS#7 padding: the output is {@code 16 * (n / 16 + 1)} bytes.
   */
  public static ByteSlice encrypt(ContentKey key, byte[] iv, ByteSlice clear) throws MediaException {
    byte[] out = new byte[paddedLength(clear.length())];
    encrypt(key, iv, clear, out);
    return ByteSlice.wrap(out);
  }

  /**
   * Encrypts {@code clear} as {@link #encrypt(ContentKey, byte[], ByteSlice)} into {@code out[0, 16 * (n / 16 +
   * 1))}; {@code out} must be that long at least and must not overlap {@code clear}.
   */
  public static void encrypt(ContentKey key, byte[] iv, ByteSlice clear, byte[] out) throws MediaException {
    Objects.requireNonNull(key, "key");
    int length = clear.length();
    int padded = paddedLength(length);
    if (out.length < padded) {
      throw new IllegalArgumentException("output of " + out.length + " bytes, " + padded + " needed");
    }
    Cipher cipher = CIPHER.get();
    byte[] scratch = SCRATCH.get(); // the clear bytes pass through a small cache-resident buffer, chunk by chunk
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new IvParameterSpec(iv));
      int offset = 0;
      int written = 0;
      int chunk = CipherChunks.forBytes(length);
      while (length - offset > chunk) {
        clear.copyTo(offset, scratch, 0, chunk);
        written += cipher.update(scratch, 0, chunk, out, written);
        offset += chunk;
      }
      int rest = length - offset;
      clear.copyTo(offset, scratch, 0, rest);
      written += cipher.doFinal(scratch, 0, rest, out, written);
      if (written != padded) {
        throw new IllegalStateException("AES-CBC wrote " + written + " bytes, expected " + padded);
      }
    } catch (GeneralSecurityException e) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE,
          "AES-128 encryption failed for key " + key.keyId() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** AES-128-CBC with PKCS#7 padding adds 1–16 bytes: {@code 16 * (n / 16 + 1)}. */
  private static int paddedLength(int clearLength) {
    return (clearLength / 16 + 1) * 16;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/CBC/PKCS5Padding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/CBC/PKCS5Padding", e);
    }
  }

  /** Configures an {@link Aes128SegmentEncryptor}; each setting once, validated at once. Not thread-safe. */
  public static final class Builder {
    private final KeyProvider keys;
    private String channel;
    private KeyRotation rotation;
    private Function<KeyId, String> keyUri;
    private String keyFormat;
    private boolean keyFormatSet;
    private Consumer<ContentKey> onKeyIssued;
    private int retainedKeys = DEFAULT_RETAINED_KEYS;
    private boolean deferred;

    private Builder(KeyProvider keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The channel (content id) keys are requested for; required. Also the {@code /{channel}/} of key URLs. */
    public Builder channel(String value) {
      requireUnset(channel, "channel");
      Objects.requireNonNull(value, "channel");
      if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("bad channel name: " + value);
      }
      channel = value;
      return this;
    }

    /** Rotation and clear lead (default {@link KeyRotation#none()}). */
    public Builder rotation(KeyRotation value) {
      requireUnset(rotation, "rotation");
      rotation = Objects.requireNonNull(value, "rotation");
      return this;
    }

    /**
     * The key URI for a KID (default {@code keys/<kid-hex>.key}, relative to the channel root, served by
     * {@link KeyDeliveryHandler}); absolute URIs are written as they are.
     */
    public Builder keyUri(Function<KeyId, String> value) {
      requireUnset(keyUri, "keyUri");
      keyUri = Objects.requireNonNull(value, "keyUri");
      return this;
    }

    /** KEYFORMAT (default {@code identity}; null leaves it out, which also means identity). */
    public Builder keyFormat(String value) {
      if (keyFormatSet) {
        throw new IllegalStateException("keyFormat was already set to " + keyFormat);
      }
      keyFormatSet = true;
      keyFormat = value;
      return this;
    }

    /**
     * Called once per key, on the packaging thread, the first time a segment is encrypted with it (before the
     * segment is published): where a host stores keys for its key server or writes them out. A repeated
     * rotation back to an evicted key calls it again. Must not block for long; must not log the key.
     */
    public Builder onKeyIssued(Consumer<ContentKey> value) {
      requireUnset(onKeyIssued, "onKeyIssued");
      onKeyIssued = Objects.requireNonNull(value, "onKeyIssued");
      return this;
    }

    /** How many recent keys {@link #usedKeys()} keeps (default {@value #DEFAULT_RETAINED_KEYS}; ≥ 1). */
    public Builder retainedKeys(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("retainedKeys must be >= 1: " + value);
      }
      retainedKeys = value;
      return this;
    }

    /**
     * Encrypt after cache (default false): write the {@code EXT-X-KEY} signalling and issue the keys as usual,
     * but publish the segments clear; an {@link EncryptAfterCacheLoader} in front of the origin's cache encrypts
     * them per request. The clear segments must then only ever be served through that loader.
     */
    public Builder deferredEncryption(boolean value) {
      deferred = value;
      return this;
    }

    /** Builds the encryptor. */
    public Aes128SegmentEncryptor build() {
      if (channel == null) {
        throw new IllegalStateException("channel is required");
      }
      if (rotation == null) {
        rotation = KeyRotation.none();
      }
      if (keyUri == null) {
        keyUri = kid -> "keys/" + kid.toHex() + ".key";
      }
      if (!keyFormatSet) {
        keyFormat = "identity";
      }
      return new Aes128SegmentEncryptor(this);
    }

    private static void requireUnset(Object field, String name) {
      if (field != null) {
        throw new IllegalStateException(name + " was already set to " + field);
      }
    }
  }
}
