package io.iptv.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.AssertionFailedError;

/**
 * Compares a human-readable dump (one sample per line, say) with a golden file checked in under the
 * module's {@code src/test/resources}. Run with {@code -Diptv.goldens=update} to (re)write the goldens
 * instead of comparing (then review the diff before committing); the default {@code verify} fails on any
 * difference and on a missing golden, and writes what it got to {@code target/goldens-actual/} for
 * diffing.
 *
 * <p>The module directory is {@code user.dir}, which surefire sets to the module's basedir. Line endings
 * are normalised to {@code \n}. Thread-safe as long as tests write different goldens.
 *
 * <pre>{@code
 * DumpAsserts.assertMatchesGolden("dumps/ts/h264_aac.ts.dump", dump);
 * }</pre>
 */
public final class DumpAsserts {
  /** The system property that selects the mode. */
  public static final String MODE_PROPERTY = "iptv.goldens";

  private DumpAsserts() {}

  /** Whether this run rewrites goldens ({@code -Diptv.goldens=update}). */
  public static boolean updating() {
    return "update".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "verify"));
  }

  /**
   * Asserts that {@code actual} equals the golden {@code src/test/resources/<relativePath>} of the current
   * module, or rewrites the golden in update mode.
   */
  public static void assertMatchesGolden(String relativePath, String actual) {
    assertMatchesGolden(moduleDir(), relativePath, actual);
  }

  /** As {@link #assertMatchesGolden(String, String)} with an explicit module directory. */
  public static void assertMatchesGolden(Path moduleDir, String relativePath, String actual) {
    String normalised = normalise(actual);
    Path golden = moduleDir.resolve("src/test/resources").resolve(relativePath);
    try {
      if (updating()) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, normalised, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(golden)) {
        writeActual(moduleDir, relativePath, normalised);
        Assertions.fail("golden " + golden + " is missing; record it with -D" + MODE_PROPERTY
            + "=update and review it");
      }
      String expected = normalise(Files.readString(golden, StandardCharsets.UTF_8));
      if (!expected.equals(normalised)) {
        Path actualFile = writeActual(moduleDir, relativePath, normalised);
        throw new AssertionFailedError(firstDifference(expected, normalised) + "\n  golden: " + golden
            + "\n  actual: " + actualFile + "\n  (re-record with -D" + MODE_PROPERTY + "=update if intended)",
            expected, normalised);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory of the module under test (surefire's working directory). */
  public static Path moduleDir() {
    return Path.of(System.getProperty("user.dir"));
  }

  static String firstDifference(String expected, String actual) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    for (int i = 0; i < Math.max(e.length, a.length); i++) {
      String el = i < e.length ? e[i] : "<end of golden>";
      String al = i < a.length ? a[i] : "<end of actual>";
      if (!el.equals(al)) {
        return "dump differs from golden at line " + (i + 1) + ":\n  expected: " + el + "\n  actual:   " + al;
      }
    }
    return "dump differs from golden";
  }

  private static Path writeActual(Path moduleDir, String relativePath, String actual) throws IOException {
    Path file = moduleDir.resolve("target/goldens-actual").resolve(relativePath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, actual, StandardCharsets.UTF_8);
    return file;
  }

  private static String normalise(String text) {
    String unix = text.replace("\r\n", "\n");
    return unix.endsWith("\n") ? unix : unix + "\n";
  }
}
