package io.iptv.core.serve;

/**
 * The outcome of reading a {@code Range} header against a representation length (RFC 9110 §14.2). Internal.
 *
 * <p>Only single byte ranges are served as 206. A header in another unit, or with several ranges, is ignored
 * (the full 200 answer is allowed by RFC 9110 §14.2). A malformed or unsatisfiable {@code bytes=} range is
 * answered with 416, as nginx does.
 */
record ByteRange(Outcome outcome, long first, long last) {
  enum Outcome { IGNORE, PARTIAL, UNSATISFIABLE }

  private static final ByteRange IGNORE = new ByteRange(Outcome.IGNORE, 0, -1);
  private static final ByteRange UNSATISFIABLE = new ByteRange(Outcome.UNSATISFIABLE, 0, -1);
  private static final int MAX_DIGITS = 18;

  long length() {
    return last - first + 1;
  }

  static ByteRange parse(String header, long length) {
    if (header == null) {
      return IGNORE;
    }
    String value = header.trim();
    if (value.length() < 6 || !value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return IGNORE; // other range unit
    }
    String spec = value.substring(6).trim();
    if (spec.indexOf(',') >= 0) {
      return IGNORE; // multiple ranges: answer with the full representation
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return UNSATISFIABLE;
    }
    String from = spec.substring(0, dash).trim();
    String to = spec.substring(dash + 1).trim();
    if (from.isEmpty()) {
      // suffix-range = "-" suffix-length
      long suffix = number(to);
      if (suffix <= 0 || length == 0) {
        return UNSATISFIABLE;
      }
      return new ByteRange(Outcome.PARTIAL, Math.max(0, length - suffix), length - 1);
    }
    long first = number(from);
    long last = to.isEmpty() ? length - 1 : number(to);
    if (first < 0 || last < 0 || (!to.isEmpty() && last < first) || first >= length) {
      return UNSATISFIABLE;
    }
    return new ByteRange(Outcome.PARTIAL, first, Math.min(last, length - 1));
  }

  /** A non-negative decimal, or -1 if {@code text} is not one. */
  private static long number(String text) {
    if (text.isEmpty() || text.length() > MAX_DIGITS) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
