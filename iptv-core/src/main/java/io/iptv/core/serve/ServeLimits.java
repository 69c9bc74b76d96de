package io.iptv.core.serve;

import io.iptv.core.internal.Preconditions;

/**
 * Size limits on requests: the request line (answered with 414), all header fields together (431) and the
 * body (413). Adapters also pass the limits to their server so that oversized input is never buffered without
 * bound.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * ServeLimits limits = ServeLimits.builder().maxHeaderBytes(16 * 1024).build();
 * }</pre>
 *
 * @param maxRequestLineBytes longest request line (method, target, version)
 * @param maxHeaderBytes largest total of header field lines
 * @param maxBodyBytes largest request body (only licence requests have one)
 */
public record ServeLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxBodyBytes) {
  private static final ServeLimits DEFAULTS = new ServeLimits(8 * 1024, 16 * 1024, 64 * 1024);

  /** Checks that every limit is positive. */
  public ServeLimits {
    Preconditions.requireArgument(maxRequestLineBytes >= 64, "maxRequestLineBytes too small: %s",
        maxRequestLineBytes);
    Preconditions.requireArgument(maxHeaderBytes >= 256, "maxHeaderBytes too small: %s", maxHeaderBytes);
    Preconditions.requireArgument(maxBodyBytes >= 0, "maxBodyBytes negative: %s", maxBodyBytes);
  }

  /** 8 KiB request line, 16 KiB of headers, 64 KiB of body. */
  public static ServeLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ServeLimits}. Not thread-safe. */
  public static final class Builder {
    private Integer requestLine;
    private Integer header;
    private Integer body;

    private Builder() {}

    /** Longest request line in bytes (default 8 KiB). */
    public Builder maxRequestLineBytes(int value) {
      Preconditions.requireState(requestLine == null, "maxRequestLineBytes was already set to %s", requestLine);
      requestLine = value;
      return this;
    }

    /** Largest total of header lines in bytes (default 16 KiB). */
    public Builder maxHeaderBytes(int value) {
      Preconditions.requireState(header == null, "maxHeaderBytes was already set to %s", header);
      header = value;
      return this;
    }

    /** Largest request body in bytes (default 64 KiB). */
    public Builder maxBodyBytes(int value) {
      Preconditions.requireState(body == null, "maxBodyBytes was already set to %s", body);
      body = value;
      return this;
    }

    /** Builds the limits. */
    public ServeLimits build() {
      return new ServeLimits(requestLine != null ? requestLine : DEFAULTS.maxRequestLineBytes,
          header != null ? header : DEFAULTS.maxHeaderBytes, body != null ? body : DEFAULTS.maxBodyBytes);
    }
  }
}
