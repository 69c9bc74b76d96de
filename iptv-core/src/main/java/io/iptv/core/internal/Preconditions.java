package io.iptv.core.internal;

/**
 * Argument and state checks for programmer errors (not for media errors, which are
 * {@link io.iptv.core.MediaException}). Internal: not part of the public API.
 */
public final class Preconditions {
  private Preconditions() {}

  /** Throws {@link IllegalArgumentException} with the formatted message unless {@code condition}. */
  public static void requireArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  /** Throws {@link IllegalStateException} with the formatted message unless {@code condition}. */
  public static void requireState(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, args));
    }
  }
}
