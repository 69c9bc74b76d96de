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
    RetainedSegment s = new RetainedSegment(next - 1, "seg-" + (next - 1) + ".ts", 540_000, pdt, false, 0, 1234,
        null);
    return new ChannelState(next, 2, Instant.parse("2026-01-01T10:00:06Z"), Map.of("stream", List.of(s)),
        Map.of("stream", List.of("seg-0.ts")));
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
}
