package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.segmenter.dvr.ChannelState;
import io.iptv.segmenter.dvr.FileChannelStateStore;
import io.iptv.segmenter.dvr.RetainedSegment;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live packager restarted on the same {@link FileChannelStateStore} and output continues the channel. */
class HlsPackagerRestartTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");

  /** Records every version of the media playlist and checks the listed segments exist on disk then. */
  private static final class CheckingSink implements SegmentSink {
    final DirectorySegmentSink files;
    final List<MediaPlaylist> versions = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    CheckingSink(Path root) {
      files = DirectorySegmentSink.of(root);
    }

    @Override
    public void write(String name, ByteSlice bytes) throws IOException {
      files.write(name, bytes);
      if (name.equals("stream/index.m3u8")) {
        MediaPlaylist p;
        try {
          p = HlsPlaylistParser.builder().build().parseMedia(bytes.toByteArray());
        } catch (io.iptv.core.MediaException e) {
          throw new IOException(e);
        }
        versions.add(p);
        for (MediaSegment s : p.segments()) {
          if (!Files.exists(files.root().resolve("stream").resolve(s.uri()))) {
            problems.add(s.uri() + " listed but missing");
          }
        }
      }
    }

    @Override
    public void delete(String name) throws IOException {
      files.delete(name);
    }

    @Override
    public boolean exists(String name) {
      return files.exists(name);
    }
  }

  private static HlsPackager.Builder live(FileChannelStateStore store, LiveClipFeed.ManualClock clock) {
    return HlsPackager.builder().segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE)
        .listSize(4).segmentRetention(Duration.ofSeconds(3)).stateStore(store, "news").clock(clock);
  }

  @Test
  void restartContinuesNumberingRelistsSegmentsAndMarksTheJunction(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir.resolve("state"));
    Path out = dir.resolve("out");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);

    // first run: 4 loops (12 s), then the process "dies" (no finish())
    CheckingSink first = new CheckingSink(out);
    HlsPackager a = live(store, clock).build(first);
    new LiveClipFeed("h264_aac.ts").feedLoops(a, 4, clock, EPOCH, 0);
    MediaPlaylist before = first.versions.get(first.versions.size() - 1);
    MediaSegment lastBefore = before.segments().get(before.segments().size() - 1);
    long lastSequence = before.mediaSequence() + before.segments().size() - 1;
    ChannelState saved = store.load("news");
    assertNotNull(saved);
    assertEquals(lastSequence + 1, saved.nextMediaSequence());
    assertTrue(Files.exists(store.file("news")));

    // second run: a new packager, a new encoder whose timestamps restart elsewhere; the wall clock went on
    Instant restartedAt = clock.instant().plusSeconds(5);
    LiveClipFeed.ManualClock clock2 = new LiveClipFeed.ManualClock(restartedAt);
    CheckingSink second = new CheckingSink(out);
    HlsPackager b = live(store, clock2).build(second);
    LiveClipFeed feed2 = new LiveClipFeed("h264_aac.ts");
    feed2.feedLoops(b, 1, clock2, restartedAt, -5_000_000L);
    // the output decodes across the junction (a finished copy: ffmpeg would keep reloading a live playlist)
    Path decode = out.resolve("stream/junction-test.m3u8");
    MediaPlaylist now = second.versions.get(second.versions.size() - 1);
    assertTrue(now.segments().stream().anyMatch(MediaSegment::discontinuity));
    Files.write(decode, io.iptv.segmenter.hls.PlaylistWriter.defaults().writeBytes(now.toBuilder().endList(true)
        .build()).toByteArray());
    // ffmpeg's HLS demuxer ignores EXT-X-DISCONTINUITY, so its null muxer complains that the timestamps go back
    // at the junction; that is the expected discontinuity, not a decoding error. Anything else fails.
    String errors = HlsOutput.ffmpegErrors(decode).lines()
        .filter(l -> !l.contains("non monotonically increasing dts to muxer")).collect(Collectors.joining("\n"));
    assertEquals("", errors.strip());
    feed2.feedLoops(b, 3, clock2, restartedAt, -5_000_000L);

    assertEquals(List.of(), first.problems);
    assertEquals(List.of(), second.problems);
    MediaPlaylist junction = second.versions.get(0);
    // the still-present segments are listed again, followed by the new one after a discontinuity
    int n = junction.segments().size();
    assertEquals(4, n);
    MediaSegment firstNew = junction.segments().get(n - 1);
    assertTrue(firstNew.discontinuity(), "EXT-X-DISCONTINUITY at the junction");
    assertEquals(lastBefore.uri(), junction.segments().get(n - 2).uri());
    assertFalse(junction.segments().get(n - 2).discontinuity());
    assertEquals(lastSequence + 1, junction.mediaSequence() + n - 1, "numbering continues");
    assertEquals(String.format("seg-%05d.ts", lastSequence + 1), firstNew.uri());
    assertEquals(before.mediaSequence() + 1, junction.mediaSequence());
    assertEquals(0, junction.discontinuitySequence());
    assertTrue(!firstNew.programDateTime().toInstant().isBefore(lastBefore.programDateTime().toInstant()
        .plus(lastBefore.duration()).minusMillis(1)), "PROGRAM-DATE-TIME does not go back");
    // as the junction leaves the window the discontinuity sequence counts it
    for (MediaPlaylist p : second.versions) {
      boolean junctionListed = p.segments().stream().anyMatch(s -> s.uri().equals(firstNew.uri()));
      boolean junctionLeft = p.mediaSequence() > lastSequence + 1;
      assertEquals(junctionLeft ? 1 : 0, p.discontinuitySequence(), "playlist at " + p.mediaSequence());
      assertTrue(junctionListed || junctionLeft);
    }
    MediaPlaylist last = second.versions.get(second.versions.size() - 1);
    assertTrue(last.mediaSequence() > lastSequence + 1, "the junction left the window");
    // old segments of the first run are eventually deleted, those in their grace period at the stop too: every
    // segment file left is listed or still in its grace period
    assertFalse(Files.exists(out.resolve("stream").resolve(before.segments().get(0).uri())));
    java.util.Set<String> allowed = new java.util.HashSet<>(b.dvrWindow("stream").expiring());
    last.segments().forEach(s -> allowed.add(s.uri()));
    try (java.util.stream.Stream<Path> files = Files.list(out.resolve("stream"))) {
      List<String> orphans = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ts"))
          .filter(f -> !allowed.contains(f)).toList();
      assertEquals(List.of(), orphans);
    }
    assertFalse(saved.expiring().get("stream").isEmpty(), "the first run stopped with segments in grace");
  }

  @Test
  void segmentsLostWhileDownAreNotListedAgain(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir.resolve("state"));
    Path out = dir.resolve("out");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    CheckingSink first = new CheckingSink(out);
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).build(first), 3, clock, EPOCH, 0);
    MediaPlaylist before = first.versions.get(first.versions.size() - 1);
    // the second of the four listed segments vanished while the packager was down
    Files.delete(out.resolve("stream").resolve(before.segments().get(1).uri()));
    CheckingSink second = new CheckingSink(out);
    new LiveClipFeed("h264_aac.ts").feedLoops(live(store, clock).build(second), 1, clock, clock.instant(), 0);
    assertEquals(List.of(), second.problems, "no listed segment is missing");
    MediaPlaylist junction = second.versions.get(0);
    assertEquals(List.of(before.segments().get(2).uri(), before.segments().get(3).uri()),
        junction.segments().subList(0, 2).stream().map(MediaSegment::uri).toList());
    assertEquals(before.mediaSequence() + 2, junction.mediaSequence());
  }

  @Test
  void restoredAndTimeshiftEntriesKeepTheirKeys(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir.resolve("state"));
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink sink = new InMemorySegmentSink();
    // a stand-in for AES-128: the protection is what the playlists must carry (bytes stay clear here)
    io.iptv.core.pipeline.SegmentTransform keyed = (context, bytes) -> new io.iptv.core.pipeline.TransformedSegment(
        bytes, new io.iptv.core.pipeline.SegmentProtection("AES-128", "keys/k" + context.sequence() / 4 + ".key",
            null, null, null));
    HlsPackager a = live(store, clock).dvrWindow(Duration.ofSeconds(20)).segmentTransform(keyed).build(sink);
    new LiveClipFeed("h264_aac.ts").feedLoops(a, 3, clock, EPOCH, 0);
    List<RetainedSegment> before = a.dvrWindow("stream").segments();
    assertTrue(before.stream().allMatch(s -> s.key() != null && s.key().uri().startsWith("../keys/k")));
    HlsPackager b = live(store, clock).dvrWindow(Duration.ofSeconds(20)).segmentTransform(keyed).build(sink);
    new LiveClipFeed("h264_aac.ts").feedLoops(b, 1, clock, clock.instant(), 0);
    assertEquals(before, b.dvrWindow("stream").segments().subList(0, before.size()), "restored with their keys");
    String dvr = new String(sink.get("stream/dvr.m3u8").toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    MediaPlaylist parsed = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/dvr.m3u8").toByteArray());
    assertTrue(parsed.segments().stream().allMatch(s -> s.key() != null), dvr);
    MediaPlaylist live = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
    assertTrue(live.segments().stream().allMatch(s -> s.key() != null));
  }

  @Test
  void eventPlaylistRestartKeepsEverySegment(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir.resolve("state"));
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager.Builder event = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.EVENT).stateStore(store, "show").clock(clock);
    new LiveClipFeed("h264_aac.ts").feedLoops(event.build(sink), 2, clock, EPOCH, 0);
    HlsPackager second = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.EVENT).stateStore(store, "show").clock(clock).build(sink);
    new LiveClipFeed("h264_aac.ts").feedLoops(second, 2, clock, clock.instant(), 0);
    second.finish();
    MediaPlaylist p = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8").toByteArray());
    assertEquals(MediaPlaylist.PlaylistType.EVENT, p.playlistType());
    assertEquals(0, p.mediaSequence());
    assertEquals(1, p.segments().stream().filter(MediaSegment::discontinuity).count());
    for (int i = 0; i < p.segments().size(); i++) {
      assertEquals(String.format("seg-%05d.ts", i), p.segments().get(i).uri());
      assertNotNull(sink.get("stream/" + p.segments().get(i).uri()));
    }
    assertTrue(p.segments().size() >= 10, "both runs listed: " + p.segments().size());
  }

  @Test
  void stateRoundTripsThroughTheFile(@TempDir Path dir) throws Exception {
    FileChannelStateStore store = FileChannelStateStore.in(dir);
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager p = live(store, clock).build(new InMemorySegmentSink());
    new LiveClipFeed("h264_aac.ts").feedLoops(p, 2, clock, EPOCH, 0);
    ChannelState state = store.load("news");
    assertEquals(p.dvrWindow("stream").segments(), state.renditions().get("stream"));
    store.save("copy", state);
    assertEquals(state, store.load("copy"));
    Files.writeString(store.file("broken"), "version=1\nnextMediaSequence=x\n");
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> store.load("broken"));
    assertEquals(null, store.load("never"));
  }
}
