package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Apple SAMPLE-AES for HLS with MPEG-TS segments ("MPEG-2 Stream Encryption Format for HTTP Live Streaming";
 * RFC 8216 §4.3.2.4 {@code METHOD=SAMPLE-AES}): H.264 slices, AAC and AC-3/E-AC-3 frames are partly encrypted
 * with AES-128-CBC so that the TS, PES and codec headers stay readable. The TS muxer signals encrypted streams
 * with their SAMPLE-AES stream types (0xdb, 0xcf, 0xc1, 0xc2).
 *
 * <p>A {@link SampleEncryption}: plug it into the packager ({@code HlsPackager.Builder#sampleEncryption}). The
 * keys work as for {@link Aes128SegmentEncryptor}: per segment its {@link KeyRotation} gives the crypto period
 * (clear lead: {@code null}, the segment stays clear), the {@link KeyProvider} that period's key (asked with the
 * segment's main track type), and the playlist gets {@code EXT-X-KEY:METHOD=SAMPLE-AES,URI="keys/<kid>.key",
 * IV=0x…,KEYFORMAT="identity"} (the URI relative to the channel, served by {@link KeyDeliveryHandler}).
 *
 * <p>The IV is always written explicitly and is constant per key: the key's own IV when its {@link IvPolicy} is
 * explicit, otherwise the first 16 bytes of SHA-256("iptv SAMPLE-AES IV" ‖ KID). A media-sequence IV would make
 * every segment's EXT-X-KEY differ; SAMPLE-AES resets the IV for every NAL unit and audio frame anyway, so one
 * IV per key gives nothing away that a per-segment one would hide, and every packager node computes the same.
 *
 * <p>Thread-safe: one instance may serve several packagers; each {@link #forSegment} returns a new encryptor
 * with its own cipher. Keys are never logged. {@link #usedKeys()} lists the keys issued so far.
 *
 * <pre>{@code
 * SampleAesEncryption sampleAes = SampleAesEncryption.builder(KeyProvider.derived(secret))
 *     .channel("news")
 *     .rotation(KeyRotation.everySegments(10).withClearLead(1))
 *     .build();
 * HlsPackager packager = HlsPackager.builder().sampleEncryption(sampleAes).build(sink);
 * }</pre>
 */
public final class SampleAesEncryption implements SampleEncryption {
  private static final byte[] IV_LABEL = "iptv SAMPLE-AES IV".getBytes(StandardCharsets.US_ASCII);

  private final KeyProvider keys;
  private final String channel;
  private final KeyRotation rotation;
  private final Function<KeyId, String> keyUri;
  private final String keyFormat;
  private final DrmSignalling signalling;
  private final Consumer<ContentKey> onKeyIssued;
  /** The most recent keys, bounded like {@link Aes128SegmentEncryptor}'s. */
  private final Map<KeyId, ContentKey> used = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<KeyId, ContentKey> eldest) {
      return size() > Aes128SegmentEncryptor.DEFAULT_RETAINED_KEYS;
    }
  };

  private SampleAesEncryption(Builder b) {
    this.keys = b.keys;
    this.channel = b.channel;
    this.rotation = b.rotation;
    this.keyUri = b.keyUri;
    this.keyFormat = b.keyFormat;
    this.signalling = b.signalling;
    this.onKeyIssued = b.onKeyIssued;
  }

  /** Starts configuring SAMPLE-AES with keys from {@code keys}. */
  public static Builder builder(KeyProvider keys) {
    return new Builder(keys);
  }

  @Override
  public SegmentSampleEncryptor forSegment(SegmentContext context) throws MediaException {
    long period = rotation.cryptoPeriod(context.sequence());
    if (period < 0) {
      return null; // clear lead
    }
    ContentKey key = keys.key(new KeyRequest(channel, context.mainTrackType(), period));
    if (key == null) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE, "no key for " + channel + " period " + period);
    }
    boolean first;
    synchronized (used) {
      first = used.putIfAbsent(key.keyId(), key) == null;
    }
    if (first && onKeyIssued != null) {
      onKeyIssued.accept(key);
    }
    byte[] iv = constantIv(key);
    List<SegmentProtection> protections = signalling != null
        ? signalling.protections(SampleEncryptionScheme.SAMPLE_AES, key.keyId(), keyUri.apply(key.keyId()), iv)
        : List.of(new SegmentProtection("SAMPLE-AES", keyUri.apply(key.keyId()),
            "0x" + HexFormat.of().formatHex(iv), keyFormat, null));
    return new SampleAesSegmentEncryptor(key, iv, protections);
  }

  /** The most recently issued keys (at most 64), in first-use order; every key: {@link Builder#onKeyIssued}. */
  public List<ContentKey> usedKeys() {
    synchronized (used) {
      return new ArrayList<>(used.values());
    }
  }

  /** The constant IV used with {@code key} (see the class comment): 16 new bytes. */
  public static byte[] constantIv(ContentKey key) {
    if (!key.ivPolicy().isMediaSequence()) {
      return key.ivPolicy().ivFor(0);
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(IV_LABEL);
      sha256.update(key.keyId().toByteArray());
      return Arrays.copyOf(sha256.digest(), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Configures a {@link SampleAesEncryption}; each setting once, validated at once. Not thread-safe. */
  public static final class Builder {
    private final KeyProvider keys;
    private String channel;
    private KeyRotation rotation;
    private Function<KeyId, String> keyUri;
    private String keyFormat;
    private boolean keyFormatSet;
    private DrmSignalling signalling;
    private Consumer<ContentKey> onKeyIssued;

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
     * {@link KeyDeliveryHandler}); absolute URIs ({@code skd://…}) are written as they are.
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
     * The DRM systems to signal (default: one {@code KEYFORMAT="identity"} key line); with FairPlay the
     * playlist carries {@code skd://} key lines for Apple devices. Replaces {@link #keyFormat}.
     */
    public Builder signalling(DrmSignalling value) {
      requireUnset(signalling, "signalling");
      signalling = Objects.requireNonNull(value, "signalling");
      return this;
    }

    /** Called once per key, the first time a segment is encrypted with it (see {@link Aes128SegmentEncryptor}). */
    public Builder onKeyIssued(Consumer<ContentKey> value) {
      requireUnset(onKeyIssued, "onKeyIssued");
      onKeyIssued = Objects.requireNonNull(value, "onKeyIssued");
      return this;
    }

    /** Builds it. */
    public SampleAesEncryption build() {
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
      return new SampleAesEncryption(this);
    }

    private static void requireUnset(Object field, String name) {
      if (field != null) {
        throw new IllegalStateException(name + " was already set to " + field);
      }
    }
  }
}
