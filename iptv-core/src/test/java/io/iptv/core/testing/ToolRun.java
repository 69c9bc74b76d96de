package io.iptv.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The result of running an external tool (ffmpeg, ffprobe, openssl, …) to completion, and the one place tests
 * start such processes: both output streams are drained concurrently (a chatty stderr cannot block the tool),
 * and a time limit kills a hung tool.
 *
 * <p>Thread-safe (stateless).
 *
 * <pre>{@code
 * String json = ToolRun.of(List.of(ExternalTools.requireFfprobe(), "-v", "error", "-show_streams", "-of", "json",
 *     file.toString())).requireSuccess().stdoutText();
 * ToolRun decode = ToolRun.of(List.of(ffmpeg, "-v", "error", "-i", url, "-f", "null", "-"));
 * assertEquals("", decode.stderrText(), "decode errors");
 * }</pre>
 *
 * @param command what ran
 * @param exitCode its exit code
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record ToolRun(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
  /** Default time limit of {@link #of(List)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** Runs {@code command} with the {@link #DEFAULT_TIMEOUT}. */
  public static ToolRun of(List<String> command) {
    return of(command, DEFAULT_TIMEOUT);
  }

  /**
   * Runs {@code command} to completion; a tool that has not finished within {@code timeout} is killed and an
   * {@link AssertionError} raised (a hang is a test failure, never a hung build).
   */
  public static ToolRun of(List<String> command, Duration timeout) {
    List<String> copy = List.copyOf(command);
    try {
      Process process = new ProcessBuilder(copy).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] out = readAll(process.getInputStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + copy);
      }
      return new ToolRun(copy, process.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + copy, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + copy, e);
    }
  }

  /** This run, or an {@link AssertionError} with the command and its stderr if it exited non-zero. */
  public ToolRun requireSuccess() {
    if (exitCode != 0) {
      throw new AssertionError("exit " + exitCode + " of " + command + ": " + stderrText());
    }
    return this;
  }

  /** Standard output as UTF-8. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
