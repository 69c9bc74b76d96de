package io.iptv.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Plays a stream with a real player (hls.js or Shaka Player in headless Chromium) by running the repository's
 * {@code test-tools/player/play.mjs} as a subprocess, and returns its verdict: did playback really advance for
 * the requested media seconds, without a fatal player error and without a frozen or skipped picture.
 *
 * <p>Requirements: Node.js 20+ ({@code node} on the PATH, or {@code $IPTV_NODE}), Chromium
 * ({@code /usr/bin/chromium} or {@code $CHROMIUM_PATH}) and the tool's npm packages
 * ({@value #NPM_CI_COMMAND}, run at the repository root). {@link #require()} aborts the calling test (JUnit
 * assumption) when one is missing, or fails it when {@code CI=true}. The tool directory is found by walking up
 * from the working directory to the folder that contains {@code test-tools/player}, or taken from
 * {@code $IPTV_PLAYER_TOOL}.
 *
 * <p>Thread-safe; every {@link #play} starts its own browser (about 1 s) and takes about
 * {@code seconds} + 2 s of wall time for a passing run.
 *
 * <pre>{@code
 * try (LocalOrigin origin = LocalOrigin.serve("clip", dir)) {
 *   PlayerCheck.assertPlays(PlayerCheck.Player.HLS_JS, origin.url("master.m3u8"), 8);
 *   PlayerCheck.Result broken = PlayerCheck.require().play(
 *       PlayerCheck.Run.builder(PlayerCheck.Player.SHAKA, origin.url("broken.m3u8")).seconds(8).build());
 * }
 * }</pre>
 */
public final class PlayerCheck {
  /** What installs the tool's npm packages (run at the repository root). */
  public static final String NPM_CI_COMMAND = "npm ci --prefix test-tools/player";
  private static final String TOOL_DIR = "test-tools/player";
  private static final String SCRIPT = "play.mjs";
  private static final List<String> NPM_PACKAGES = List.of("hls.js", "shaka-player", "playwright-core");
  private static final int MIN_NODE_MAJOR = 20;
  /** Extra wall time granted on top of the script's own timeout before the subprocess is killed. */
  private static final Duration KILL_MARGIN = Duration.ofSeconds(20);

  private static PlayerCheck instance;
  private static String missing;

  private final Path toolDir;
  private final String node;
  private final String chromium;

  private PlayerCheck(Path toolDir, String node, String chromium) {
    this.toolDir = toolDir;
    this.node = node;
    this.chromium = chromium;
  }

  /** The players {@code play.mjs} can drive. */
  public enum Player {
    /** hls.js over MSE (HLS only). */
    HLS_JS("hls"),
    /** Shaka Player over MSE (HLS and DASH). */
    SHAKA("shaka");

    private final String cliName;

    Player(String cliName) {
      this.cliName = cliName;
    }

    /** The {@code --player} value of play.mjs. */
    public String cliName() {
      return cliName;
    }
  }

  /**
   * The verdict of one run, parsed from play.mjs's JSON line.
   *
   * @param ok whether playback passed every check
   * @param player {@code hls} or {@code shaka}
   * @param url the played URL
   * @param playedSeconds media seconds actually played (sum of {@code video.played})
   * @param frames video frames seen presented ({@code requestVideoFrameCallback})
   * @param droppedFrames frames the browser dropped
   * @param maxGapMs largest media-time step between two presented frames (40 at 25 fps; seconds when frozen)
   * @param fatalError the first fatal player or media error, or {@code null}
   * @param reasons why it failed (empty when {@code ok})
   * @param wallMs the script's wall time, browser start included
   * @param exitCode the script's exit status (0 pass, 1 check failed, 2 harness error)
   * @param json the whole JSON line, for messages
   */
  public record Result(boolean ok, String player, String url, double playedSeconds, long frames, long droppedFrames,
      long maxGapMs, String fatalError, List<String> reasons, long wallMs, int exitCode, String json) {
    /** Copies the reasons. */
    public Result {
      reasons = List.copyOf(reasons);
    }

    /**
     * Whether the player reported a buffer stall ({@code bufferStalledError}) while no HTTP request failed: the
     * player, not the server, fell behind. On a loaded two-core machine Chromium sometimes does (tests of live
     * playback may then retry once, saying so).
     */
    public boolean stalledInPlayerOnly() {
      if (!(MiniJson.parse(json) instanceof java.util.Map<?, ?> verdict)) {
        return false;
      }
      List<?> httpErrors = (List<?>) verdict.get("httpErrors");
      List<?> errors = (List<?>) verdict.get("errors");
      if (errors == null || (httpErrors != null && !httpErrors.isEmpty())) {
        return false;
      }
      return errors.stream().anyMatch(e -> e instanceof java.util.Map<?, ?> m
          && "bufferStalledError".equals(m.get("detail")));
    }
  }

  /**
   * One playback check to run. Immutable.
   *
   * @param player which player
   * @param url HLS ({@code .m3u8}) or DASH ({@code .mpd}) URL, reachable from the browser with CORS
   * @param seconds media seconds that must really be played
   * @param maxGapMs largest allowed media-time step between presented frames (0 = unchecked)
   * @param stall how long playback may make no progress, startup included
   * @param timeout hard limit for the whole run
   * @param clearKeys ClearKey pairs, KID hex to key hex (32 hex digits each)
   * @param licenseUrl a W3C ClearKey licence server the player must ask for keys, or {@code null}
   */
  public record Run(Player player, String url, int seconds, int maxGapMs, Duration stall, Duration timeout,
      Map<String, String> clearKeys, String licenseUrl) {
    /** Validates and copies. */
    public Run {
      Objects.requireNonNull(player, "player");
      Objects.requireNonNull(url, "url");
      clearKeys = Map.copyOf(clearKeys);
    }

    /** A builder for {@code player} playing {@code url}. */
    public static Builder builder(Player player, String url) {
      return new Builder(player, url);
    }

    /** Builds a {@link Run}; each setter validates at once and may be called once. Not thread-safe. */
    public static final class Builder {
      private final Player player;
      private final String url;
      private Integer seconds;
      private Integer maxGapMs;
      private Duration stall;
      private Duration timeout;
      private final Map<String, String> clearKeys = new LinkedHashMap<>();
      private String licenseUrl;

      private Builder(Player player, String url) {
        this.player = Objects.requireNonNull(player, "player");
        this.url = Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
      }

      /** Media seconds to play (default 8). */
      public Builder seconds(int value) {
        requireUnset(seconds, "seconds");
        if (value <= 0 || value > 600) {
          throw new IllegalArgumentException("seconds must be in 1..600: " + value);
        }
        seconds = value;
        return this;
      }

      /** Largest allowed media-time step between two presented frames (default 500 ms; 0 = unchecked). */
      public Builder maxGapMs(int value) {
        requireUnset(maxGapMs, "maxGapMs");
        if (value < 0) {
          throw new IllegalArgumentException("negative maxGapMs: " + value);
        }
        maxGapMs = value;
        return this;
      }

      /** How long playback may make no progress, startup included (default 15 s). */
      public Builder stall(Duration value) {
        requireUnset(stall, "stall");
        stall = requirePositive(value, "stall");
        return this;
      }

      /** Hard limit for the whole run, browser start included (default 2 × seconds + 30 s). */
      public Builder timeout(Duration value) {
        requireUnset(timeout, "timeout");
        timeout = requirePositive(value, "timeout");
        return this;
      }

      /** Adds a ClearKey pair (hex, 32 digits each). */
      public Builder clearKey(String kidHex, String keyHex) {
        String kid = requireHex128(kidHex, "kid");
        if (clearKeys.putIfAbsent(kid, requireHex128(keyHex, "key")) != null) {
          throw new IllegalStateException("clear key for kid " + kid + " was already added");
        }
        return this;
      }

      /**
       * A W3C ClearKey licence server URL (http or https) the player asks for keys ({@code play.mjs
       * --license-url}); instead of {@link #clearKey} pairs, which the harness would serve itself.
       */
      public Builder licenseUrl(String value) {
        requireUnset(licenseUrl, "licenseUrl");
        Objects.requireNonNull(value, "licenseUrl");
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
          throw new IllegalArgumentException("not an http(s) URL: " + value);
        }
        licenseUrl = value;
        return this;
      }

      /** Builds the run. */
      public Run build() {
        int s = seconds != null ? seconds : 8;
        if (licenseUrl != null && !clearKeys.isEmpty()) {
          throw new IllegalStateException("give either clear keys or a licence URL, not both");
        }
        return new Run(player, url, s, maxGapMs != null ? maxGapMs : 500,
            stall != null ? stall : Duration.ofSeconds(15),
            timeout != null ? timeout : Duration.ofSeconds(2L * s + 30), clearKeys, licenseUrl);
      }

      private static void requireUnset(Object field, String name) {
        if (field != null) {
          throw new IllegalStateException(name + " was already set to " + field);
        }
      }

      private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toSeconds() < 1) {
          throw new IllegalArgumentException(name + " must be at least 1 s: " + value);
        }
        return value;
      }

      private static String requireHex128(String value, String name) {
        String hex = Objects.requireNonNull(value, name).replace("-", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{32}")) {
          throw new IllegalArgumentException(name + " must be 32 hex digits: " + value);
        }
        return hex;
      }
    }
  }

  /**
   * The check, once node, Chromium and the npm packages are known to be there; otherwise aborts the calling
   * test, or fails it when {@code CI=true}.
   */
  public static synchronized PlayerCheck require() {
    if (instance == null && missing == null) {
      missing = findMissing();
    }
    if (missing != null) {
      if (ExternalTools.isCi()) {
        Assertions.fail(missing + "; CI=true, so player tests fail instead of being skipped");
      }
      Assumptions.abort(missing + "; skipping the player test (set CI=true to make this a failure)");
    }
    return instance;
  }

  /** Plays {@code url} for {@code seconds} media seconds and fails the test unless playback passed. */
  public static Result assertPlays(Player player, String url, int seconds) {
    Result result = require().play(Run.builder(player, url).seconds(seconds).build());
    Assertions.assertTrue(result.ok(), () -> player + " did not play " + url + ": " + result.reasons()
        + "\n" + result.json());
    return result;
  }

  /** Runs play.mjs for {@code run} and returns its verdict; a harness failure (exit 2) fails the test. */
  public Result play(Run run) {
    return play(run, List.of());
  }

  /**
   * Runs one check with extra play.mjs options, e.g. {@code --low-latency} (hls.js lowLatencyMode; the
   * verdict's {@code live} object, read from {@link Result#json()}, reports the distance to the live edge).
   */
  public Result play(Run run, List<String> extraOptions) {
    List<String> command = new ArrayList<>(List.of(node, toolDir.resolve(SCRIPT).toString(),
        "--url", run.url(), "--player", run.player().cliName(), "--seconds", Integer.toString(run.seconds()),
        "--max-gap-ms", Integer.toString(run.maxGapMs()), "--stall", Long.toString(run.stall().toSeconds()),
        "--timeout", Long.toString(run.timeout().toSeconds()), "--chromium", chromium));
    run.clearKeys().forEach((kid, key) -> {
      command.add("--clearkey");
      command.add(kid + ":" + key);
    });
    if (run.licenseUrl() != null) {
      command.add("--license-url");
      command.add(run.licenseUrl());
    }
    command.addAll(extraOptions);
    Output output = execute(command, run.timeout().plus(KILL_MARGIN));
    Result result = parse(output);
    System.out.println("PlayerCheck " + run.player().cliName() + ": " + result.json()); // the CI log's record
    if (result.exitCode() == 2) {
      Assertions.fail("play.mjs could not run the check: " + result.reasons() + "\nstderr: " + tail(output.stderr)
          + "\n" + result.json());
    }
    return result;
  }

  private record Output(int exitCode, String stdout, String stderr, boolean killed) {}

  private Output execute(List<String> command, Duration limit) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("play-mjs-", ".out");
      stderr = Files.createTempFile("play-mjs-", ".err");
      Process process = new ProcessBuilder(command)
          .directory(toolDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      boolean killed = false;
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        killed = true;
        process.destroy(); // SIGTERM: play.mjs closes the browser and prints its verdict
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      return new Output(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8), killed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while playing", e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static Result parse(Output output) {
    String line = null;
    for (String candidate : output.stdout.split("\n")) {
      if (candidate.startsWith("{")) {
        line = candidate.strip();
      }
    }
    if (line == null) {
      return new Result(false, null, null, 0, 0, 0, 0, null,
          List.of(output.killed ? "play.mjs was killed after its time limit" : "play.mjs printed no verdict"),
          0, 2, "{}\nstdout: " + tail(output.stdout) + "\nstderr: " + tail(output.stderr));
    }
    Map<?, ?> verdict = (Map<?, ?>) MiniJson.parse(line);
    List<String> reasons = new ArrayList<>();
    if (verdict.get("reasons") instanceof List<?> list) {
      list.forEach(reason -> reasons.add(String.valueOf(reason)));
    }
    return new Result(Boolean.TRUE.equals(verdict.get("ok")) && output.exitCode == 0,
        (String) verdict.get("player"), (String) verdict.get("url"), number(verdict, "playedSeconds"),
        (long) number(verdict, "frames"), (long) number(verdict, "droppedFrames"), (long) number(verdict, "maxGapMs"),
        (String) verdict.get("fatalError"), reasons, (long) number(verdict, "wallMs"), output.exitCode, line);
  }

  private static double number(Map<?, ?> map, String key) {
    return map.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  // ------------------------------------------------------------------------------------------ environment

  /** What is missing, or {@code null} (then {@link #instance} is set). */
  private static String findMissing() {
    Path toolDir = locateToolDir();
    if (toolDir == null) {
      return TOOL_DIR + "/" + SCRIPT + " not found above " + System.getProperty("user.dir")
          + " (set IPTV_PLAYER_TOOL to the directory)";
    }
    for (String name : NPM_PACKAGES) {
      if (!Files.isRegularFile(toolDir.resolve("node_modules").resolve(name).resolve("package.json"))) {
        return "npm package " + name + " is not installed in " + TOOL_DIR + "; run `" + NPM_CI_COMMAND
            + "` at the repository root";
      }
    }
    String node = envOr("IPTV_NODE", "node");
    int major = nodeMajorVersion(node);
    if (major < MIN_NODE_MAJOR) {
      return major < 0 ? "node (Node.js " + MIN_NODE_MAJOR + "+) is not installed or does not run"
          : "node is version " + major + ", play.mjs needs " + MIN_NODE_MAJOR + "+";
    }
    String chromium = envOr("CHROMIUM_PATH", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      return "Chromium not found at " + chromium + "; run `apt-get install -y chromium` (or set CHROMIUM_PATH)";
    }
    instance = new PlayerCheck(toolDir, node, chromium);
    return null;
  }

  private static Path locateToolDir() {
    String configured = System.getenv("IPTV_PLAYER_TOOL");
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured).toAbsolutePath();
      return Files.isRegularFile(dir.resolve(SCRIPT)) ? dir : null;
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(TOOL_DIR);
      if (Files.isRegularFile(candidate.resolve(SCRIPT))) {
        return candidate;
      }
    }
    return null;
  }

  private static int nodeMajorVersion(String node) {
    try {
      Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
      String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0 || !version.matches("v\\d+\\..*")) {
        process.destroyForcibly();
        return -1;
      }
      return Integer.parseInt(version.substring(1, version.indexOf('.')));
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
