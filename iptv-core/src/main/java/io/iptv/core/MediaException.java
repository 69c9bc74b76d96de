package io.iptv.core;

import java.io.IOException;
import java.util.Objects;

/**
 * The one checked exception of the library: media that cannot be read, written or served.
 *
 * <p>Damaged broadcast input (lost packets, bit errors, odd timestamps) is <em>normal input</em> and is
 * reported through statistics, not through this exception. A {@code MediaException} means the operation as
 * a whole cannot go on: the input is not MPEG-TS at all, the selected program is scrambled, a configured
 * limit was exceeded, and so on. The {@link Kind} tells callers what happened without parsing messages.
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * <pre>{@code
 * try {
 *   demuxer.feed(chunk, 0, chunk.length);
 * } catch (MediaException e) {
 *   if (e.kind() == MediaException.Kind.SCRAMBLED) { alertOperator(e.getMessage()); }
 * }
 * }</pre>
 */
public final class MediaException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, independent of the message text. */
  public enum Kind {
    /** The input violates its container or codec syntax beyond what can be recovered. */
    MALFORMED,
    /** The input uses a feature this library does not implement. */
    UNSUPPORTED,
    /** The content is scrambled (conditional access) and cannot be read in the clear. */
    SCRAMBLED,
    /** The input ended before a required structure was complete. */
    TRUNCATED,
    /** A configured limit (bytes, count, duration) was exceeded. */
    LIMIT_EXCEEDED,
    /** A content key could not be obtained. */
    KEY_UNAVAILABLE,
    /** An I/O error of the underlying source or sink. */
    IO
  }

  private final Kind kind;

  private MediaException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Returns what went wrong. */
  public Kind kind() {
    return kind;
  }

  /** Creates an exception of the given kind. */
  public static MediaException of(Kind kind, String message) {
    return new MediaException(kind, message, null);
  }

  /** Creates an exception of the given kind with a cause. */
  public static MediaException of(Kind kind, String message, Throwable cause) {
    return new MediaException(kind, message, cause);
  }

  /** The input is not valid for its format. */
  public static MediaException malformed(String message) {
    return new MediaException(Kind.MALFORMED, message, null);
  }

  /** The input uses a feature this library does not implement. */
  public static MediaException unsupported(String message) {
    return new MediaException(Kind.UNSUPPORTED, message, null);
  }

  /** The content is scrambled and cannot be read in the clear. */
  public static MediaException scrambled(String message) {
    return new MediaException(Kind.SCRAMBLED, message, null);
  }

  /** The input ended too early. */
  public static MediaException truncated(String message) {
    return new MediaException(Kind.TRUNCATED, message, null);
  }

  /** A configured limit was exceeded. */
  public static MediaException limitExceeded(String message) {
    return new MediaException(Kind.LIMIT_EXCEEDED, message, null);
  }

  @Override
  public String toString() {
    return "MediaException(" + kind + "): " + getMessage();
  }
}
