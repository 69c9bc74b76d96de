package io.iptv.core.auth;

import io.iptv.core.internal.Preconditions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Function;

/**
 * Limits how many streams a subject watches at once: an {@link Authorizer} meant as a link of
 * {@link Authorizers#chain} after the authorizer that authenticates (which also tells who the subject is).
 *
 * <p>A stream is a session, by default the pair (client address, channel); it is active while requests for it
 * arrive within {@link Builder#idle} (players reload playlists every few seconds, so a stopped player frees its
 * slot after the idle time). A request of a new session beyond {@link Builder#maxStreams} is refused with 403.
 * Requests without a subject are allowed (authentication is the previous link's job). Decisions are valid for
 * this request only (max-age zero).
 *
 * <p>Thread-safe if the {@link SessionStore} is (the default in-memory one is).
 *
 * <pre>{@code
 * JwtAuthorizer jwt = JwtAuthorizer.builder().publicKey("k1", key).build();
 * Authorizer auth = Authorizers.chain(jwt,
 *     ConcurrentStreamLimiter.builder(jwt::subject).maxStreams(2).idle(Duration.ofSeconds(30)).build());
 * }</pre>
 */
public final class ConcurrentStreamLimiter implements Authorizer {
  private final Function<AccessRequest, String> subject;
  private final Function<AccessRequest, String> session;
  private final int maxStreams;
  private final Duration idle;
  private final SessionStore store;
  private final InstantSource clock;

  private ConcurrentStreamLimiter(Builder b) {
    this.subject = b.subject;
    this.session = b.session != null ? b.session : ConcurrentStreamLimiter::clientAndChannel;
    this.maxStreams = b.maxStreams;
    this.idle = b.idle != null ? b.idle : Duration.ofSeconds(30);
    this.store = b.store != null ? b.store : SessionStore.inMemory();
    this.clock = b.clock != null ? b.clock : InstantSource.system();
  }

  /** A builder; {@code subject} names the request's subject, or returns {@code null} if it has none. */
  public static Builder builder(Function<AccessRequest, String> subject) {
    return new Builder(subject);
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    String who = subject.apply(request);
    if (who == null) {
      return AuthDecision.allow(Duration.ZERO);
    }
    String id = session.apply(request);
    return store.tryAcquire(who, id, maxStreams, clock.instant(), idle)
        ? AuthDecision.allow(Duration.ZERO)
        : AuthDecision.forbidden("concurrent stream limit of " + maxStreams + " reached");
  }

  private static String clientAndChannel(AccessRequest request) {
    return (request.clientAddress() == null ? "?" : request.clientAddress().getHostAddress()) + "/"
        + request.channel();
  }

  @Override
  public String toString() {
    return "ConcurrentStreamLimiter[max=" + maxStreams + ", idle=" + idle + "]";
  }

  /** Configures a {@link ConcurrentStreamLimiter}; validated at once. Not thread-safe. */
  public static final class Builder {
    private final Function<AccessRequest, String> subject;
    private Function<AccessRequest, String> session;
    private int maxStreams;
    private Duration idle;
    private SessionStore store;
    private InstantSource clock;

    private Builder(Function<AccessRequest, String> subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
    }

    /** Streams a subject may watch at once (required, 1 to 1000). */
    public Builder maxStreams(int value) {
      Preconditions.requireState(maxStreams == 0, "maxStreams was already set to %s", maxStreams);
      Preconditions.requireArgument(value >= 1 && value <= 1000, "maxStreams must be in 1..1000: %s", value);
      maxStreams = value;
      return this;
    }

    /** How long a session stays active without requests (default 30 s; 1 s to 1 h). */
    public Builder idle(Duration value) {
      Preconditions.requireState(idle == null, "idle was already set to %s", idle);
      Preconditions.requireArgument(value.compareTo(Duration.ofSeconds(1)) >= 0
          && value.compareTo(Duration.ofHours(1)) <= 0, "idle must be in 1 s..1 h: %s", value);
      idle = value;
      return this;
    }

    /** What identifies one stream (default: client address and channel). */
    public Builder session(Function<AccessRequest, String> value) {
      Preconditions.requireState(session == null, "session was already set");
      session = Objects.requireNonNull(value, "session");
      return this;
    }

    /** Where sessions are kept (default {@link SessionStore#inMemory()}). */
    public Builder store(SessionStore value) {
      Preconditions.requireState(store == null, "store was already set");
      store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** The clock (default the system clock). */
    public Builder clock(InstantSource value) {
      Preconditions.requireState(clock == null, "clock was already set");
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds; {@link #maxStreams} is required. */
    public ConcurrentStreamLimiter build() {
      Preconditions.requireState(maxStreams > 0, "maxStreams is required");
      return new ConcurrentStreamLimiter(this);
    }
  }
}
