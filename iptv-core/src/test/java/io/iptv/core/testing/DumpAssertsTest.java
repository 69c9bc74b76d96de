package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class DumpAssertsTest {
  @Test
  void verifiesAgainstGolden(@TempDir Path module) throws Exception {
    assumeFalse(DumpAsserts.updating(), "verify mode only");
    Path golden = module.resolve("src/test/resources/dumps/x.dump");
    Files.createDirectories(golden.getParent());
    Files.writeString(golden, "a\r\nb\n");

    assertDoesNotThrow(() -> DumpAsserts.assertMatchesGolden(module, "dumps/x.dump", "a\nb"));
    AssertionFailedError error = assertThrows(AssertionFailedError.class,
        () -> DumpAsserts.assertMatchesGolden(module, "dumps/x.dump", "a\nc\n"));
    assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    assertEquals("a\nc\n", Files.readString(module.resolve("target/goldens-actual/dumps/x.dump")));
  }

  @Test
  void missingGoldenFails(@TempDir Path module) {
    assumeFalse(DumpAsserts.updating(), "verify mode only");
    assertThrows(AssertionFailedError.class, () -> DumpAsserts.assertMatchesGolden(module, "none.dump", "x"));
  }
}
