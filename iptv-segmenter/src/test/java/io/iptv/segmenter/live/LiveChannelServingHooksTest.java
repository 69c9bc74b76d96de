package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.serve.PlaylistUpdates;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two hooks an origin needs from a {@link LivePackager} beyond loading resources: write signals for
 * Low-Latency HLS blocking reloads ({@link LivePackager.Builder#playlistUpdates}) and catch-up playlists over a
 * channel's DVR window ({@link LiveChannel#catchupPlaylists()}).
 */
class LiveChannelServingHooksTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private LivePackager live;

  @AfterEach
  void tearDown() {
    if (live != null) {
      live.close();
    }
    pool.shutdownNow();
  }

  @Test
  void channelsSignalEveryPlaylistAndPartTheyWrite() throws Exception {
    PlaylistUpdates updates = new PlaylistUpdates();
    live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).segmentFormat(SegmentFormat.FMP4).playlistUpdates(updates)
        .build();
    LiveChannel channel = live.openChannel("ll", ChannelConfig.builder()
        .packagerOptions(b -> b.partTarget(Duration.ofMillis(500))).build());
    // Registered before the channel writes them: the 3 s clip in 1 s segments ends inside segment 2.
    CompletableFuture<Void> playlist = updates.nextChange(ResourceKey.of("ll", "stream/index.m3u8"));
    CompletableFuture<Void> part = updates.nextChange(ResourceKey.of("ll", "stream/part-00002.0.m4s"));
    assertEquals(2, updates.waitingResources());
    LiveChannelTest.feedAsDatagrams(channel, TestMedia.bytes("h264_aac.ts"));
    playlist.get(20, TimeUnit.SECONDS);
    part.get(20, TimeUnit.SECONDS);
    assertTrue(LiveChannelTest.text(channel, "stream/part-00002.0.m4s") != null, "the part was written");
    // the part is signalled as soon as it is written, the playlist that lists it is rewritten just after
    LiveChannelTest.await(() -> LiveChannelTest.text(channel, "stream/index.m3u8").contains("#EXT-X-PART:"),
        Duration.ofSeconds(5), "the playlist listing the part");
    String text = LiveChannelTest.text(channel, "stream/index.m3u8");
    assertTrue(text.contains("#EXT-X-PART:") && text.contains("CAN-BLOCK-RELOAD=YES"), text);
  }

  @Test
  void catchupPlaylistsListTheDvrWindow() throws Exception {
    live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).listSize(3).build();
    LiveChannel channel = live.openChannel("tv", ChannelConfig.builder()
        .packagerOptions(b -> b.dvrWindow(Duration.ofMinutes(1))).build());
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    LiveChannelTest.feedAsDatagrams(channel, clip);
    LiveChannelTest.feedAsDatagrams(channel, clip); // a restart: timestamps jump back, a discontinuity
    LiveChannelTest.await(() -> channel.statistics().segmentsProduced() >= 5, Duration.ofSeconds(20),
        "five segments");
    String dvr = LiveChannelTest.text(channel, "stream/dvr.m3u8");
    Matcher first = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)").matcher(dvr);
    assertTrue(first.find(), dvr);
    MediaPlaylist catchup = channel.catchupPlaylists().playlist("stream", "start=" + first.group(1));
    assertTrue(catchup.segments().size() >= 5, catchup.toString());
    assertTrue(LiveChannelTest.text(channel, "stream/index.m3u8").split("#EXTINF:").length - 1 <= 3);
  }
}
