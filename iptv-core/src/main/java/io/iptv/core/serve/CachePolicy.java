package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each kind of resource stays fresh: used both for the {@code Cache-Control} header an origin sends
 * (RFC 9111 §5.2.2) and for the expiry of the in-process segment cache, so the two always agree.
 *
 * <ul>
 *   <li>Segments and init segments: long and {@code immutable} (their names are never reused).
 *   <li>Live playlists and manifests: a fraction of the target duration (default one half, as RFC 8216 §6.2.2
 *       lets clients reload no sooner than that), clamped to {@code [livePlaylistMinAge, livePlaylistMaxAge]};
 *       without a target duration, {@code livePlaylistMinAge}.
 *   <li>The multivariant playlist ({@code master.m3u8}): {@code multivariantMaxAge}, live or not (renditions
 *       are rarely added, but a day is too long to wait for them).
 *   <li>VOD playlists and manifests: {@code vodIndexMaxAge}.
 *   <li>Keys and licences: {@code no-store}, never cached anywhere.
 *   <li>Not found (404): {@code notFoundMaxAge} (short negative caching).
 * </ul>
 * A resource's explicit {@link ServedResource#maxAge()} overrides all but the key/licence rule.
 * {@code immutable} (RFC 8246) is sent for resources marked {@link ServedResource#immutable()}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * CachePolicy policy = CachePolicy.builder().segmentMaxAge(Duration.ofHours(1)).build();
 * policy.cacheControl(resource); // "public, max-age=3600, immutable"
 * }</pre>
 */
public final class CachePolicy {
  private static final CachePolicy DEFAULTS = builder().build();

  private final Duration segmentMaxAge;
  private final Duration vodIndexMaxAge;
  private final Duration multivariantMaxAge;
  private final Duration livePlaylistMinAge;
  private final Duration livePlaylistMaxAge;
  private final double liveTargetFraction;
  private final Duration notFoundMaxAge;
  /** Header values by {@code seconds * 2 + immutable}, built on first use: no string building per request. */
  private final Map<Long, String> headerValues = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_HEADER_VALUES = 1024;

  private CachePolicy(Builder b) {
    this.segmentMaxAge = b.segmentMaxAge != null ? b.segmentMaxAge : Duration.ofDays(365);
    this.vodIndexMaxAge = b.vodIndexMaxAge != null ? b.vodIndexMaxAge : Duration.ofDays(1);
    this.multivariantMaxAge = b.multivariantMaxAge != null ? b.multivariantMaxAge : Duration.ofMinutes(5);
    this.livePlaylistMinAge = b.livePlaylistMinAge != null ? b.livePlaylistMinAge : Duration.ofSeconds(1);
    this.livePlaylistMaxAge = b.livePlaylistMaxAge != null ? b.livePlaylistMaxAge : Duration.ofSeconds(10);
    this.liveTargetFraction = b.liveTargetFraction != null ? b.liveTargetFraction : 0.5;
    this.notFoundMaxAge = b.notFoundMaxAge != null ? b.notFoundMaxAge : Duration.ofSeconds(2);
    Preconditions.requireArgument(livePlaylistMinAge.compareTo(livePlaylistMaxAge) <= 0,
        "livePlaylistMinAge %s exceeds livePlaylistMaxAge %s", livePlaylistMinAge, livePlaylistMaxAge);
  }

  /** The default policy. */
  public static CachePolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a resource of this kind may be stored by any cache at all. */
  public static boolean isStorable(ResourceKind kind) {
    return kind != ResourceKind.KEY && kind != ResourceKind.LICENSE;
  }

  /** How long {@code resource} stays fresh; {@link Duration#ZERO} if it must not be stored. */
  public Duration freshness(ServedResource resource) {
    ResourceKind kind = resource.key().kind();
    if (!isStorable(kind)) {
      return Duration.ZERO;
    }
    if (resource.maxAge() != null) {
      return resource.maxAge();
    }
    if (!kind.isIndex()) {
      return segmentMaxAge;
    }
    if (kind == ResourceKind.MULTIVARIANT) {
      return multivariantMaxAge;
    }
    if (!resource.live()) {
      return vodIndexMaxAge;
    }
    if (resource.targetDuration() == null) {
      return livePlaylistMinAge;
    }
    Duration age = Duration.ofNanos((long) (resource.targetDuration().toNanos() * liveTargetFraction));
    return age.compareTo(livePlaylistMinAge) < 0 ? livePlaylistMinAge
        : age.compareTo(livePlaylistMaxAge) > 0 ? livePlaylistMaxAge : age;
  }

  /** The freshness lifetime of a 404 answer. */
  public Duration notFoundMaxAge() {
    return notFoundMaxAge;
  }

