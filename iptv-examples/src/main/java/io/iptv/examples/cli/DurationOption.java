package io.iptv.examples.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a duration given on the command line: the human form {@code 2h}, {@code 90m}, {@code 1h30m},
 * {@code 45s}, {@code 1.5s}, {@code 500ms}, or ISO-8601 ({@code PT2H}, {@code PT0.5S}, {@code P1D}). A unit is
 * required ({@code 90} alone is refused rather than guessed). Zero and negative durations are refused.
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * Duration window = DurationOption.parse("--dvr", "1h30m");   // PT1H30M
 * }</pre>
 */
final class DurationOption {
  /** Hours, minutes, seconds (fraction allowed), milliseconds, each optional but in this order. */
  private static final Pattern HUMAN = Pattern.compile(
      "(?:(\\d{1,9})h)?(?:(\\d{1,9})m(?!s))?(?:(\\d{1,9}(?:\\.\\d{1,9})?)s)?(?:(\\d{1,9})ms)?");
  private static final String EXPECTED = "expected a duration such as 2h, 90m, 1h30m, 45s, 500ms or PT2H";

  private DurationOption() {}

  /**
   * The duration {@code text} of {@code option}.
   *
   * @throws BadInputException with a one-line message naming the option, when the text is not a positive duration
   */
  static Duration parse(String option, String text) throws BadInputException {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Duration parsed;
    if (value.startsWith("-")) {
      throw new BadInputException(option + " " + text + ": the duration must be positive");
    }
    if (value.startsWith("p")) {
      try {
        parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new BadInputException(option + " " + text + ": " + EXPECTED);
      }
    } else {
      Matcher m = HUMAN.matcher(value);
      if (value.isEmpty() || !m.matches()) {
        throw new BadInputException(option + " " + text + ": " + EXPECTED);
      }
      parsed = Duration.ZERO;
      if (m.group(1) != null) {
        parsed = parsed.plusHours(Long.parseLong(m.group(1)));
      }
      if (m.group(2) != null) {
        parsed = parsed.plusMinutes(Long.parseLong(m.group(2)));
      }
      if (m.group(3) != null) {
        parsed = parsed.plusNanos(Math.round(Double.parseDouble(m.group(3)) * 1e9));
      }
      if (m.group(4) != null) {
        parsed = parsed.plusMillis(Long.parseLong(m.group(4)));
      }
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new BadInputException(option + " " + text + ": the duration must be positive");
    }
    return parsed;
  }

  /** {@code d} in the human form, for messages: {@code 2h}, {@code 1h30m}, {@code 500ms}. */
  static String format(Duration d) {
    StringBuilder out = new StringBuilder();
    if (d.toHours() > 0) {
      out.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      out.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      out.append(d.toMillisPart()).append("ms");
    }
    return out.length() == 0 ? d.toString() : out.toString();
  }
}
