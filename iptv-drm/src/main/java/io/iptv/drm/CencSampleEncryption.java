package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * ISO Common Encryption of fMP4/CMAF samples (ISO/IEC 23001-7): {@code cenc} (AES-CTR, 8-byte per-sample IVs)
 * or {@code cbcs} (AES-CBC, 1:9 pattern on video, constant IV). A {@link SampleEncryption}: plug it into the
 * packager ({@code HlsPackager.Builder#sampleEncryption}), which writes {@code encv}/{@code enca} with
 * {@code sinf}/{@code tenc}, per-fragment {@code senc}/{@code saiz}/{@code saio}, {@code pssh}, the HLS
 * {@code EXT-X-KEY} lines of {@link SegmentSampleEncryptor#protections()} and the DASH
 * {@code ContentProtection} elements.
 *
 * <p>Keys, rotation and clear lead work as in {@link Aes128SegmentEncryptor}: per segment the
 * {@link KeyRotation} gives the crypto period of the media sequence number (clear lead: {@code null}, the
 * segment stays clear), the {@link KeyProvider} that period's key. What stays clear inside a sample is
 * described in {@link NalSubsamples} and {@link CencSegmentEncryptor}; output is deterministic.
 *
 * <p>Signalling: by default each segment gets one {@code EXT-X-KEY} with {@code KEYFORMAT="identity"} and
 * {@code URI="keys/<kid-hex>.key"} (channel-relative, served by {@link KeyDeliveryHandler}; Shaka Player reads
 * it). {@link Builder#clearKeyFormat(boolean)} adds a {@code KEYFORMAT="org.w3.clearkey"} line with the KID as
 * a data URI (what hls.js needs to use EME ClearKey), {@link Builder#extraProtections} any other line, and
 * {@link Builder#psshBoxes} the {@code pssh} boxes of DRM systems (Widevine, PlayReady, ClearKey).
 *
 * <p>Key rotation and {@code pssh}: with one key the {@code pssh} boxes sit in the init segment and the DASH MPD.
 * With rotation they sit in every fragment's {@code moof} only ({@link SegmentSampleEncryptor#psshInInitSegment()},
 * as Shaka Packager's key rotation), and the Common PSSH lists the fragment's KID and the next period's, so that
 * EME players (hls.js, Shaka Player with a ClearKey licence URL) request each period's key, also when they start
 * in a later period, and already hold the next key at the change.
 *
 * <p>Thread-safe; keys are never logged.
 *
 * <pre>{@code
 * CencSampleEncryption cenc = CencSampleEncryption.builder(KeyProvider.fixed(key))
 *     .scheme(SampleEncryptionScheme.CENC)
 *     .channel("news")
 *     .rotation(KeyRotation.everySegments(10).withClearLead(1))
 *     .build();
 * HlsPackager packager = HlsPackager.builder().segmentFormat(SegmentFormat.FMP4).sampleEncryption(cenc).build(sink);
 * }</pre>
 */
public final class CencSampleEncryption implements SampleEncryption {
  private final KeyProvider keys;
  private final SampleEncryptionScheme scheme;
  private final String channel;
  private final KeyRotation rotation;
  private final Function<KeyId, String> keyUri;
  private final boolean clearKeyFormat;
  private final boolean identityKeyFormat;
  private final Function<KeyId, List<SegmentProtection>> extraProtections;
  private final Function<KeyId, List<ByteSlice>> psshBoxes;
  private final boolean commonPssh;
  private final Consumer<ContentKey> onKeyIssued;
  /** The most recent keys, bounded like {@link Aes128SegmentEncryptor}'s. */
  private final Map<KeyId, ContentKey> used = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<KeyId, ContentKey> eldest) {
      return size() > Aes128SegmentEncryptor.DEFAULT_RETAINED_KEYS;
    }
  };

  private CencSampleEncryption(Builder b) {
    this.keys = b.keys;
    this.scheme = b.scheme;
    this.channel = b.channel;
    this.rotation = b.rotation;
    this.keyUri = b.keyUri;
    this.clearKeyFormat = b.clearKeyFormat;
    this.identityKeyFormat = b.identityKeyFormat;
    this.onKeyIssued = b.onKeyIssued;
    this.extraProtections = b.extraProtections;
    this.psshBoxes = b.psshBoxes;
    this.commonPssh = b.commonPssh;
  }

  /** Starts configuring an encryption taking its keys from {@code keys}. */
  public static Builder builder(KeyProvider keys) {
    return new Builder(keys);
  }

  /** The scheme. */
  public SampleEncryptionScheme scheme() {
    return scheme;
  }

  @Override
  public SegmentSampleEncryptor forSegment(SegmentContext context) throws MediaException {
    long period = rotation.cryptoPeriod(context.sequence());
    if (period < 0) {
      return null; // clear lead
    }
    return encryptor(context, period);
  }

  @Override
  public SegmentSampleEncryptor defaultEncryptor(SegmentContext first) throws MediaException {
    long sequence = Math.max(first.sequence(), rotation.clearLeadSegments());
    return encryptor(new SegmentContext(first.rendition(), sequence, first.trackTypes()),
        rotation.cryptoPeriod(sequence));
  }

  /** Whether the key changes (rotation every N segments) rather than staying the same for ever. */
  private boolean rotates() {
    return rotation.rotateEverySegments() > 0;
  }

  private CencSegmentEncryptor encryptor(SegmentContext context, long period) throws MediaException {
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
    KeyId kid = key.keyId();
    List<SegmentProtection> protections = new ArrayList<>();
    if (identityKeyFormat) {
      protections.add(new SegmentProtection(scheme.hlsMethod(), keyUri.apply(kid), null, "identity", null));
    }
    if (clearKeyFormat) {
      protections.add(clearKeyProtection(scheme, kid));
    }
    protections.addAll(extraProtections.apply(kid));
    List<ByteSlice> pssh = new ArrayList<>();
    if (commonPssh) {
      pssh.add(rotates() ? commonPssh(kid, nextKeyId(context, period, kid)) : commonPssh(kid));
    }
    pssh.addAll(psshBoxes.apply(kid));
    // with rotation the pssh go in every moof, never in the init segment or MPD (SegmentSampleEncryptor)
    return new CencSegmentEncryptor(scheme, key, context.rendition(), context.sequence(), protections, pssh,
        !rotates());
  }

  /**
   * The KID of the crypto period after {@code period} for the Common PSSH of a rotated fragment, which lists the
   * fragment's own KID and this one, so that a licence request made from any fragment of a period also fetches
   * the next period's key (the licence server must then release it: {@link IssuedKeyIndex} learns it from
   * this request). A player asks for a licence per {@code encrypted} event, and hls.js 1.7 hands each
   * event's init data to the playlist key it currently uses: an event of the last fragments of a period, raised
   * after hls.js moved on to the next period's key, then still asks for that key (without the look-ahead it
   * asks for the old KID only and fails with key status {@code internal-error}). Returns {@code current} when
   * the provider has no next key yet or the next period reuses the same key.
   */
  private KeyId nextKeyId(SegmentContext context, long period, KeyId current) {
    try {
      ContentKey next = keys.key(new KeyRequest(channel, context.mainTrackType(), period + 1));
      return next == null ? current : next.keyId();
    } catch (MediaException e) {
      return current; // the look-ahead is best effort: the next period's own fragments name its key anyway
    }
  }

  /**
   * The {@code EXT-X-KEY} hls.js needs for EME ClearKey: {@code KEYFORMAT="org.w3.clearkey"},
   * {@code KEYFORMATVERSIONS="1"} and the KID as {@code URI="data:text/plain;base64,…"} (hls.js reads the key id
   * from it and asks its ClearKey licence server for the key).
   */
  public static SegmentProtection clearKeyProtection(SampleEncryptionScheme scheme, KeyId kid) {
    return new SegmentProtection(scheme.hlsMethod(),
        "data:text/plain;base64," + Base64.getEncoder().encodeToString(kid.toByteArray()), null, "org.w3.clearkey",
        "1");
  }

  /**
   * The W3C "Common PSSH box" (W3C Encrypted Media Extensions, Common SystemID and PSSH Box Format: SystemID
   * {@code 1077efec-c0b2-4d02-ace3-3c1e52e2fb4b}, a version 1 {@code pssh} listing the KIDs, no data). It lets a
   * browser fire the {@code encrypted} event with the key ids (ClearKey in hls.js and Shaka).
   */
  public static ByteSlice commonPssh(KeyId... kids) {
    kids = java.util.Arrays.stream(kids).distinct().toArray(KeyId[]::new);
    int size = 12 + 16 + 4 + 16 * kids.length + 4;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size);
    b.putInt(size).put("pssh".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0x0100_0000); // v1
    b.put(java.util.HexFormat.of().parseHex("1077efecc0b24d02ace33c1e52e2fb4b")); // SystemID
    b.putInt(kids.length); // KID_count
    for (KeyId kid : kids) {
      b.put(kid.toByteArray());
    }
    b.putInt(0); // DataSize
    return ByteSlice.wrap(b.array());
  }

  /**
   * The most recently issued keys (at most 64), in first-use order; to see every key (e.g. to write key files
   * or register them), use {@link Builder#onKeyIssued}.
   */
  public List<ContentKey> usedKeys() {
    synchronized (used) {
      return new ArrayList<>(used.values());
    }
  }

  /** Configures a {@link CencSampleEncryption}; each setting once, validated at once. Not thread-safe. */
  public static final class Builder {
    private final KeyProvider keys;
    private SampleEncryptionScheme scheme;
    private String channel;
    private KeyRotation rotation;
    private Function<KeyId, String> keyUri;
    private Boolean clearKeyFormatSet;
    private boolean clearKeyFormat;
    private Boolean identityKeyFormatSet;
    private boolean identityKeyFormat = true;
    private Consumer<ContentKey> onKeyIssued;
    private Function<KeyId, List<SegmentProtection>> extraProtections;
    private Function<KeyId, List<ByteSlice>> psshBoxes;
    private Boolean commonPsshSet;
    private boolean commonPssh;

    private Builder(KeyProvider keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** {@link SampleEncryptionScheme#CENC} (default) or {@link SampleEncryptionScheme#CBCS}. */
    public Builder scheme(SampleEncryptionScheme value) {
      requireUnset(scheme, "scheme");
      Objects.requireNonNull(value, "scheme");
      if (value == SampleEncryptionScheme.SAMPLE_AES) {
        throw new IllegalArgumentException("SAMPLE-AES is not an ISO Common Encryption scheme");
      }
      scheme = value;
      return this;
    }

    /** The channel (content id) keys are requested for; required. */
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

    /** The identity key URI for a KID (default {@code keys/<kid-hex>.key}, relative to the channel root). */
    public Builder keyUri(Function<KeyId, String> value) {
      requireUnset(keyUri, "keyUri");
      keyUri = Objects.requireNonNull(value, "keyUri");
      return this;
    }

    /** Whether to add the {@code org.w3.clearkey} line of {@link #clearKeyProtection} (default false). */
    public Builder clearKeyFormat(boolean value) {
      requireUnset(clearKeyFormatSet, "clearKeyFormat");
      clearKeyFormatSet = value;
      clearKeyFormat = value;
      return this;
    }

    /**
     * Whether to write the {@code KEYFORMAT="identity"} line (default true; Shaka Player fetches the key from its
     * URI). hls.js 1.7 prefers an identity key and, for {@code METHOD=SAMPLE-AES}, takes it for MPEG-TS
     * SAMPLE-AES and never starts EME: for {@code cbcs} in hls.js turn it off and keep
     * {@link #clearKeyFormat(boolean)} (or a DRM system's line).
     */
    public Builder identityKeyFormat(boolean value) {
      requireUnset(identityKeyFormatSet, "identityKeyFormat");
      identityKeyFormatSet = value;
      identityKeyFormat = value;
      return this;
    }

    /** More {@code EXT-X-KEY} lines per key (Widevine, PlayReady, FairPlay …); default none. */
    public Builder extraProtections(Function<KeyId, List<SegmentProtection>> value) {
      requireUnset(extraProtections, "extraProtections");
      extraProtections = Objects.requireNonNull(value, "extraProtections");
      return this;
    }

    /** More {@code EXT-X-KEY} lines, the same for every key. */
    public Builder extraProtections(List<SegmentProtection> value) {
      List<SegmentProtection> copy = List.copyOf(value);
      return extraProtections(kid -> copy);
    }

    /** Complete {@code pssh} boxes per key (ISO/IEC 23001-7 §8.1), for {@code moov} and rotated fragments. */
    public Builder psshBoxes(Function<KeyId, List<ByteSlice>> value) {
      requireUnset(psshBoxes, "psshBoxes");
      psshBoxes = Objects.requireNonNull(value, "psshBoxes");
      return this;
    }

    /** Complete {@code pssh} boxes, the same for every key. */
    public Builder psshBoxes(List<ByteSlice> value) {
      List<ByteSlice> copy = List.copyOf(value);
      return psshBoxes(kid -> copy);
    }

    /** Whether to carry the W3C Common PSSH box of {@link #commonPssh(KeyId...)} for each key (default false). */
    public Builder commonPssh(boolean value) {
      requireUnset(commonPsshSet, "commonPssh");
      commonPsshSet = value;
      commonPssh = value;
      return this;
    }

    /** Called once per key, the first time a segment is encrypted with it (see {@link Aes128SegmentEncryptor}). */
    public Builder onKeyIssued(Consumer<ContentKey> value) {
      if (onKeyIssued != null) {
        throw new IllegalStateException("onKeyIssued was already set");
      }
      onKeyIssued = Objects.requireNonNull(value, "onKeyIssued");
      return this;
    }

    /** Builds the encryption. */
    public CencSampleEncryption build() {
      if (channel == null) {
        throw new IllegalStateException("channel is required");
      }
      scheme = scheme != null ? scheme : SampleEncryptionScheme.CENC;
      rotation = rotation != null ? rotation : KeyRotation.none();
      keyUri = keyUri != null ? keyUri : kid -> "keys/" + kid.toHex() + ".key";
      extraProtections = extraProtections != null ? extraProtections : kid -> List.of();
      psshBoxes = psshBoxes != null ? psshBoxes : kid -> List.of();
      return new CencSampleEncryption(this);
    }

    private static void requireUnset(Object field, String name) {
      if (field != null) {
        throw new IllegalStateException(name + " was already set to " + field);
      }
    }
  }
}
