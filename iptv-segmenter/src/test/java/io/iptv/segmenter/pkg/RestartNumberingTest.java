package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.segmenter.dvr.FileChannelStateStore;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live packager that dies between publishing something and saving its channel state never reuses a media
 * sequence number after the restart: neither a segment written before the crash (a client may have it) nor
 * a Low-Latency part of the segment in progress is overwritten or renumbered, and the restarted playlists
 * still number their segments by position.
 */
class RestartNumberingTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");
  private static final Pattern NUMBERED = Pattern.compile("(?:seg|part)-(\\d+)\\.(?:\\d+\\.)?(?:ts|m4s)");

  private static HlsPackager.Builder live(FileChannelStateStore store, LiveClipFeed.ManualClock clock) {
    return HlsPackager.builder().segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE)
        .listSize(4).segmentRetention(Duration.ofSeconds(3)).stateStore(store, "news").clock(clock);
  }

  @Test
  void crashAfterASegmentWriteDoesNotReuseItsNumber(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    Recording first = new Recording(files);
    HlsPackager a = live(store, clock).build(first);
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    feed.feedLoops(a, 2, clock, EPOCH, 0);
    // the process dies after writing the next segment, before its playlist and state
    first.crashAtPlaylists = true;
    assertThrows(MediaException.class, () -> feed.feedLoops(a, 1, clock, EPOCH, 0));
    long lastPublished = first.highestNumber();
    String unlisted = String.format("stream/seg-%05d.ts", lastPublished);
    assertNotNull(files.get(unlisted), "the segment written before the crash");

    Recording second = new Recording(files);
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).build(second), 3, clock, clock.instant(), 0);
    assertTrue(second.lowestNumber() > lastPublished, "the restart numbers from " + second.lowestNumber()
        + ", after " + lastPublished + " published before the crash");
    second.checkPositionalNumbering("stream/index.m3u8");
    assertNull(files.get(unlisted), "the unlisted segment of the crashed run is deleted after its grace period");
  }

  @Test
  void lowLatencyRestartSkipsTheSegmentWhosePartsWerePublished(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink files = new InMemorySegmentSink();
    Recording first = new Recording(files);
    HlsPackager.Builder ll = live(store, clock).segmentFormat(SegmentFormat.FMP4).partTarget(Duration.ofMillis(300));
    new LiveClipFeed("h264_aac.ts").feedLoops(ll.build(first), 3, clock, EPOCH, 0); // dies mid-segment
    long lastPublished = first.highestNumber();
    assertTrue(first.names.stream().anyMatch(n -> n.contains(String.format("part-%05d.", lastPublished))),
        "parts of the segment in progress were published");

    Recording second = new Recording(files);
    HlsPackager.Builder again = live(store, clock).segmentFormat(SegmentFormat.FMP4)
        .partTarget(Duration.ofMillis(300));
    new LiveClipFeed("h264_aac.ts").feedLoops(again.build(second), 3, clock, clock.instant(), 0);
    assertTrue(second.lowestNumber() > lastPublished, "the restart numbers from " + second.lowestNumber()
        + ", after " + lastPublished + " published before the crash");
    second.checkPositionalNumbering("stream/index.m3u8");
    assertTrue(files.snapshot().keySet().stream().noneMatch(n -> n.contains(String.format("part-%05d.",
        lastPublished))), "the parts of the abandoned segment are deleted after their grace period");
  }

  /** Passes writes to {@code files}, keeps the names and playlist versions, and can fail like a crash. */
  private static final class Recording implements SegmentSink {
    final InMemorySegmentSink files;
    final List<String> names = new ArrayList<>();
    final List<byte[]> playlists = new ArrayList<>();
    boolean crashAtPlaylists;

    Recording(InMemorySegmentSink files) {
      this.files = files;
    }

    @Override
    public void write(String name, ByteSlice bytes) throws IOException {
      if (crashAtPlaylists && name.endsWith(".m3u8")) {
        throw new IOException("crash");
      }
      files.write(name, bytes);
      names.add(name);
      if (name.equals("stream/index.m3u8")) {
        playlists.add(bytes.toByteArray());
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

    long highestNumber() {
      return numbers().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    long lowestNumber() {
      return numbers().stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    /** The media sequence numbers in the names of segments and parts written. */
    List<Long> numbers() {
      List<Long> out = new ArrayList<>();
      for (String n : names) {
        Matcher m = NUMBERED.matcher(n.substring(n.lastIndexOf('/') + 1));
        if (m.matches()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
      return out;
    }

    /** Every version of {@code playlist}: the segment at position i is numbered EXT-X-MEDIA-SEQUENCE + i. */
    void checkPositionalNumbering(String playlist) throws MediaException {
      assertTrue(playlists.size() > 3, "versions of " + playlist);
      for (byte[] text : playlists) {
        MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(text);
        for (int i = 0; i < p.segments().size(); i++) {
          Matcher m = NUMBERED.matcher(p.segments().get(i).uri());
          assertTrue(m.matches(), p.segments().get(i).uri());
          assertEquals(p.mediaSequence() + i, Long.parseLong(m.group(1)), new String(text,
              java.nio.charset.StandardCharsets.UTF_8));
          if (text == playlists.get(playlists.size() - 1)) {
            assertNotNull(files.get(playlist.substring(0, playlist.lastIndexOf('/') + 1) + m.group()));
          }
        }
      }
    }
  }
}
