package io.iptv.examples.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the plain forms of {@code iptv package} options into a {@link PackageCommand} without starting picocli:
 * its start-up (the {@code CommandLine} class, built-in converters, the model of every subcommand, annotation
 * proxies) costs about 0.15–0.2 s of CPU, a fifth of packaging a 400 MB MP4.
 *
 * <p>Only what converts exactly as picocli converts it is taken: {@code --name value} and {@code --name=value}
 * of a known option, flags without a value, each single-valued option at most once, values that are not empty
 * and do not start with {@code -} or {@code @}, numbers in plain decimal. Anything else — help, version, an
 * unknown or repeated option, a missing required option or value, an {@code @file}, {@code --} — returns null,
 * and picocli parses the arguments as before (with its messages). So the result is the command picocli would
 * have built, or nothing. The option names and defaults repeat {@code PackageCommand}'s {@code @Option}s;
 * {@code QuickPackageArgsTest} compares them with picocli's model, so a new option fails that test until it is
 * added here.
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * PackageCommand command = QuickPackageArgs.parse(args); // null: let picocli parse args
 * }</pre>
 */
final class QuickPackageArgs {
  /** Options without a value. */
  static final Set<String> FLAGS = Set.of("--write-keys", "--defer-encryption", "--dash", "--iframes", "--quiet",
      "--direct-io", "--packet-copy");
  /** The negated forms of the negatable flags ({@code --[no-]direct-io}, {@code --[no-]packet-copy}). */
  static final Set<String> NEGATED_FLAGS = Set.of("--no-direct-io", "--no-packet-copy");
  /** Options with a value; the first three may be repeated. */
  static final List<String> VALUED = List.of("--input", "--key", "--drm", "--output", "--segment-duration",
      "--playlist-type", "--program", "--encryption", "--key-seed", "--iv", "--rotate-every", "--clear-lead",
      "--channel", "--format", "--ad-markers");
  private static final Set<String> REPEATABLE = Set.of("--input", "--key", "--drm");

  private QuickPackageArgs() {}

  /**
   * The {@code package} command with {@code args} ({@code "package"} first) applied, or null when picocli must
   * parse them.
   */
  static PackageCommand parse(String[] args) {
    if (args.length < 2 || !args[0].equals("package")) {
      return null;
    }
    PackageCommand command = new PackageCommand();
    // The defaultValue of each @Option, as picocli applies them.
    command.segmentSeconds = 6;
    command.playlistType = "vod";
    command.program = 0;
    command.encryption = "none";
    command.rotateEvery = 0;
    command.clearLead = 0;
    command.format = "ts";
    command.adMarkers = "daterange";
    command.directIo = true;
    command.packetCopy = true;
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int equals = name.indexOf('=');
      if (name.startsWith("--") && equals > 2) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (FLAGS.contains(name) || NEGATED_FLAGS.contains(name)) {
        if (value != null || !seen.add(name.replace("--no-", "--"))) {
          return null;
        }
        flag(command, name);
        continue;
      }
      if (!VALUED.contains(name)) {
        return null; // -h, --help, -V, an unknown option, a positional parameter, @file, --
      }
      if (value == null) {
        if (i + 1 == args.length) {
          return null;
        }
        value = args[++i];
      }
      if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
        return null; // picocli may read these as an option or an argument file
      }
      boolean first = seen.add(name);
      if ((!first && !REPEATABLE.contains(name)) || !option(command, name, value, first)) {
        return null;
      }
    }
    return seen.contains("--input") && seen.contains("--output") ? command : null;
  }

  private static void flag(PackageCommand command, String name) {
    switch (name) {
      case "--write-keys" -> command.writeKeys = true;
      case "--defer-encryption" -> command.deferEncryption = true;
      case "--dash" -> command.dash = true;
      case "--iframes" -> command.iFrames = true;
      case "--direct-io" -> command.directIo = true;
      case "--no-direct-io" -> command.directIo = false;
      case "--packet-copy" -> command.packetCopy = true;
      case "--no-packet-copy" -> command.packetCopy = false;
      default -> command.quiet = true; // --quiet
    }
  }

  /** Applies one valued option; false if picocli might convert {@code value} otherwise. */
  private static boolean option(PackageCommand command, String name, String value, boolean first) {
    switch (name) {
      case "--input" -> {
        Path path = path(value);
        if (path == null) {
          return false;
        }
        if (first) {
          command.inputs = new ArrayList<>();
        }
        command.inputs.add(path);
      }
      case "--output" -> {
        command.output = path(value);
        return command.output != null;
      }
      case "--segment-duration" -> {
        if (!digits(value, 0, true)) {
          return false;
        }
        command.segmentSeconds = Double.parseDouble(value);
      }
      case "--program", "--rotate-every", "--clear-lead" -> {
        if (!digits(value, 0, false)) { // negative values, which start with '-', went to picocli
          return false;
        }
        int number = Integer.parseInt(value);
        switch (name) {
          case "--program" -> command.program = number;
          case "--rotate-every" -> command.rotateEvery = number;
          default -> command.clearLead = number;
        }
      }
      case "--key" -> {
        if (first) {
          command.keys = new ArrayList<>();
        }
        command.keys.add(value);
      }
      case "--drm" -> { // split = ","
        if (!nameList(value)) {
          return false;
        }
        if (first) {
          command.drm = new ArrayList<>();
        }
        command.drm.addAll(List.of(value.split(",")));
      }
      case "--playlist-type" -> command.playlistType = value;
      case "--encryption" -> command.encryption = value;
      case "--key-seed" -> command.keySeed = value;
      case "--iv" -> command.iv = value;
      case "--channel" -> command.channel = value;
      case "--format" -> command.format = value;
      default -> command.adMarkers = value; // --ad-markers
    }
    return true;
  }

  /**
   * Whether {@code value} from {@code start} is 1–9 decimal digits (then, with {@code fraction}, optionally a
   * point and 1–9 more): what {@code Integer.valueOf} and {@code Double.valueOf} read alike everywhere.
   */
  private static boolean digits(String value, int start, boolean fraction) {
    int point = fraction ? value.indexOf('.') : -1;
    int end = point < 0 ? value.length() : point;
    return run(value, start, end) && (point < 0 || run(value, point + 1, value.length()));
  }

  private static boolean run(String value, int from, int to) {
    if (to - from < 1 || to - from > 9) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is names ({@code [A-Za-z0-9_-]+}) separated by single commas. */
  private static boolean nameList(String value) {
    boolean empty = true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',') {
        if (empty) {
          return false;
        }
        empty = true;
      } else if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-') {
        empty = false;
      } else {
        return false;
      }
    }
    return !empty;
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
