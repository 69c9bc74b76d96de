package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares packaging outputs as directory trees: the same relative file names, the same bytes in each. Used where
 * two ways of packaging (copied and muxed, direct and buffered writes, ...) must give identical output.
 *
 * <p>Stateless, thread-safe.
 *
 * <pre>{@code
 * FileTrees.assertSameFiles(temp.resolve("muxed"), temp.resolve("copied"), 6);
 * }</pre>
 */
public final class FileTrees {
  private FileTrees() {}

  /** The regular files under {@code root}, as sorted relative paths with {@code /} separators. */
  public static List<String> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
          .toList();
    }
  }

  /**
   * Every file under {@code expected} is under {@code actual} with the same bytes, nothing else is there, and
   * there are at least {@code minFiles} of them (so that two empty or half-written outputs do not pass).
   */
  public static void assertSameFiles(Path expected, Path actual, int minFiles) throws IOException {
    List<String> names = files(expected);
    assertTrue(names.size() >= minFiles, "at least " + minFiles + " files expected: " + names);
    assertEquals(names, files(actual), actual.toString());
    for (String name : names) {
      assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)),
          actual.getFileName() + "/" + name);
    }
  }
}
