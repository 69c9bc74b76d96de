package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.dvr.CatchupEndpoint;
import io.iptv.segmenter.dvr.CatchupPlaylists;
import io.iptv.segmenter.dvr.CatchupRangeException;
import io.iptv.segmenter.dvr.RetainedSegment;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.PlaylistWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live window availability, DVR window and catch-up playlists of {@link HlsPackager}. */
class HlsPackagerDvrTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T10:00:00Z");

  /** A sink that checks, at every playlist write, that no segment listed by this or the previous version is gone. */
  private static final class AvailabilityCheckingSink implements SegmentSink {
    final InMemorySegmentSink files = new InMemorySegmentSink();
    final List<String> problems = new ArrayList<>();
    final Set<String> checkedPlaylists;
    final java.util.Map<String, List<String>> previous = new java.util.HashMap<>();
    int playlistWrites;

    AvailabilityCheckingSink(Set<String> checkedPlaylists) {
      this.checkedPlaylists = checkedPlaylists;
    }

    @Override
    public void write(String name, ByteSlice bytes) {
      files.write(name, bytes);
      if (checkedPlaylists.contains(name)) {
        playlistWrites++;
        String dir = name.substring(0, name.lastIndexOf('/') + 1);
        List<String> listed = new ArrayList<>();
        for (MediaSegment s : parse(bytes).segments()) {
          listed.add(dir + s.uri());
        }
        List<String> all = new ArrayList<>(listed);
        all.addAll(previous.getOrDefault(name, List.of()));
        for (String segment : all) {
          if (files.get(segment) == null) {
            problems.add(segment + " listed by " + name + " (now or in its previous version) is gone");
          }
        }
        previous.put(name, listed);
      }
    }

    @Override
    public void delete(String name) {
      files.delete(name);
    }
  }

  static MediaPlaylist parse(ByteSlice bytes) {
    try {
      return HlsPlaylistParser.builder().build().parseMedia(bytes.toByteArray());
    } catch (io.iptv.core.MediaException e) {
      throw new AssertionError(e);
    }
  }

  private static HlsPackager.Builder live(LiveClipFeed.ManualClock clock) {
    return HlsPackager.builder().segmentDuration(Duration.ofSeconds(1)).playlistType(HlsPlaylistType.LIVE)
        .listSize(3).clock(clock);
  }

  @Test
  void listedSegmentsNeverDisappearWhileTheWindowSlides() throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    AvailabilityCheckingSink sink = new AvailabilityCheckingSink(Set.of("stream/index.m3u8"));
    HlsPackager packager = live(clock).segmentRetention(Duration.ofSeconds(2)).build(sink);
    feed.feedLoops(packager, 8, clock, EPOCH, 0);
    assertTrue(sink.playlistWrites >= 20, "playlist writes: " + sink.playlistWrites);
    assertEquals(List.of(), sink.problems);
    // and the window does slide and delete: old segments are gone
    assertNull(sink.files.get("stream/seg-00000.ts"), sink.files.snapshot().keySet().toString());
    assertTrue(sink.files.snapshot().size() < 3 + 4 + 3, "retention bounded: " + sink.files.snapshot().keySet());
  }

  @Test
  void dvrPlaylistCoversTheDvrWindowAndListsOnlyPresentSegments() throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    AvailabilityCheckingSink sink = new AvailabilityCheckingSink(Set.of("stream/index.m3u8", "stream/dvr.m3u8"));
    HlsPackager packager = live(clock).dvrWindow(Duration.ofSeconds(10)).segmentRetention(Duration.ofSeconds(2))
        .build(sink);
    feed.feedLoops(packager, 10, clock, EPOCH, 0); // 30 s
    assertEquals(List.of(), sink.problems);
    MediaPlaylist dvr = parse(sink.files.get("stream/dvr.m3u8"));
    MediaPlaylist window = parse(sink.files.get("stream/index.m3u8"));
    assertNull(dvr.playlistType(), "a sliding timeshift playlist has no EXT-X-PLAYLIST-TYPE");
    assertFalse(dvr.endList());
    Duration d = dvr.duration();
    assertTrue(d.compareTo(Duration.ofSeconds(10)) >= 0 && d.compareTo(Duration.ofSeconds(12)) < 0,
        "DVR playlist spans " + d);
    assertTrue(dvr.mediaSequence() > 0, "the DVR window slid");
    // the live window is the tail of the DVR window
    List<MediaSegment> tail = dvr.segments().subList(dvr.segments().size() - window.segments().size(),
        dvr.segments().size());
    assertEquals(window.segments().stream().map(MediaSegment::uri).toList(),
        tail.stream().map(MediaSegment::uri).toList());
    assertEquals(window.mediaSequence(), dvr.mediaSequence() + dvr.segments().size() - window.segments().size());
    // segments older than the DVR window plus the grace period are deleted
    assertNull(sink.files.get("stream/" + uriBefore(dvr, 4)), "old segments deleted");
    for (MediaSegment s : dvr.segments()) {
      assertNotNull(s.programDateTime());
    }
    String master = new String(sink.files.get("master-dvr.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertTrue(master.contains("\nstream/dvr.m3u8\n") && master.contains("#EXT-X-STREAM-INF"), master);
  }

  /** The name of the segment {@code back} sequence numbers before the playlist's first. */
  private static String uriBefore(MediaPlaylist p, int back) {
    return String.format("seg-%05d.ts", p.mediaSequence() - back);
  }

  @Test
  void dvrWindowRespectsTheByteBound() throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    AvailabilityCheckingSink sink = new AvailabilityCheckingSink(Set.of("stream/dvr.m3u8"));
    long bound = 300_000;
    HlsPackager packager = live(clock).dvrWindow(Duration.ofSeconds(60)).dvrMaxBytes(bound).build(sink);
    feed.feedLoops(packager, 10, clock, EPOCH, 0);
    assertEquals(List.of(), sink.problems);
    MediaPlaylist dvr = parse(sink.files.get("stream/dvr.m3u8"));
    long bytes = 0;
    for (MediaSegment s : dvr.segments()) {
      bytes += sink.files.get("stream/" + s.uri()).length();
    }
    assertTrue(bytes <= bound, bytes + " > " + bound);
    assertTrue(dvr.segments().size() >= 3, "at least the live window");
    assertTrue(dvr.duration().compareTo(Duration.ofSeconds(25)) < 0, "the byte bound, not the 60 s, decided");
    assertTrue(bytes + sink.files.get("stream/" + uriBefore(dvr, 1)).length() > bound,
        "one more segment would not fit: the window is as large as the bound allows");
    assertEquals(bytes, packager.dvrWindow("stream").bytes());
  }

  @Test
  void catchupListsExactlyTheOverlappingSegmentsAndPlays(@TempDir Path dir) throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager packager = live(clock).dvrWindow(Duration.ofSeconds(20)).build(DirectorySegmentSink.of(dir));
    feed.feedLoops(packager, 10, clock, EPOCH, 0); // 30 s
    CatchupPlaylists catchup = packager.catchupPlaylists();
    List<RetainedSegment> retained = packager.dvrWindow("stream").segments();
    assertTrue(retained.size() >= 20);
    // a range starting inside segment 3 and ending inside segment 9 of the window
    RetainedSegment from = retained.get(3);
    RetainedSegment to = retained.get(9);
    Instant start = from.start().plusMillis(300);
    Instant end = to.start().plusMillis(200);
    MediaPlaylist vod = catchup.playlist("stream", start, end);
    assertEquals(MediaPlaylist.PlaylistType.VOD, vod.playlistType());
    assertTrue(vod.endList());
    List<String> expected = new ArrayList<>();
    for (RetainedSegment s : retained) {
      if (s.start().isBefore(end) && s.end().minusMillis(1).isAfter(start)) {
        expected.add(s.uri());
      }
    }
    assertEquals(expected, vod.segments().stream().map(MediaSegment::uri).toList());
    assertEquals(retained.subList(3, 10).stream().map(RetainedSegment::uri).toList(), expected);
    assertEquals(from.sequence(), vod.mediaSequence());
    // exact boundaries: [start of 3, start of 9) is segments 3..8
    assertEquals(6, catchup.playlist("stream", from.start(), to.start()).segments().size());

    // start-over: no end → EVENT, no ENDLIST, up to the live edge
    MediaPlaylist startOver = catchup.playlist("stream", "start=" + from.start());
    assertEquals(MediaPlaylist.PlaylistType.EVENT, startOver.playlistType());
    assertFalse(startOver.endList());
    assertEquals(retained.size() - 3, startOver.segments().size());
    // an end beyond the newest segment → still growing
    assertEquals(MediaPlaylist.PlaylistType.EVENT, catchup.playlist("stream", start,
        retained.get(retained.size() - 1).end().plusSeconds(30)).playlistType());

    // it decodes without errors
    Path playlist = dir.resolve("stream/catchup-test.m3u8");
    Files.write(playlist, PlaylistWriter.defaults().writeBytes(vod).toByteArray());
    String errors = HlsOutput.ffmpegErrors(playlist);
    assertEquals("", errors.strip(), errors);
    assertEquals(Timestamps.toDuration(sum(retained.subList(3, 10))), vod.duration());
  }

  private static long sum(List<RetainedSegment> segments) {
    long total = 0;
    for (RetainedSegment s : segments) {
      total += s.duration90k();
    }
    return total;
  }

  @Test
  void catchupEndpointAnswersPlaylistsAnd400ForBadRanges() throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager packager = live(clock).build(new InMemorySegmentSink());
    feed.feedLoops(packager, 3, clock, EPOCH, 0);
    CatchupEndpoint endpoint = CatchupEndpoint.builder().channel("news", packager.catchupPlaylists()).build();
    ResourceKey key = ResourceKey.parse("/news/stream/catchup.m3u8");
    RetainedSegment first = packager.dvrWindow("stream").segments().get(0);
    HttpResponse ok = endpoint.intercept(request("start=" + first.start().toString().replace(":", "%3A")
        + "&end=" + first.end()), key);
    assertEquals(200, ok.status(), () -> new String(ok.body().toByteArray(), StandardCharsets.UTF_8));
    String text = new String(ok.body().toByteArray(), StandardCharsets.UTF_8);
    assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.contains("#EXT-X-ENDLIST")
        && text.contains(first.uri()), text);
    for (String bad : new String[] {"", "end=" + first.end(), "start=yesterday", "start=" + first.end()
        + "&end=" + first.start(), "start=" + EPOCH.plusSeconds(3600), "start=" + first.start() + "&start="
        + first.start()}) {
      assertEquals(400, endpoint.intercept(request(bad), key).status(), bad);
    }
    assertEquals(404, endpoint.intercept(request("start=" + EPOCH.minusSeconds(600) + "&end="
        + EPOCH.minusSeconds(500)), key).status());
    assertEquals(404, endpoint.intercept(request("start=" + first.start()),
        ResourceKey.parse("/news/other/catchup.m3u8")).status());
    assertNull(endpoint.intercept(request(""), ResourceKey.parse("/news/stream/index.m3u8")),
        "other resources proceed");
    assertThrows(CatchupRangeException.class, () -> packager.catchupPlaylists().playlist("stream",
        first.end(), first.start()));
  }

  @Test
  void originHandlerServesCatchupThroughTheEndpoint(@TempDir Path dir) throws Exception {
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager packager = live(clock).dvrWindow(Duration.ofSeconds(30)).build(DirectorySegmentSink.of(dir));
    feed.feedLoops(packager, 3, clock, EPOCH, 0);
    io.iptv.core.serve.OriginHandler origin = io.iptv.core.serve.OriginHandler.builder(
        io.iptv.core.serve.DirectoryResourceLoader.builder().channel("news", dir).build())
        .interceptor(CatchupEndpoint.builder().channel("news", packager.catchupPlaylists()).build())
        .executor(Runnable::run)
        .build();
    RetainedSegment second = packager.dvrWindow("stream").segments().get(1);
    HttpResponse ok = origin.handle(new HttpRequest("GET", "/news/stream/catchup.m3u8", "start=" + second.start()
        + "&end=" + second.end(), RequestHeaders.none(), null, false, ByteSlice.empty())).get();
    String body = new String(ok.body().toByteArray(), StandardCharsets.UTF_8);
    assertEquals(200, ok.status(), body);
    assertTrue(body.contains(second.uri()) && body.contains("#EXT-X-ENDLIST"), body);
    assertEquals(1, parse(ok.body()).segments().size());
    assertEquals(400, origin.handle(new HttpRequest("GET", "/news/stream/catchup.m3u8", "start=nope",
        RequestHeaders.none(), null, false, ByteSlice.empty())).get().status());
    // the listed segment is served by the same origin
    assertEquals(200, origin.handle(HttpRequest.get("/news/stream/" + second.uri())).get().status());
    assertEquals(200, origin.handle(HttpRequest.get("/news/stream/dvr.m3u8")).get().status());
  }

  @Test
  void hlsJsPlaysACatchupRangeServedByTheOrigin(@TempDir Path dir) throws Exception {
    io.iptv.core.testing.PlayerCheck check = io.iptv.core.testing.PlayerCheck.require();
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    HlsPackager packager = live(clock).dvrWindow(Duration.ofSeconds(30)).build(DirectorySegmentSink.of(dir));
    feed.feedLoops(packager, 8, clock, EPOCH, 0); // 24 s
    List<RetainedSegment> retained = packager.dvrWindow("stream").segments();
    String range = "start=" + retained.get(2).start() + "&end=" + retained.get(14).start();
    CatchupEndpoint endpoint = CatchupEndpoint.builder().channel("news", packager.catchupPlaylists()).build();
    try (io.iptv.core.testing.LocalOrigin origin = io.iptv.core.testing.LocalOrigin.serve("news", dir, endpoint)) {
      io.iptv.core.testing.PlayerCheck.Result result = check.play(io.iptv.core.testing.PlayerCheck.Run.builder(
          io.iptv.core.testing.PlayerCheck.Player.HLS_JS, origin.url("stream/catchup.m3u8") + "?" + range)
          .seconds(10).build());
      assertTrue(result.ok(), result.json());
    }
  }

  private static HttpRequest request(String query) {
    return new HttpRequest("GET", "/news/stream/catchup.m3u8", query.isEmpty() ? null : query,
        RequestHeaders.none(), null, false, ByteSlice.empty());
  }

  @Test
  void sourceResetBecomesADiscontinuity() throws Exception {
    // the same clip twice: timestamps jump back (an encoder restart)
    byte[] clip = io.iptv.core.testing.TestMedia.bytes("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(10).clock(clock).build(sink);
    io.iptv.segmenter.ts.TsDemuxer demuxer = io.iptv.segmenter.ts.TsDemuxer.builder().build(packager);
    demuxer.feed(clip, 0, clip.length);
    demuxer.feed(clip, 0, clip.length);
    demuxer.finish();
    MediaPlaylist p = parse(sink.get("stream/index.m3u8"));
    long discontinuities = p.segments().stream().filter(MediaSegment::discontinuity).count();
    assertEquals(1, discontinuities, new String(sink.get("stream/index.m3u8").toByteArray(),
        StandardCharsets.UTF_8));
    assertEquals(6, p.segments().size());
    assertTrue(p.segments().get(3).discontinuity());
    Set<String> names = new HashSet<>();
    p.segments().forEach(s -> assertTrue(names.add(s.uri()), "unique names"));
  }

  @Test
  void sampleFeedWhoseTimestampsJumpBackBecomesADiscontinuity() throws Exception {
    // samples fed directly (no demuxer to detect the jump): the clip twice with the same timestamps
    LiveClipFeed feed = new LiveClipFeed("h264_aac.ts");
    LiveClipFeed.ManualClock clock = new LiveClipFeed.ManualClock(EPOCH);
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(10).clock(clock).build(sink);
    feed.feedLoops(packager, 1, clock, EPOCH, 0);
    for (io.iptv.core.media.MediaSample s : feed.samples) {
      packager.emit(s);
    }
    packager.finish();
    MediaPlaylist p = parse(sink.get("stream/index.m3u8"));
    assertEquals(1, p.segments().stream().filter(MediaSegment::discontinuity).count(),
        new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8));
    assertTrue(p.segments().get(3).discontinuity());
    assertEquals(6, p.segments().size());
    for (MediaSegment s : p.segments()) {
      assertTrue(s.duration().compareTo(Duration.ofMillis(900)) > 0 && s.duration().compareTo(Duration.ofMillis(
          1100)) < 0, s.toString());
    }
  }

}
