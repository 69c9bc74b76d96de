package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link QuickPackageArgs} builds the command picocli builds, or leaves the arguments to picocli. */
class QuickPackageArgsTest {
  /** Every {@code @Option} field's value, by field name. */
  private static Map<String, Object> options(PackageCommand command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field field : PackageCommand.class.getDeclaredFields()) {
      if (field.isAnnotationPresent(CommandLine.Option.class)) {
        field.setAccessible(true);
        values.put(field.getName(), field.get(command));
      }
    }
    return values;
  }

  private static Map<String, Object> byPicocli(String... args) throws IllegalAccessException {
    PackageCommand command = new PackageCommand();
    new CommandLine(command).parseArgs(args);
    return options(command);
  }

  private static void assertSameAsPicocli(String... args) throws IllegalAccessException {
    String[] withCommand = new String[args.length + 1];
    withCommand[0] = "package";
    System.arraycopy(args, 0, withCommand, 1, args.length);
    PackageCommand quick = QuickPackageArgs.parse(withCommand);
    assertNotNull(quick, () -> "not parsed: " + String.join(" ", args));
    assertEquals(byPicocli(args), options(quick), () -> String.join(" ", args));
  }

  @Test
  void plainOptionsGiveWhatPicocliGives() throws Exception {
    assertSameAsPicocli("--input", "in.mp4", "--output", "out"); // every default
    assertSameAsPicocli("--output", "out", "--input", "in.mp4", "--channel", "${literal}", "--program", "0");
    assertSameAsPicocli("--input", "in.mp4", "--output", "out", "--segment-duration", "6", "--quiet");
    assertSameAsPicocli("--input", "in.mp4", "--output", "out", "--no-direct-io");
    assertSameAsPicocli("--input", "in.mp4", "--output", "out", "--direct-io");
    assertSameAsPicocli("--input=a.ts", "--input", "b.ts", "--output=out", "--format", "fmp4", "--dash",
        "--iframes", "--segment-duration=2.5", "--playlist-type", "event", "--program", "3");
    assertSameAsPicocli("--input", "in.ts", "--output", "out", "--encryption", "cenc", "--key",
        "00112233445566778899aabbccddeeff:00112233445566778899aabbccddeeff", "--key",
        "ffeeddccbbaa99887766554433221100:ffeeddccbbaa99887766554433221100", "--rotate-every", "2",
        "--clear-lead", "1", "--channel", "ch1", "--write-keys", "--drm", "widevine,playready", "--drm",
        "clearkey", "--ad-markers", "daterange,cue");
    assertSameAsPicocli("--input", "in.ts", "--output", "out", "--encryption", "aes-128", "--key-seed",
        "00112233445566778899aabbccddeeff", "--defer-encryption", "--iv", "0x00112233445566778899aabbccddeeff");
  }

  @Test
  void knowsEveryOptionOfPicocliModel() {
    java.util.Set<String> flags = new java.util.TreeSet<>();
    java.util.Set<String> valued = new java.util.TreeSet<>();
    for (CommandLine.Model.OptionSpec option : new CommandLine(new PackageCommand()).getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      assertEquals(1, option.names().length, option.longestName());
      (option.arity().max() == 0 ? flags : valued).add(option.longestName());
    }
    assertEquals(flags, new java.util.TreeSet<>(QuickPackageArgs.FLAGS));
    assertEquals(valued, new java.util.TreeSet<>(QuickPackageArgs.VALUED));
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    String[][] cases = {
        {"package"},
        {"package", "--help"},
        {"package", "-h"},
        {"package", "--version"},
        {"inspect", "in.ts"},
        {"package", "--input", "in.ts"}, // --output missing
        {"package", "--output", "out"}, // --input missing
        {"package", "--input", "in.ts", "--output"}, // value missing
        {"package", "--input", "in.ts", "--output", "a", "--output", "b"}, // repeated
        {"package", "--input", "in.ts", "--output", "out", "--quiet", "--quiet"},
        {"package", "--input", "in.ts", "--output", "out", "--quiet=true"},
        {"package", "--input", "in.ts", "--output", "out", "--direct-io", "--no-direct-io"},
        {"package", "--input", "in.ts", "--output", "out", "--unknown"},
        {"package", "--input", "in.ts", "--output", "out", "extra"},
        {"package", "--input", "in.ts", "--output", "out", "--"},
        {"package", "@args.txt"},
        {"package", "--input", "@in.ts", "--output", "out"},
        {"package", "--input", "in.ts", "--output", "--quiet"},
        {"package", "--input", "in.ts", "--output", "out", "--segment-duration", "-1"},
        {"package", "--input", "in.ts", "--output", "out", "--segment-duration", "1e1"},
        {"package", "--input", "in.ts", "--output", "out", "--program", "0x10"},
        {"package", "--input", "in.ts", "--output", "out", "--program", "99999999999"},
        {"package", "--input", "in.ts", "--output", "out", "--drm", "widevine;playready"},
        {"package", "--input=", "--output", "out"},
    };
    for (String[] args : cases) {
      assertNull(QuickPackageArgs.parse(args), () -> String.join(" ", args));
    }
  }
}
