package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.testing.TestMedia;
import io.iptv.drm.DrmSignalling;
import io.iptv.drm.DrmSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code iptv package --drm}: parsed into DRM systems and a {@link DrmSignalling}; bad names exit 2. */
class PackageDrmOptionsTest {
  @TempDir
  Path dir;

  private static PackageCommand parse(String... drmOptions) {
    PackageCommand command = new PackageCommand();
    List<String> args = new ArrayList<>(List.of("--input", "in.ts", "--output", "out"));
    args.addAll(List.of(drmOptions));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command;
  }

  @Test
  void parsesCommaSeparatedAndRepeatedNames() throws Exception {
    PackageCommand command = parse("--drm", "clearkey,Widevine", "--drm", "playready");
    assertEquals(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY), command.drmSystems());
    DrmSignalling signalling = command.drmSignalling(SampleEncryptionScheme.CENC);
    assertEquals(List.of(DrmSystem.CLEARKEY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY), signalling.systems());
    assertNull(parse().drmSignalling(SampleEncryptionScheme.CBCS));
  }

  @Test
  void refusesSystemsThatCannotCarryTheScheme() throws Exception {
    BadInputException e = assertThrows(BadInputException.class,
        () -> parse("--drm", "fairplay").drmSignalling(SampleEncryptionScheme.CENC));
    assertTrue(e.getMessage().contains("fairplay"), e.getMessage());
    assertThrows(BadInputException.class, () -> parse("--drm", "widevine").drmSignalling(SampleEncryptionScheme.SAMPLE_AES));
    assertEquals(List.of(DrmSystem.FAIRPLAY), parse("--drm", "fairplay").drmSignalling(SampleEncryptionScheme.CBCS)
        .systems());
  }

  @Test
  void unknownOrRepeatedNamesAndDrmWithoutSampleEncryptionExit2() throws Exception {
    for (String[] options : List.of(new String[] {"--drm", "primetime"}, new String[] {"--drm", "widevine,widevine"},
        new String[] {"--drm", "widevine"}, new String[] {"--drm", "clearkey", "--encryption", "aes-128", "--key",
            "0123456789abcdef0123456789abcdef:3c1f0e2d4b5a69788796a5b4c3d2e1f0"})) {
      List<String> args = new ArrayList<>(List.of("package", "--input", TestMedia.path("h264_aac.ts").toString(),
          "--output", dir.resolve("out").toString(), "--quiet"));
      args.addAll(List.of(options));
      StringWriter err = new StringWriter();
      int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
          new PrintWriter(err));
      assertEquals(2, code, String.join(" ", options) + ": " + err);
      assertTrue(err.toString().contains("--drm"), err.toString());
      assertFalse(Files.exists(dir.resolve("out")));
    }
  }
}
