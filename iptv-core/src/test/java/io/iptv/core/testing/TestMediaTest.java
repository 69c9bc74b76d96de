package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TestMediaTest {
  @Test
  void clipListMatchesTheDirectory() throws Exception {
    // The source directory, not target/test-classes (which keeps deleted clips until `mvn clean`).
    Path dir = DumpAsserts.moduleDir().resolve("src/test/resources/" + TestMedia.TS_RESOURCE_DIR);
    List<String> onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".ts") || n.endsWith(".m2ts")).sorted().toList();
    }
    assertEquals(onDisk, TestMedia.TS_CLIPS.stream().sorted().toList());
  }

  @Test
  void bytesAndPathAgree() throws Exception {
    assertArrayEquals(Files.readAllBytes(TestMedia.path("h264_mp2.ts")), TestMedia.bytes("h264_mp2.ts"));
  }

  @Test
  void unknownClipIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> TestMedia.bytes("nope.ts"));
  }
}
