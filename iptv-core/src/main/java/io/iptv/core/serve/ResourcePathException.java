package io.iptv.core.serve;

/**
 * A request path that is not a resource of the fixed URL layout. {@link #reason()} tells an HTTP layer whether
 * to answer 400 (malformed: traversal, encoded separators, bad characters) or 404 (well formed, but no such
 * resource kind).
 *
 * <p>Immutable.
 *
 * <pre>{@code
 * try { key = ResourceKey.parse(path); }
 * catch (ResourcePathException e) { status = e.reason() == Reason.MALFORMED ? 400 : 404; }
 * }</pre>
 */
public final class ResourcePathException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a path was rejected. */
  public enum Reason {
    /** The path is not acceptable at all (traversal, percent-encoding, empty or hidden segments, too long). */
    MALFORMED,
    /** The path is well formed but names no resource kind of the layout. */
    UNKNOWN_RESOURCE
  }

  private final Reason reason;

  ResourcePathException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the path was rejected. */
  public Reason reason() {
    return reason;
  }
}
