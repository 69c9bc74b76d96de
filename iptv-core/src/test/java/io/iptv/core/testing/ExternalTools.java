package io.iptv.core.testing;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that run ffmpeg or ffprobe. A missing tool skips the test (JUnit assumption) on a
 * developer machine, but fails it when the environment variable {@code CI} is {@code "true"}, so CI
 * cannot silently lose its oracle tests.
 *
 * <p>The tools are looked up on the {@code PATH}; the environment variables {@code IPTV_FFPROBE} and
 * {@code IPTV_FFMPEG} override the command. Thread-safe.
 *
 * <pre>{@code
 * @Test void matchesFfprobe() throws Exception {
 *   String ffprobe = ExternalTools.requireFfprobe();
 *   ...
 * }
 * }</pre>
 */
public final class ExternalTools {
  private static final Map<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();

  private ExternalTools() {}

  /** The ffprobe command, or aborts/fails the calling test if it cannot run. */
  public static String requireFfprobe() {
    return require(command("IPTV_FFPROBE", "ffprobe"));
  }

  /** The ffmpeg command, or aborts/fails the calling test if it cannot run. */
  public static String requireFfmpeg() {
    return require(command("IPTV_FFMPEG", "ffmpeg"));
  }

  /** The openssl command ({@code IPTV_OPENSSL} overrides it), or aborts/fails the calling test if it cannot run. */
  public static String requireOpenssl() {
    return require(command("IPTV_OPENSSL", "openssl"), "version");
  }

  /** Whether the environment says this is a CI run ({@code CI=true}). */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static String command(String envVar, String fallback) {
    String configured = System.getenv(envVar);
    return configured == null || configured.isBlank() ? fallback : configured;
  }

  private static String require(String command) {
    return require(command, "-version");
  }

  private static String require(String command, String versionArgument) {
    if (AVAILABLE.computeIfAbsent(command, c -> runs(c, versionArgument))) {
      return command;
    }
    String message = command + " is not installed or does not run (`" + command + " " + versionArgument
        + "` failed)";
    if (isCi()) {
      Assertions.fail(message + "; CI=true, so tests that need it fail instead of being skipped."
          + " Install it in the CI image.");
    }
    Assumptions.abort(message + "; skipping (set CI=true to make this a failure).");
    throw new AssertionError("unreachable");
  }

  private static boolean runs(String command, String versionArgument) {
    try {
      Process process = new ProcessBuilder(command, versionArgument)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
