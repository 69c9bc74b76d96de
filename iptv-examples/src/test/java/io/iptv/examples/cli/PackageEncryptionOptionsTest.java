package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code iptv package} encryption options: validation, and keys never echoed or written unless asked. */
class PackageEncryptionOptionsTest {
  private static final String KID = "0123456789abcdef0123456789abcdef";
  private static final String KEY = "3c1f0e2d4b5a69788796a5b4c3d2e1f0";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "--key " + KID + ":" + KEY,                                     // key without --encryption
      "--encryption aes-128",                                         // no key
      "--encryption aes-128 --key " + KID + ":" + KEY + " --key-seed 00112233445566778899aabbccddeeff",
      "--encryption aes-128 --key " + KID + ":" + KEY + " --rotate-every 2", // rotation with one key
      "--encryption aes-128 --key-seed 0011",                         // seed too short
      "--encryption aes-256 --key " + KID + ":" + KEY,
      "--encryption aes-128 --key " + KID + ":" + KEY + " --iv 0x00",
      "--encryption aes-128 --key " + KID + ":" + KEY + " --clear-lead -1",
      "--encryption aes-128 --key " + KID + ":" + KEY + " --iframes",   // byte ranges into ciphertext
      "--encryption aes-128 --key " + KID + ":" + KEY + " --format fmp4 --dash", // DASH cannot signal it
      "--encryption sample-aes",                                      // no key
      "--encryption sample-aes --key " + KID + ":" + KEY + " --format fmp4", // SAMPLE-AES is MPEG-TS only
      "--encryption sample-aes --key " + KID + ":" + KEY + " --iframes",
      "--encryption cenc --key " + KID + ":" + KEY,                     // CENC needs fMP4
      "--encryption cbcs --key " + KID + ":" + KEY + " --format ts",
      "--encryption cenc --format fmp4",                                // no key
      "--encryption cenc --key " + KID + ":" + KEY + " --format fmp4 --iv 000102030405060708090a0b0c0d0e0f",
      "--encryption cbcs --key " + KID + ":" + KEY + " --format fmp4 --iframes",
  })
  void rejectsInconsistentOptions(String options) throws Exception {
    Result r = pack(options.split(" "));
    assertEquals(2, r.code(), r.err());
    assertFalse(Files.exists(dir.resolve("out")), "no output on bad options");
    assertFalse(r.err().contains(KEY), "the key must not be echoed: " + r.err());
  }

  @Test
  void badKeyIsReportedWithoutEchoingIt() throws Exception {
    String badKey = "3c1f0e2d4b5a69788796a5b4c3d2e1zz";
    Result r = pack("--encryption", "aes-128", "--key", KID + ":" + badKey);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(KID), r.err());
    assertFalse(r.err().contains("3c1f0e2d"), r.err());
  }

  @Test
  void writesKeyFilesOnlyWithWriteKeys() throws Exception {
    assertEquals(0, pack("--encryption", "aes-128", "--key", KID + ":" + KEY).code());
    assertFalse(Files.exists(dir.resolve("out/keys")));
    assertTrue(Files.readString(dir.resolve("out/stream/index.m3u8")).contains("METHOD=AES-128"));
    Files.walk(dir.resolve("out")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertEquals(0, pack("--encryption", "aes-128", "--key", KID + ":" + KEY, "--write-keys").code());
    assertEquals(KEY, java.util.HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("out/keys/" + KID + ".key"))));
  }

  @Test
  void sampleAesWithFmp4IsOneLineExit2AndTsIsSignalled() throws Exception {
    Result refused = pack("--encryption", "sample-aes", "--key", KID + ":" + KEY, "--format", "fmp4");
    assertEquals(2, refused.code(), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("--format ts"), refused.err());
    assertEquals(0, pack("--encryption", "sample-aes", "--key", KID + ":" + KEY, "--write-keys").code());
    String playlist = Files.readString(dir.resolve("out/stream/index.m3u8"));
    assertTrue(playlist.contains("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"../keys/" + KID + ".key\",IV=0x"), playlist);
    assertTrue(Files.exists(dir.resolve("out/keys/" + KID + ".key")));
  }

  @Test
  void cencNeedsFmp4AndSaysSoInOneLine() throws Exception {
    Result r = pack("--encryption", "cenc", "--key", KID + ":" + KEY);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--encryption cenc needs --format fmp4"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  private record Result(int code, String err) {}

  private Result pack(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("package", "--input", TestMedia.path("h264_aac.ts").toString(),
        "--output", dir.resolve("out").toString(), "--segment-duration", "1", "--quiet"));
    args.addAll(List.of(options));
    StringWriter err = new StringWriter();
    int code = IptvCommand.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    return new Result(code, err.toString());
  }
}
