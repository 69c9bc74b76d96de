package io.iptv.segmenter.dvr;

/**
 * A catch-up request that cannot be answered: a malformed or impossible range (HTTP 400) or one that is no
 * longer retained (HTTP 404). Checked: the origin maps it to a status, it is never a server error.
 */
public final class CatchupRangeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** Malformed parameters, end before start, start in the future: 400. */
    BAD_RANGE(400),
    /** Unknown rendition or range entirely before the retained segments: 404. */
    NOT_AVAILABLE(404);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
      return status;
    }
  }

  private final Reason reason;

  /** An exception with a reason and a message for the response body. */
  public CatchupRangeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }
}
