package io.iptv.examples.cli;

/** Bad command-line input that is not a media error (missing file, wrong option value): exit code 2. */
final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  BadInputException(String message) {
    super(message);
  }
}