  /** The {@code Cache-Control} value for {@code resource}. */
  public String cacheControl(ServedResource resource) {
    if (!isStorable(resource.key().kind())) {
      return "no-store";
    }
    Duration fresh = freshness(resource);
    if (fresh.isZero()) {
      return "no-cache";
    }
    long seconds = Math.max(1, fresh.toSeconds());
    boolean immutable = resource.immutable();
    Long slot = seconds * 2 + (immutable ? 1 : 0);
    String value = headerValues.get(slot);
    if (value == null) {
      value = cacheControlValue(seconds, immutable);
      if (headerValues.size() < MAX_CACHED_HEADER_VALUES) { // upstream lifetimes vary: stay bounded
        headerValues.putIfAbsent(slot, value);
      }
    }
    return value;
  }

  private static String cacheControlValue(long seconds, boolean immutable) {
    return "public, max-age=" + seconds + (immutable ? ", immutable" : "");
  }

  /** The {@code Cache-Control} value for a 404 answer. */
  public String notFoundCacheControl() {
    return notFoundMaxAge.isZero() ? "no-store" : "public, max-age=" + Math.max(1, notFoundMaxAge.toSeconds());
  }

  /** Builds a {@link CachePolicy}; every setter validates at once and may be called once. Not thread-safe. */
  public static final class Builder {
    private Duration segmentMaxAge;
    private Duration vodIndexMaxAge;
    private Duration multivariantMaxAge;
    private Duration livePlaylistMinAge;
    private Duration livePlaylistMaxAge;
    private Double liveTargetFraction;
    private Duration notFoundMaxAge;

    private Builder() {}

    /** Freshness of segments and init segments (default 365 days). */
    public Builder segmentMaxAge(Duration value) {
      Preconditions.requireState(segmentMaxAge == null, "segmentMaxAge was already set to %s", segmentMaxAge);
      segmentMaxAge = positive(value, "segmentMaxAge");
      return this;
    }

    /** Freshness of VOD playlists and static manifests (default 1 day). */
    public Builder vodIndexMaxAge(Duration value) {
      Preconditions.requireState(vodIndexMaxAge == null, "vodIndexMaxAge was already set to %s", vodIndexMaxAge);
      vodIndexMaxAge = positive(value, "vodIndexMaxAge");
      return this;
    }

    /** Freshness of the multivariant playlist {@code master.m3u8}, live or VOD (default 5 minutes). */
    public Builder multivariantMaxAge(Duration value) {
      Preconditions.requireState(multivariantMaxAge == null, "multivariantMaxAge was already set to %s",
          multivariantMaxAge);
      multivariantMaxAge = positive(value, "multivariantMaxAge");
      return this;
    }

    /** Lower bound of live playlist freshness, also used without a target duration (default 1 s). */
    public Builder livePlaylistMinAge(Duration value) {
      Preconditions.requireState(livePlaylistMinAge == null, "livePlaylistMinAge was already set to %s",
          livePlaylistMinAge);
      livePlaylistMinAge = positive(value, "livePlaylistMinAge");
      return this;
    }

    /** Upper bound of live playlist freshness (default 10 s). */
    public Builder livePlaylistMaxAge(Duration value) {
      Preconditions.requireState(livePlaylistMaxAge == null, "livePlaylistMaxAge was already set to %s",
          livePlaylistMaxAge);
      livePlaylistMaxAge = positive(value, "livePlaylistMaxAge");
      return this;
    }

    /** Live playlist freshness as a fraction of the target duration, in (0, 1] (default 0.5). */
    public Builder liveTargetFraction(double value) {
      Preconditions.requireState(liveTargetFraction == null, "liveTargetFraction was already set to %s",
          liveTargetFraction);
      Preconditions.requireArgument(value > 0 && value <= 1, "liveTargetFraction must be in (0, 1]: %s", value);
      liveTargetFraction = value;
      return this;
    }

    /** Freshness of 404 answers, zero to disable negative caching (default 2 s). */
    public Builder notFoundMaxAge(Duration value) {
      Preconditions.requireState(notFoundMaxAge == null, "notFoundMaxAge was already set to %s", notFoundMaxAge);
      Objects.requireNonNull(value, "notFoundMaxAge");
      Preconditions.requireArgument(!value.isNegative(), "notFoundMaxAge must not be negative: %s", value);
      notFoundMaxAge = value;
      return this;
    }

    /** Builds the policy. */
    public CachePolicy build() {
      return new CachePolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      Preconditions.requireArgument(value.compareTo(Duration.ZERO) > 0, "%s must be positive: %s", name, value);
      return value;
    }
  }
}
