package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.FileTrees;
import io.iptv.core.testing.TestMedia;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iptv package --direct-io / --no-direct-io}: how the files are written, never what is written: the
 * same bytes either way (TS and fMP4 + DASH of a committed clip).
 */
class PackageDirectIoTest {
  @TempDir Path temp;

  private static int iptv(List<String> args, StringWriter err) {
    return IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  private Path packageWith(String name, List<String> extra) {
    Path out = temp.resolve(name);
    List<String> args = new ArrayList<>(List.of("package", "--input", TestMedia.path("h264_aac.ts").toString(),
        "--output", out.toString(), "--segment-duration", "1", "--quiet"));
    args.addAll(extra);
    StringWriter err = new StringWriter();
    assertEquals(0, iptv(args, err), err.toString());
    return out;
  }

  @Test
  void directAndBufferedWritesGiveTheSameBytes() throws IOException {
    for (List<String> format : List.of(List.<String>of(), List.of("--format", "fmp4", "--dash"))) {
      String tag = format.isEmpty() ? "ts" : "fmp4";
      Path byDefault = packageWith(tag + "-default", format);
      List<String> direct = new ArrayList<>(format);
      direct.add("--direct-io");
      List<String> buffered = new ArrayList<>(format);
      buffered.add("--no-direct-io");
      for (Path other : List.of(packageWith(tag + "-direct", direct), packageWith(tag + "-buffered", buffered))) {
        FileTrees.assertSameFiles(byDefault, other, 4);
      }
    }
  }

  @Test
  void helpNamesBothForms() {
    StringWriter out = new StringWriter();
    assertEquals(0, IptvCommand.execute(new String[] {"package", "--help"}, new PrintWriter(out),
        new PrintWriter(new StringWriter())));
    assertTrue(out.toString().contains("--[no-]direct-io"), out.toString());
  }
}
