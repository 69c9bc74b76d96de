package io.iptv.segmenter.dvr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChannelStateStoreTest {
  private static ChannelState state(long next) {
    OffsetDateTime pdt = OffsetDateTime.of(2026, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    RetainedSegment s = new RetainedSegment(next - 2, "seg-" + (next - 2) + ".m4s", 540_000, pdt, false, 0, 1234,
        null);
    RetainedSegment t = new RetainedSegment(next - 1, "seg-" + (next - 1) + ".m4s", 540_000, pdt, true, 0, 1234,
        null, "init-" + (next - 1) + ".mp4"); // after a restart: its own init segment
    return new ChannelState(next, 2, Instant.parse("2026-01-01T10:00:06Z"), Map.of("stream", List.of(s, t)),
        Map.of("stream", List.of("seg-0.m4s")));
  }

  /** Synced (the default) and not: each save replaces the last one whole, and leaves no temporary file. */
  @Test
  void savesReplaceTheStateWholeAndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
    for (FileChannelStateStore store : List.of(FileChannelStateStore.in(dir.resolve("a")),
        FileChannelStateStore.in(dir.resolve("b")).withoutSync())) {
      assertNull(store.load("news"));
      store.save("news", state(10));
      store.save("news", state(11));
      assertEquals(state(11), store.load("news"));
      try (Stream<Path> files = Files.list(store.file("news").getParent())) {
        assertEquals(List.of("news.state"), files.map(f -> f.getFileName().toString()).toList());
      }
    }
  }

  /** A state file written before segments recorded their init segment still loads: they get no map of their own. */
  @Test
  void aStateWithoutInitFieldsLoads(@TempDir Path dir) throws Exception {
    String text = FileChannelStateStore.format(state(10)).replace("|init-9.mp4", "");
    ChannelState old = FileChannelStateStore.parse(new java.io.StringReader(text));
    assertEquals(java.util.Arrays.asList(null, null), old.renditions().get("stream").stream().map(RetainedSegment::initUri)
        .toList());
    assertNull(old.renditions().get("stream").get(1).toMediaSegment().map(), "the packager's default map applies");
    assertEquals("init-9.mp4", state(10).renditions().get("stream").get(1).toMediaSegment().map().uri());
  }

  @Test
  void anInitUriThatLeavesTheRenditionDirectoryIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new RetainedSegment(1,
        "seg-1.m4s", 1, null, false, 0, 1, null, "../other/init.mp4"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new RetainedSegment(1,
        "seg-1.m4s", 1, null, false, 0, 1, null, ".."));
  }
}
