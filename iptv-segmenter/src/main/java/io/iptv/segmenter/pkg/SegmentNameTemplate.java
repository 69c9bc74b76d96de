package io.iptv.segmenter.pkg;

import io.iptv.core.internal.Preconditions;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Segment file names from a template with Shaka/DASH-style identifiers: {@code $Number$} (the media sequence
 * number) with an optional width, {@code $Number%05d$}, and {@code $Time$} (the start on the unwrapped
 * 90 kHz timeline, 64 bits: never truncated, shaka#701). Immutable and thread-safe.
 *
 * <pre>{@code
 * SegmentNameTemplate t = SegmentNameTemplate.of("seg-$Number%05d$.ts");
 * t.name(42, 0);   // "seg-00042.ts"
 * }</pre>
 */
public final class SegmentNameTemplate {
  private static final Pattern IDENTIFIER = Pattern.compile("\\$(Number|Time)(%0(\\d{1,2})d)?\\$");
  private final String template;

  private SegmentNameTemplate(String template) {
    this.template = template;
  }

  /** Parses and validates a template; it must contain {@code $Number$} or {@code $Time$}. */
  public static SegmentNameTemplate of(String template) {
    Preconditions.requireArgument(template != null && IDENTIFIER.matcher(template).find(),
        "segment name template %s has no $Number$ or $Time$", template);
    String rest = IDENTIFIER.matcher(template).replaceAll("");
    Preconditions.requireArgument(rest.indexOf('$') < 0, "unknown identifier in template %s", template);
    Preconditions.requireArgument(!template.startsWith("/") && !template.contains("..")
        && !template.contains("\\") && !template.contains("\n"), "invalid template %s", template);
    return new SegmentNameTemplate(template);
  }

  /** The name of the segment with media sequence number {@code number} starting at {@code start90k}. */
  public String name(long number, long start90k) {
    Matcher m = IDENTIFIER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      long value = m.group(1).equals("Number") ? number : start90k;
      String text = m.group(3) != null
          ? String.format(Locale.ROOT, "%0" + m.group(3) + "d", value) : Long.toString(value);
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether names contain {@code $Time$}: not predictable from the number alone. */
  boolean dependsOnTime() {
    Matcher m = IDENTIFIER.matcher(template);
    while (m.find()) {
      if (m.group(1).equals("Time")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return template;
  }
}
