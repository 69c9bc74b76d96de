package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ServedResource;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.dvr.ChannelState;
import io.iptv.segmenter.dvr.FileChannelStateStore;
import io.iptv.segmenter.dvr.RetainedSegment;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline rebuild of a {@link LiveChannel} (input the demuxer cannot survive) keeps the channel's windows
 * (issue #8): the live and DVR playlists list the earlier segments again, numbering continues, one
 * EXT-X-DISCONTINUITY marks the junction, and no segment listed before the rebuild disappears while a window
 * still lists it. Retirement timers run at once here, so anything the rebuild hands to them is gone.
 */
class PipelineRebuildWindowsTest {
  private static final Pattern NUMBER = Pattern.compile("seg-(\\d+)\\.(ts|m4s)");
  private static final Pattern PART = Pattern.compile("part-(\\d+)\\.(\\d+)\\.m4s");
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  /** Runs every delayed task (retirement of a rebuilt pipeline's leftovers) without its delay. */
  private final ScheduledThreadPoolExecutor immediateTimers = new ScheduledThreadPoolExecutor(1) {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return super.schedule(command, 0, unit);
    }
  };
  private LivePackager live;

  @AfterEach
  void tearDown() {
    if (live != null) {
      live.close();
    }
    pool.shutdownNow();
    immediateTimers.shutdownNow();
  }

  @Test
  void aRebuildKeepsTheLiveAndDvrWindows() throws Exception {
    live = LivePackager.builder().executor(pool).scheduler(immediateTimers).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build();
    // "wide" lists everything in its live window too; "narrow" (3 segments) slides the junction out of it
    LiveChannel wide = live.openChannel("wide", ChannelConfig.builder().listSize(40)
        .packagerOptions(b -> b.dvrWindow(Duration.ofMinutes(10))).build());
    LiveChannel narrow = live.openChannel("narrow", ChannelConfig.builder().listSize(3)
        .packagerOptions(b -> b.dvrWindow(Duration.ofMinutes(10))).build());
    List<LiveChannel> channels = List.of(wide, narrow);
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    for (int i = 0; i < 3; i++) { // 3 s clips, timestamps jumping back each time: discontinuities of the source
      feedAll(channels, clip);
    }
    awaitProcessed(channels);

    List<MediaPlaylist> dvrBefore = new ArrayList<>();
    for (LiveChannel c : channels) {
      MediaPlaylist dvr = playlist(c, "stream/dvr.m3u8");
      assertTrue(dvr.segments().size() >= 6, dvr.toString());
      assertEquals(0, c.statistics().pipelineRestarts());
      dvrBefore.add(dvr);
    }
    Set<String> listedBefore = new LinkedHashSet<>();
    for (LiveChannel c : channels) {
      listedBefore.addAll(paths(c, playlist(c, "stream/dvr.m3u8")));
      listedBefore.addAll(paths(c, playlist(c, "stream/index.m3u8")));
    }
    Map<String, String> published = etags(channels);

    // 1.5 MiB without a sync byte: the demuxer gives up after 1 MiB, the pipeline is rebuilt once
    byte[] noise = new byte[1316];
    Random random = new Random(11);
    for (int i = 0; i < (3 << 19) / noise.length; i++) {
      random.nextBytes(noise);
      for (int k = 0; k < noise.length; k++) {
        noise[k] = noise[k] == 0x47 ? 0x46 : noise[k];
      }
      for (LiveChannel c : channels) {
        c.feed(noise, 0, noise.length);
      }
    }
    awaitProcessed(channels);
    for (LiveChannel c : channels) {
      assertEquals(1, c.statistics().pipelineRestarts(), c.statistics().toString());
    }
    for (int i = 0; i < 3; i++) {
      feedAll(channels, clip);
    }
    awaitProcessed(channels);

    for (int n = 0; n < channels.size(); n++) {
      LiveChannel c = channels.get(n);
      MediaPlaylist before = dvrBefore.get(n);
      MediaPlaylist dvr = playlist(c, "stream/dvr.m3u8");
      MediaPlaylist index = playlist(c, "stream/index.m3u8");
      assertEquals(1, c.statistics().pipelineRestarts(), c.statistics().toString());
      // the DVR window still starts with the first segment and lists every earlier one in place
      assertEquals(before.mediaSequence(), dvr.mediaSequence(), dvr.toString());
      assertEquals(before.discontinuitySequence(), dvr.discontinuitySequence());
      assertTrue(dvr.segments().size() >= before.segments().size() + 6, dvr.toString());
      assertEquals(before.segments(), dvr.segments().subList(0, before.segments().size()), dvr.toString());
      numberedByPosition(dvr);
      numberedByPosition(index);
      // the segment in progress at the rebuild was published (no discontinuity: same source timeline), then
      // the junction carries a discontinuity; besides it only the source's (2 clip restarts per run)
      int flushed = before.segments().size();
      assertFalse(dvr.segments().get(flushed).discontinuity(), dvr.toString());
      assertTrue(dvr.segments().get(flushed + 1).discontinuity(), dvr.toString());
      assertFalse(dvr.segments().get(flushed + 2).discontinuity(), dvr.toString());
      assertEquals(2, discontinuities(before), before.toString());
      assertEquals(2 + 1 + 2, discontinuities(dvr), dvr.toString());
      // the live window is the newest listSize of the DVR window, with the discontinuity sequence it implies
      List<MediaSegment> all = dvr.segments();
      int from = all.size() - index.segments().size();
      assertEquals(all.subList(from, all.size()), index.segments(), index.toString());
      assertEquals(dvr.discontinuitySequence() + discontinuities(all.subList(0, from)),
          index.discontinuitySequence(), index.toString());
      // every listed segment loads
      for (MediaSegment s : dvr.segments()) {
        assertNotNull(c.load(ResourceKey.of(c.name(), "stream/" + s.uri())), s.uri());
      }
      // catch-up over the range before the rebuild answers those segments
      MediaSegment first = before.segments().get(0);
      MediaSegment last = before.segments().get(before.segments().size() - 1);
      MediaPlaylist catchup = c.catchupPlaylists().playlist("stream", first.programDateTime().toInstant(),
          last.programDateTime().toInstant().plus(last.duration()));
      assertEquals(before.segments().stream().map(MediaSegment::uri).toList(),
          catchup.segments().stream().map(MediaSegment::uri).toList(), catchup.toString());
    }
    MediaPlaylist wideIndex = playlist(wide, "stream/index.m3u8");
    assertEquals(dvrBefore.get(0).segments(), wideIndex.segments().subList(0, dvrBefore.get(0).segments().size()),
        "the wide live window keeps the earlier segments: " + wideIndex);
    MediaPlaylist narrowIndex = playlist(narrow, "stream/index.m3u8");
    MediaPlaylist narrowBefore = dvrBefore.get(1);
    long junction = narrowBefore.mediaSequence() + narrowBefore.segments().size() + 1;
    assertTrue(narrowIndex.mediaSequence() > junction, narrowIndex.toString());
    assertTrue(narrowIndex.discontinuitySequence() >= discontinuities(narrowBefore) + 1,
        "the junction slid out of the narrow live window and is counted: " + narrowIndex);
    // a segment listed before the rebuild is still there (all are in the 10 min DVR windows)
    for (String path : listedBefore) {
      String[] p = path.split(":", 2);
      assertNotNull(live.load(ResourceKey.of(p[0], p[1])), path);
    }
    neverOverwritten(published, channels);
  }

  @Test
  void aLowLatencyCmafChannelContinuesAfterARebuild() throws Exception {
    live = LivePackager.builder().executor(pool).scheduler(immediateTimers).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).segmentFormat(io.iptv.segmenter.pkg.SegmentFormat.FMP4)
        .build();
    LiveChannel ll = live.openChannel("ll", ChannelConfig.builder().listSize(20)
        .packagerOptions(b -> b.dvrWindow(Duration.ofMinutes(10)).partTarget(Duration.ofMillis(500))).build());
    List<LiveChannel> channels = List.of(ll);
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    feedAll(channels, clip);
    feedAll(channels, clip);
    awaitProcessed(channels);
    MediaPlaylist before = playlist(ll, "stream/dvr.m3u8");
    assertTrue(before.segments().size() >= 4, before.toString());
    String indexBefore = LiveChannelTest.text(ll, "stream/index.m3u8");
    Matcher openParts = PART.matcher(indexBefore);
    long openSegment = -1;
    while (openParts.find()) {
      openSegment = Math.max(openSegment, Long.parseLong(openParts.group(1)));
    }
    long next = before.mediaSequence() + before.segments().size();
    assertEquals(next, openSegment, "parts of the segment in progress are published: " + indexBefore);
    Map<String, String> published = etags(channels);

    byte[] noise = new byte[1316];
    Random random = new Random(5);
    for (int i = 0; i < (3 << 19) / noise.length; i++) {
      random.nextBytes(noise);
      for (int k = 0; k < noise.length; k++) {
        noise[k] = noise[k] == 0x47 ? 0x46 : noise[k];
      }
      ll.feed(noise, 0, noise.length);
    }
    awaitProcessed(channels);
    assertEquals(1, ll.statistics().pipelineRestarts(), ll.statistics().toString());
    feedAll(channels, clip);
    feedAll(channels, clip);
    awaitProcessed(channels);
    assertEquals(1, ll.statistics().pipelineRestarts(), ll.statistics().toString());

    MediaPlaylist dvr = playlist(ll, "stream/dvr.m3u8");
    String indexText = LiveChannelTest.text(ll, "stream/index.m3u8");
    MediaPlaylist index = playlist(ll, "stream/index.m3u8");
    // the window goes on: the earlier segments, the one whose parts were in progress (now complete), the junction
    assertEquals(before.segments(), dvr.segments().subList(0, before.segments().size()), dvr.toString());
    assertEquals("seg-%05d.m4s".formatted(next), dvr.segments().get(before.segments().size()).uri());
    assertFalse(dvr.segments().get(before.segments().size()).discontinuity(), dvr.toString());
    assertTrue(dvr.segments().get(before.segments().size() + 1).discontinuity(), dvr.toString());
    assertTrue(dvr.segments().size() >= before.segments().size() + 4, dvr.toString());
    numberedByPosition(dvr);
    numberedByPosition(index);
    assertEquals(dvr.segments().subList(dvr.segments().size() - index.segments().size(), dvr.segments().size()),
        index.segments(), indexText);
    for (MediaSegment s : dvr.segments()) {
      assertNotNull(ll.load(ResourceKey.of("ll", "stream/" + s.uri())), s.uri());
    }
    // the parts listed now belong to the listed segments or the one in progress, and load
    Matcher parts = PART.matcher(indexText);
    long last = index.mediaSequence() + index.segments().size();
    int listedParts = 0;
    while (parts.find()) {
      long n = Long.parseLong(parts.group(1));
      assertTrue(n >= index.mediaSequence() && n <= last, parts.group() + " in " + indexText);
      if (!indexText.contains("PRELOAD-HINT:TYPE=PART,URI=\"" + parts.group() + "\"")) {
        assertNotNull(ll.load(ResourceKey.of("ll", "stream/" + parts.group())), parts.group());
        listedParts++;
      }
    }
    assertTrue(listedParts > 0, indexText);
    neverOverwritten(published, channels);
  }

  @Test
  void repeatedRebuildsBeforeAnyNewSegmentKeepTheWindowAndTheHostsStateStore(@TempDir Path dir) throws Exception {
    live = LivePackager.builder().executor(pool).scheduler(immediateTimers).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build();
    FileChannelStateStore states = FileChannelStateStore.in(dir);
    LiveChannel c = live.openChannel("kept", ChannelConfig.builder()
        .packagerOptions(b -> b.dvrWindow(Duration.ofMinutes(10)).stateStore(states, "kept")).build());
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    feedAll(List.of(c), clip);
    awaitProcessed(List.of(c));
    MediaPlaylist before = playlist(c, "stream/dvr.m3u8");
    // 2.5 MiB without sync: rebuilt at 1 MiB and again at 2 MiB, the second packager having packaged nothing
    byte[] noise = new byte[1316];
    Random random = new Random(3);
    for (int i = 0; i < (5 << 19) / noise.length; i++) {
      random.nextBytes(noise);
      for (int k = 0; k < noise.length; k++) {
        noise[k] = noise[k] == 0x47 ? 0x46 : noise[k];
      }
      c.feed(noise, 0, noise.length);
    }
    awaitProcessed(List.of(c));
    assertEquals(2, c.statistics().pipelineRestarts(), c.statistics().toString());
    // catch-up answers from the windows taken over while the current packager has packaged nothing yet
    MediaSegment first = before.segments().get(0);
    MediaPlaylist meanwhile = c.catchupPlaylists().playlist("stream", first.programDateTime().toInstant(), null);
    assertEquals(before.segments().size() + 1, meanwhile.segments().size(), meanwhile.toString());
    feedAll(List.of(c), clip);
    awaitProcessed(List.of(c));

    MediaPlaylist dvr = playlist(c, "stream/dvr.m3u8");
    int flushed = before.segments().size();
    assertEquals(before.segments(), dvr.segments().subList(0, flushed), dvr.toString());
    assertTrue(dvr.segments().get(flushed + 1).discontinuity(), dvr.toString());
    assertEquals(1, discontinuities(dvr), "one junction for both rebuilds: " + dvr);
    assertTrue(dvr.segments().size() >= flushed + 3, dvr.toString());
    numberedByPosition(dvr);
    for (MediaSegment s : dvr.segments()) {
      assertNotNull(c.load(ResourceKey.of("kept", "stream/" + s.uri())), s.uri());
    }
    // the host's store kept being saved to: it lists the same window and continues after it
    ChannelState saved = states.load("kept");
    assertEquals(dvr.mediaSequence() + dvr.segments().size(), saved.nextMediaSequence());
    assertEquals(dvr.segments().stream().map(MediaSegment::uri).toList(),
        saved.renditions().get("stream").stream().map(RetainedSegment::uri).toList());
    assertEquals(1, saved.discontinuityCount());
  }

  /** The ETags of every segment and part held now, by channel:name. */
  private static Map<String, String> etags(List<LiveChannel> channels) {
    Map<String, String> out = new HashMap<>();
    for (LiveChannel c : channels) {
      for (String name : c.storedNames()) {
        if (NUMBER.matcher(name.substring(name.lastIndexOf('/') + 1)).matches()
            || PART.matcher(name.substring(name.lastIndexOf('/') + 1)).matches()) {
          ServedResource r = c.load(ResourceKey.of(c.name(), name));
          if (r != null) {
            out.put(c.name() + ":" + name, r.etag());
          }
        }
      }
    }
    return out;
  }

  /** No media sequence number was reused: what was published under a name before is still those bytes. */
  private static void neverOverwritten(Map<String, String> before, List<LiveChannel> channels) {
    Map<String, String> now = etags(channels);
    for (Map.Entry<String, String> e : before.entrySet()) {
      String etag = now.get(e.getKey());
      assertTrue(etag == null || etag.equals(e.getValue()), e.getKey() + " was rewritten");
    }
  }

  private static void feedAll(List<LiveChannel> channels, byte[] ts) {
    for (LiveChannel c : channels) {
      LiveChannelTest.feedAsDatagrams(c, ts);
    }
  }

  private static void awaitProcessed(List<LiveChannel> channels) throws InterruptedException {
    for (LiveChannel c : channels) {
      LiveChannelTest.await(() -> c.statistics().bytesProcessed() == c.statistics().bytesReceived(),
          Duration.ofSeconds(30), "all input of " + c.name());
      assertEquals(0, c.statistics().droppedChunks());
    }
  }

  private static MediaPlaylist playlist(LiveChannel c, String name) throws Exception {
    String text = LiveChannelTest.text(c, name);
    assertNotNull(text, name);
    return HlsPlaylistParser.builder().build().parseMedia(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Each listed segment's file number is the playlist's media sequence number of its position. */
  private static void numberedByPosition(MediaPlaylist p) {
    for (int i = 0; i < p.segments().size(); i++) {
      Matcher m = NUMBER.matcher(p.segments().get(i).uri());
      assertTrue(m.matches(), p.segments().get(i).uri());
      assertEquals(p.mediaSequence() + i, Long.parseLong(m.group(1)), p.toString());
    }
  }

  private static long discontinuities(MediaPlaylist p) {
    return discontinuities(p.segments());
  }

  private static long discontinuities(List<MediaSegment> segments) {
    return segments.stream().filter(MediaSegment::discontinuity).count();
  }

  private static List<String> paths(LiveChannel c, MediaPlaylist p) {
    return p.segments().stream().map(s -> c.name() + ":stream/" + s.uri()).toList();
  }
}
