package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.segmenter.dvr.FileChannelStateStore;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import io.iptv.segmenter.hls.PartialSegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live CMAF packager restarted on the same {@link FileChannelStateStore} and sink continues the channel:
 * Low-Latency parts are numbered from the restored media sequence.
 */
class CmafRestartTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration PART_TARGET = Duration.ofMillis(300);
  private static final Pattern PART = Pattern.compile("part-(\\d+)\\.\\d+\\.m4s");

  private static HlsPackager.Builder live(FileChannelStateStore store, LiveClipFeed.ManualClock clock) {
    return HlsPackager.builder().segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE)
        .listSize(4).segmentFormat(SegmentFormat.FMP4).stateStore(store, "news").clock(clock);
  }

  @Test
  void lowLatencyPartsContinueTheRestoredNumbering(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).partTarget(PART_TARGET).build(files), 3, clock,
        EPOCH, 0);
    long restoredNext = store.load("news").nextMediaSequence();
    assertTrue(restoredNext > 6, "the first run numbered past the first few segments: " + restoredNext);

    VersionSink second = new VersionSink(files, "stream/index.m3u8");
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).partTarget(PART_TARGET).build(second), 2, clock,
        clock.instant(), 0);
    int newSegmentsWithParts = 0;
    for (String text : second.versions) {
      LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(text);
      for (Map.Entry<Long, List<PartialSegment>> e : ll.parts().entrySet()) {
        long msn = e.getKey();
        assertTrue(msn >= restoredNext, "only the new run's segments have parts, msn " + msn + ":\n" + text);
        for (PartialSegment p : e.getValue()) {
          assertEquals(msn, msnOf(p.uri()), "part " + p.uri() + " listed under msn " + msn + ":\n" + text);
          assertNotNull(files.get("stream/" + p.uri()), p.uri());
        }
      }
      if (ll.preloadHintUri() != null) {
        long hinted = msnOf(ll.preloadHintUri());
        assertTrue(hinted == ll.nextMediaSequence() || hinted == ll.nextMediaSequence() + 1,
            "hint " + ll.preloadHintUri() + ":\n" + text);
      }
    }
    LowLatencyPlaylist last = LowLatencyPlaylistParser.parse(second.versions.get(second.versions.size() - 1));
    for (long msn = last.base().mediaSequence(); msn < last.nextMediaSequence(); msn++) {
      if (msn >= restoredNext + 2) { // the first new segments, cut before the CMAF track existed, have none
        assertTrue(last.parts().containsKey(msn), "parts of msn " + msn + " listed:\n" + second.versions.get(
            second.versions.size() - 1));
        newSegmentsWithParts++;
      }
    }
    assertTrue(newSegmentsWithParts >= 2, "new segments with parts: " + newSegmentsWithParts);
  }

  /** The parent Media Sequence Number in a part's name ({@code part-SEQUENCE.INDEX.m4s}). */
  private static long msnOf(String partUri) {
    Matcher m = PART.matcher(partUri);
    assertTrue(m.matches(), partUri);
    return Long.parseLong(m.group(1));
  }

  /** Passes writes to {@code files} and keeps every version of one playlist. */
  private static final class VersionSink implements SegmentSink {
    final InMemorySegmentSink files;
    final String playlist;
    final List<String> versions = new ArrayList<>();

    VersionSink(InMemorySegmentSink files, String playlist) {
      this.files = files;
      this.playlist = playlist;
    }

    @Override
    public void write(String name, ByteSlice bytes) {
      files.write(name, bytes);
      if (name.equals(playlist)) {
        versions.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      }
    }

    @Override
    public void delete(String name) {
      files.delete(name);
    }

    @Override
    public boolean exists(String name) {
      return files.exists(name);
    }
  }
}
