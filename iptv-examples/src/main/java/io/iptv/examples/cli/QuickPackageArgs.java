package io.iptv.examples.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Reads the plain forms of {@code iptv package} options into a {@link PackageCommand} without starting picocli:
 * its start-up (the {@code CommandLine} class, built-in converters, the model of every subcommand) costs about
 * 0.15–0.2 s of CPU, a fifth of packaging a 400 MB MP4. The options, their names, defaults and types are read
 * from {@code PackageCommand}'s own {@code @Option} annotations, so there is one definition of each.
 *
 * <p>Only what converts exactly as picocli converts it is taken: {@code --name value} and {@code --name=value}
 * of a known option, flags without a value, each single-valued option at most once, values that do not start
 * with {@code -} or {@code @}, numbers in plain decimal. Anything else — help, version, an unknown or repeated
 * option, a missing required option or value, an {@code @file}, {@code --}, a default with a {@code ${...}}
 * variable — returns null, and picocli parses the arguments as before (with its messages). So the result is
 * the command picocli would have built, or nothing.
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * PackageCommand command = QuickPackageArgs.parse(args); // null: let picocli parse args
 * }</pre>
 */
final class QuickPackageArgs {
  /** picocli's {@code Option.defaultValue()} when none is declared. */
  private static final String NO_DEFAULT = "__no_default_value__";
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");
  private static final Pattern SPLIT_LIST = Pattern.compile("[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*");

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
    Map<String, Field> byName = new HashMap<>();
    List<Field> options = new ArrayList<>();
    for (Field field : PackageCommand.class.getDeclaredFields()) {
      Option option = field.getAnnotation(Option.class);
      if (option != null) {
        options.add(field);
        for (String name : option.names()) {
          byName.put(name, field);
        }
      }
    }
    try {
      for (Field field : options) { // defaults first, as picocli applies them
        String value = field.getAnnotation(Option.class).defaultValue();
        if (!value.equals(NO_DEFAULT) && !set(command, field, value)) {
          return null;
        }
      }
      Set<Field> seen = new HashSet<>();
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int equals = arg.indexOf('=');
        if (arg.startsWith("--") && equals > 2) {
          value = arg.substring(equals + 1);
          arg = arg.substring(0, equals);
        }
        Field field = byName.get(arg);
        if (field == null) {
          return null; // -h, --help, -V, an unknown option, a positional parameter, @file, --
        }
        if (field.getType() == boolean.class) {
          if (value != null || !seen.add(field)) {
            return null;
          }
          field.setBoolean(command, true);
          continue;
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
        boolean first = seen.add(field);
        if (field.getType() == List.class) {
          if (!add(command, field, value, first)) {
            return null;
          }
        } else if (!first || !set(command, field, value)) {
          return null;
        }
      }
      for (Field field : options) {
        if (field.getAnnotation(Option.class).required() && !seen.contains(field)) {
          return null;
        }
      }
    } catch (IllegalAccessException e) {
      return null;
    }
    return command;
  }

  /** Sets a single-valued option; false if picocli might convert {@code value} otherwise. */
  private static boolean set(PackageCommand command, Field field, String value) throws IllegalAccessException {
    if (value.contains("${")) {
      return false; // picocli interpolates variables
    }
    Class<?> type = field.getType();
    if (type == String.class) {
      field.set(command, value);
    } else if (type == int.class && INTEGER.matcher(value).matches()) {
      field.setInt(command, Integer.parseInt(value));
    } else if (type == double.class && DECIMAL.matcher(value).matches()) {
      field.setDouble(command, Double.parseDouble(value));
    } else if (type == Path.class) {
      Path path = path(value);
      if (path == null) {
        return false;
      }
      field.set(command, path);
    } else {
      return false;
    }
    return true;
  }

  /** Adds to a multi-valued option (a new list on its first use, as picocli); false if not plain. */
  @SuppressWarnings("unchecked")
  private static boolean add(PackageCommand command, Field field, String value, boolean first)
      throws IllegalAccessException {
    Type element = field.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
    String split = field.getAnnotation(Option.class).split();
    List<String> parts;
    if (split.isEmpty()) {
      parts = List.of(value);
    } else if (split.equals(",") && SPLIT_LIST.matcher(value).matches()) {
      parts = List.of(value.split(","));
    } else {
      return false;
    }
    List<Object> list = first ? new ArrayList<>() : (List<Object>) field.get(command);
    for (String part : parts) {
      if (element == String.class) {
        list.add(part);
      } else if (element == Path.class && path(part) != null) {
        list.add(path(part));
      } else {
        return false;
      }
    }
    field.set(command, list);
    return true;
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
