package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Multivariant (master) Playlist (RFC 8216 §4.3.4; "Multivariant" per draft-pantos-hls-rfc8216bis):
 * variant streams ({@code EXT-X-STREAM-INF}), alternative renditions ({@code EXT-X-MEDIA}) and I-frame
 * streams ({@code EXT-X-I-FRAME-STREAM-INF}, §4.3.4.3) and session keys ({@code EXT-X-SESSION-KEY}, §4.3.4.5,
 * which let a player set up its DRM before loading a Media Playlist). Immutable; build with {@link #builder()}.
 *
 * <p>{@link Builder#build()} checks that every AUDIO group a variant names exists among the renditions
 * (RFC 8216 §4.3.4.2) and that each group has at most one DEFAULT=YES rendition (§4.3.4.1.1).
 *
 * <pre>{@code
 * MultivariantPlaylist master = MultivariantPlaylist.builder()
 *     .independentSegments(true)
 *     .addRendition(new MultivariantPlaylist.Rendition(MultivariantPlaylist.RenditionType.AUDIO, "aac",
 *         "English", "en", true, true, "audio/en.m3u8"))
 *     .addVariant(MultivariantPlaylist.Variant.builder("video/720p.m3u8", 2_500_000)
 *         .codecs("avc1.64001f,mp4a.40.2").resolution(1280, 720).frameRate(25).audioGroup("aac").build())
 *     .build();
 * }</pre>
 *
 * @param independentSegments {@code EXT-X-INDEPENDENT-SEGMENTS}
 * @param renditions {@code EXT-X-MEDIA} tags in order
 * @param variants {@code EXT-X-STREAM-INF} entries in order
 * @param iFrameStreams {@code EXT-X-I-FRAME-STREAM-INF} entries in order
 * @param sessionKeys {@code EXT-X-SESSION-KEY} entries in order (none with METHOD=NONE, no two alike)
 */
public record MultivariantPlaylist(boolean independentSegments, List<Rendition> renditions,
    List<Variant> variants, List<IFrameStream> iFrameStreams, List<HlsKey> sessionKeys) implements HlsPlaylist {

  /** Copies and checks the session keys (RFC 8216 §4.3.4.5: no two with the same attributes). */
  public MultivariantPlaylist {
    renditions = List.copyOf(renditions);
    variants = List.copyOf(variants);
    iFrameStreams = List.copyOf(iFrameStreams);
    sessionKeys = List.copyOf(sessionKeys);
    Preconditions.requireArgument(new HashSet<>(sessionKeys).size() == sessionKeys.size(),
        "two EXT-X-SESSION-KEY tags with the same attributes");
  }

  /** A playlist without session keys (the constructor before they were added). */
  public MultivariantPlaylist(boolean independentSegments, List<Rendition> renditions, List<Variant> variants,
      List<IFrameStream> iFrameStreams) {
    this(independentSegments, renditions, variants, iFrameStreams, List.of());
  }

  /** This playlist with {@code keys} as its {@code EXT-X-SESSION-KEY}s (replacing any). */
  public MultivariantPlaylist withSessionKeys(List<HlsKey> keys) {
    return new MultivariantPlaylist(independentSegments, renditions, variants, iFrameStreams, keys);
  }

  /** A playlist without I-frame streams (the constructor before they were added). */
  public MultivariantPlaylist(boolean independentSegments, List<Rendition> renditions, List<Variant> variants) {
    this(independentSegments, renditions, variants, List.of());
  }

  /**
   * An {@code EXT-X-I-FRAME-STREAM-INF} (RFC 8216 §4.3.4.3): an I-frame-only Media Playlist
   * ({@code EXT-X-I-FRAMES-ONLY}) for trick play.
   *
   * @param uri URI of the I-frame playlist
   * @param bandwidth BANDWIDTH, bits/s (peak rate of the I-frames)
   * @param averageBandwidth AVERAGE-BANDWIDTH, or 0 for none
   * @param codecs CODECS (the video codec only), or null
   * @param width RESOLUTION width, or 0 for none
   * @param height RESOLUTION height, or 0 for none
   */
  public record IFrameStream(String uri, long bandwidth, long averageBandwidth, String codecs, int width,
      int height) {
    /** Validates. */
    public IFrameStream {
      Objects.requireNonNull(uri, "uri");
      Preconditions.requireArgument(bandwidth > 0, "BANDWIDTH %d must be positive", bandwidth);
      Preconditions.requireArgument(averageBandwidth >= 0, "AVERAGE-BANDWIDTH %d < 0", averageBandwidth);
      Preconditions.requireArgument((width == 0) == (height == 0) && width >= 0 && height >= 0,
          "invalid RESOLUTION %dx%d", width, height);
    }
  }

  /** Starts a playlist. */
  public static Builder builder() {
    return new Builder();
  }

  /** EXT-X-MEDIA TYPE values. */
  public enum RenditionType {
    /** TYPE=AUDIO. */
    AUDIO,
    /** TYPE=VIDEO. */
    VIDEO,
    /** TYPE=SUBTITLES. */
    SUBTITLES,
    /** TYPE=CLOSED-CAPTIONS. */
    CLOSED_CAPTIONS;

    /** The attribute value. */
    public String attributeValue() {
      return this == CLOSED_CAPTIONS ? "CLOSED-CAPTIONS" : name();
    }
  }

  /**
   * An {@code EXT-X-MEDIA} rendition (RFC 8216 §4.3.4.1).
   *
   * @param type TYPE
   * @param groupId GROUP-ID
   * @param name NAME
   * @param language LANGUAGE (RFC 5646), or null
   * @param isDefault DEFAULT=YES
   * @param autoselect AUTOSELECT=YES
   * @param uri URI, or null (rendition is in the variant's stream)
   */
  public record Rendition(RenditionType type, String groupId, String name, String language, boolean isDefault,
      boolean autoselect, String uri) {
    /** Validates. */
    public Rendition {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(name, "name");
      Preconditions.requireArgument(!isDefault || autoselect, "DEFAULT=YES requires AUTOSELECT=YES (§4.3.4.1)");
      Preconditions.requireArgument(type != RenditionType.CLOSED_CAPTIONS || uri == null,
          "CLOSED-CAPTIONS renditions have no URI");
    }
  }

  /**
   * An {@code EXT-X-STREAM-INF} variant (RFC 8216 §4.3.4.2).
   *
   * @param uri the Media Playlist URI
   * @param bandwidth BANDWIDTH, bits/s (peak, see {@link BandwidthCalculator})
   * @param averageBandwidth AVERAGE-BANDWIDTH, or 0 for none
   * @param codecs CODECS (RFC 6381 list), or null
   * @param width RESOLUTION width, or 0 for none
   * @param height RESOLUTION height, or 0 for none
   * @param frameRate FRAME-RATE, or 0 for none
   * @param audioGroup AUDIO group id, or null
   */
  public record Variant(String uri, long bandwidth, long averageBandwidth, String codecs, int width, int height,
      double frameRate, String audioGroup) {
    /** Validates. */
    public Variant {
      Objects.requireNonNull(uri, "uri");
      Preconditions.requireArgument(bandwidth > 0, "BANDWIDTH %d must be positive", bandwidth);
      Preconditions.requireArgument(averageBandwidth >= 0, "AVERAGE-BANDWIDTH %d < 0", averageBandwidth);
      Preconditions.requireArgument((width == 0) == (height == 0) && width >= 0 && height >= 0,
          "invalid RESOLUTION %dx%d", width, height);
      Preconditions.requireArgument(frameRate >= 0 && Double.isFinite(frameRate), "invalid FRAME-RATE");
    }

    /** Starts a variant. */
    public static VariantBuilder builder(String uri, long bandwidth) {
      return new VariantBuilder(uri, bandwidth);
    }
  }

  /** Builds {@link Variant}s. Not thread-safe. */
  public static final class VariantBuilder {
    private final String uri;
    private final long bandwidth;
    private long averageBandwidth;
    private String codecs;
    private int width;
    private int height;
    private double frameRate;
    private String audioGroup;

    private VariantBuilder(String uri, long bandwidth) {
      this.uri = uri;
      this.bandwidth = bandwidth;
    }

    /** AVERAGE-BANDWIDTH. */
    public VariantBuilder averageBandwidth(long value) {
      this.averageBandwidth = value;
      return this;
    }

    /** CODECS. */
    public VariantBuilder codecs(String value) {
      this.codecs = value;
      return this;
    }

    /** RESOLUTION. */
    public VariantBuilder resolution(int w, int h) {
      this.width = w;
      this.height = h;
      return this;
    }

    /** FRAME-RATE. */
    public VariantBuilder frameRate(double value) {
      this.frameRate = value;
      return this;
    }

    /** AUDIO group id. */
    public VariantBuilder audioGroup(String value) {
      this.audioGroup = value;
      return this;
    }

    /** Builds the variant. */
    public Variant build() {
      return new Variant(uri, bandwidth, averageBandwidth, codecs, width, height, frameRate, audioGroup);
    }
  }

  /** Builds {@link MultivariantPlaylist}s. Not thread-safe. */
  public static final class Builder {
    private boolean independentSegments;
    private final List<Rendition> renditions = new ArrayList<>();
    private final List<Variant> variants = new ArrayList<>();
    private final List<IFrameStream> iFrameStreams = new ArrayList<>();
    private final List<HlsKey> sessionKeys = new ArrayList<>();

    private Builder() {}

    /** Adds an {@code EXT-X-SESSION-KEY} (RFC 8216 §4.3.4.5). */
    public Builder addSessionKey(HlsKey value) {
      sessionKeys.add(Objects.requireNonNull(value, "sessionKey"));
      return this;
    }

    /** Adds an {@code EXT-X-I-FRAME-STREAM-INF}. */
    public Builder addIFrameStream(IFrameStream value) {
      iFrameStreams.add(Objects.requireNonNull(value, "iFrameStream"));
      return this;
    }

    /** {@code EXT-X-INDEPENDENT-SEGMENTS}. */
    public Builder independentSegments(boolean value) {
      this.independentSegments = value;
      return this;
    }

    /** Adds an {@code EXT-X-MEDIA}. */
    public Builder addRendition(Rendition value) {
      renditions.add(Objects.requireNonNull(value, "rendition"));
      return this;
    }

    /** Adds an {@code EXT-X-STREAM-INF}. */
    public Builder addVariant(Variant value) {
      variants.add(Objects.requireNonNull(value, "variant"));
      return this;
    }

    /**
     * Builds the playlist.
     *
     * @throws IllegalArgumentException if a variant names an unknown AUDIO group or a group has two defaults
     */
    public MultivariantPlaylist build() {
      Set<String> audioGroups = new HashSet<>();
      Set<String> defaults = new HashSet<>();
      for (Rendition r : renditions) {
        if (r.type() == RenditionType.AUDIO) {
          audioGroups.add(r.groupId());
        }
        if (r.isDefault()) {
          Preconditions.requireArgument(defaults.add(r.type() + "/" + r.groupId()),
              "group %s has more than one DEFAULT=YES rendition", r.groupId());
        }
      }
      for (Variant v : variants) {
        Preconditions.requireArgument(v.audioGroup() == null || audioGroups.contains(v.audioGroup()),
            "variant %s names unknown AUDIO group %s", v.uri(), v.audioGroup());
      }
      return new MultivariantPlaylist(independentSegments, renditions, variants, iFrameStreams, sessionKeys);
    }
  }
}
