package io.iptv.drm;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentProtection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a sample encryptor signals for a set of {@link DrmSystem}s: the HLS {@code EXT-X-KEY} lines
 * ({@link SegmentProtection}s, RFC 8216 §4.3.2.4) and the {@code pssh} boxes (ISO/IEC 23001-7 §8.1) of one
 * key. It is what {@code SegmentSampleEncryptor#protections()} and {@code #psshBoxes()} return.
 *
 * <p>Per system, for METHOD = the scheme's {@link SampleEncryptionScheme#hlsMethod()}, KEYFORMATVERSIONS="1":
 * <ul>
 *   <li>{@link DrmSystem#CLEARKEY}: {@code KEYFORMAT="identity"} with the key URI (Shaka Player fetches the
 *       raw key from it; the library's {@link KeyDeliveryHandler} serves it), and for the ISO schemes also
 *       {@code KEYFORMAT="org.w3.clearkey"} with {@code data:text/plain;base64,<KID>} (hls.js asks the
 *       configured licence server, e.g. {@link ClearKeyLicenseHandler}); pssh: the common v1 box.</li>
 *   <li>{@link DrmSystem#WIDEVINE}: {@code data:text/plain;base64,<Widevine pssh box>}; pssh: that box.</li>
 *   <li>{@link DrmSystem#PLAYREADY}: {@code data:text/plain;charset=UTF-16;base64,<PlayReady Object>};
 *       pssh: the box around it.</li>
 *   <li>{@link DrmSystem#FAIRPLAY}: {@code skd://<KID hex>}; no pssh.</li>
 * </ul>
 * Widevine and PlayReady need an ISO scheme (MPEG-TS SAMPLE-AES is FairPlay / identity only), FairPlay needs
 * {@code cbcs} or SAMPLE-AES; other combinations are refused when asked.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * DrmSignalling drm = DrmSignalling.builder().systems(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE)).build();
 * List<SegmentProtection> lines = drm.protections(SampleEncryptionScheme.CENC, kid, "keys/" + kid.toHex() + ".key", null);
 * List<ByteSlice> boxes = drm.psshBoxes(SampleEncryptionScheme.CENC, kid);
 * }</pre>
 */
public final class DrmSignalling {
  private static final String VERSIONS = "1";
  /** hls.js's KEYFORMAT for W3C ClearKey with a licence server. */
  static final String W3C_CLEARKEY_KEYFORMAT = "org.w3.clearkey";

  private final List<DrmSystem> systems;
  private final String playReadyLicenseUrl;
  private final byte[] widevineContentId;

  private DrmSignalling(Builder b) {
    this.systems = List.copyOf(b.systems);
    this.playReadyLicenseUrl = b.playReadyLicenseUrl;
    this.widevineContentId = b.widevineContentId;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The systems signalled, in order. */
  public List<DrmSystem> systems() {
    return systems;
  }

  /**
   * The {@code EXT-X-KEY}s of one key, one or two per system in {@link #systems()} order.
   *
   * @param scheme the encryption scheme
   * @param kid the key id
   * @param keyUri the identity key URI (channel-relative like {@code keys/<kid>.key}, or absolute); required
   *     with {@link DrmSystem#CLEARKEY}, ignored otherwise
   * @param constantIv the 16-byte constant IV (SAMPLE-AES, cbcs) to write as IV, or {@code null}
   * @throws IllegalArgumentException if a system cannot signal {@code scheme}
   */
  public List<SegmentProtection> protections(SampleEncryptionScheme scheme, KeyId kid, String keyUri,
      byte[] constantIv) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(kid, "kid");
    String iv = constantIv == null ? null : "0x" + HexFormat.of().formatHex(requireIv(constantIv));
    String method = scheme.hlsMethod();
    List<SegmentProtection> out = new ArrayList<>();
    for (DrmSystem system : systems) {
      requireSupported(system, scheme);
      switch (system) {
        case CLEARKEY:
          Objects.requireNonNull(keyUri, "keyUri (ClearKey identity needs the key URI)");
          out.add(new SegmentProtection(method, keyUri, iv, system.hlsKeyFormat(), VERSIONS));
          if (scheme.fourcc() != null) {
            out.add(new SegmentProtection(method, "data:text/plain;base64," + base64(kid.toByteArray()), iv,
                W3C_CLEARKEY_KEYFORMAT, VERSIONS));
          }
          break;
        case WIDEVINE:
          out.add(new SegmentProtection(method, "data:text/plain;base64," + base64(widevine(scheme, kid).toByteArray()),
              iv, system.hlsKeyFormat(), VERSIONS));
          break;
        case PLAYREADY:
          out.add(new SegmentProtection(method, "data:text/plain;charset=UTF-16;base64,"
              + base64(PlayReadyHeader.playReadyObject(kid, scheme, null, playReadyLicenseUrl)), iv,
              system.hlsKeyFormat(), VERSIONS));
          break;
        case FAIRPLAY:
          out.add(new SegmentProtection(method, "skd://" + kid.toHex(), iv, system.hlsKeyFormat(), VERSIONS));
          break;
        default:
          throw new IllegalStateException("unhandled " + system);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The complete {@code pssh} boxes of one key for the init segment, in {@link #systems()} order (FairPlay has
   * none); empty for {@link SampleEncryptionScheme#SAMPLE_AES}, which is MPEG-TS.
   *
   * @throws IllegalArgumentException if a system cannot signal {@code scheme}
   */
  public List<ByteSlice> psshBoxes(SampleEncryptionScheme scheme, KeyId kid) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(kid, "kid");
    List<ByteSlice> out = new ArrayList<>();
    for (DrmSystem system : systems) {
      requireSupported(system, scheme);
      if (scheme.fourcc() == null) {
        continue;
      }
      switch (system) {
        case CLEARKEY -> out.add(PsshBox.common(List.of(kid)).toByteSlice());
        case WIDEVINE -> out.add(widevine(scheme, kid).toByteSlice());
        case PLAYREADY -> out.add(PlayReadyHeader.box(kid, scheme, null, playReadyLicenseUrl).toByteSlice());
        case FAIRPLAY -> { } // FairPlay keys come from the skd:// URI
        default -> throw new IllegalStateException("unhandled " + system);
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code system} can signal {@code scheme} (see the class comment). */
  public static boolean supports(DrmSystem system, SampleEncryptionScheme scheme) {
    return switch (system) {
      case CLEARKEY -> true;
      case WIDEVINE, PLAYREADY -> scheme.fourcc() != null;
      case FAIRPLAY -> scheme != SampleEncryptionScheme.CENC;
    };
  }

  private PsshBox widevine(SampleEncryptionScheme scheme, KeyId kid) {
    return WidevinePssh.box(List.of(kid), widevineContentId, scheme);
  }

  private static void requireSupported(DrmSystem system, SampleEncryptionScheme scheme) {
    if (!supports(system, scheme)) {
      throw new IllegalArgumentException(system + " cannot signal " + scheme + " encryption");
    }
  }

  private static byte[] requireIv(byte[] iv) {
    if (iv.length != 16) {
      throw new IllegalArgumentException("an IV has 16 bytes, not " + iv.length);
    }
    return iv;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "DrmSignalling" + systems;
  }

  /** Configures a {@link DrmSignalling}; each setting once. Not thread-safe. */
  public static final class Builder {
    private Set<DrmSystem> systems;
    private String playReadyLicenseUrl;
    private byte[] widevineContentId;

    private Builder() {}

    /** The systems to signal (at least one, no duplicates), in the order the lines are written. */
    public Builder systems(List<DrmSystem> value) {
      if (systems != null) {
        throw new IllegalStateException("systems were already set to " + systems);
      }
      Set<DrmSystem> set = new LinkedHashSet<>(value);
      if (set.isEmpty() || set.size() != value.size()) {
        throw new IllegalArgumentException("systems must be non-empty without duplicates: " + value);
      }
      systems = set;
      return this;
    }

    /** The PlayReady {@code LA_URL} written into the header (default none). */
    public Builder playReadyLicenseUrl(String value) {
      if (playReadyLicenseUrl != null) {
        throw new IllegalStateException("playReadyLicenseUrl was already set");
      }
      playReadyLicenseUrl = Objects.requireNonNull(value, "playReadyLicenseUrl");
      return this;
    }

    /** The Widevine {@code content_id} (default none); e.g. the channel name in UTF-8. */
    public Builder widevineContentId(String value) {
      if (widevineContentId != null) {
        throw new IllegalStateException("widevineContentId was already set");
      }
      widevineContentId = Objects.requireNonNull(value, "widevineContentId").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Builds the signalling. */
    public DrmSignalling build() {
      if (systems == null) {
        throw new IllegalStateException("systems are required");
      }
      return new DrmSignalling(this);
    }
  }
}
