package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Low-Latency HLS at segment boundaries (RFC 8216bis §4.4.5.3, §6.2.5.2), checked on the packager's write
 * order with the media time of the input as the clock (a live source delivers in real time): every
 * EXT-X-PRELOAD-HINT names the next part the rendition writes, including part 0 of the next segment once the
 * current one is complete, and a playlist holding a part (what a blocking {@code _HLS_msn=N&_HLS_part=M}
 * reload waits for) is published within one part duration of the part itself.
 */
class LowLatencyBoundaryTest {
  private static final Duration PART_TARGET = Duration.ofMillis(300);
  private static final Pattern PART = Pattern.compile("part-(\\d+)\\.(\\d+)\\.m4s");

  @Test
  void hintsNameTheNextPartAndPlaylistsFollowPartsAtOnce() throws Exception {
    LoopedClip clip = LoopedClip.of("h264_aac.ts");
    TimedSink sink = new TimedSink();
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(10)
        .segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET)
        .build(sink);
    clip.feed(sink.clocked(packager), 4); // 12 s
    int live = sink.writes.size();
    packager.finish(); // the last segment has no successor: its playlists hint nothing

    List<String> dirs = sink.writes.stream().filter(w -> w.name.endsWith("/index.m3u8"))
        .map(w -> w.name.substring(0, w.name.indexOf('/'))).distinct().toList();
    assertEquals(2, dirs.size(), "video and audio renditions: " + dirs);
    for (String dir : dirs) {
      checkRendition(sink.writes, live, dir);
    }
  }

  private static void checkRendition(List<Write> writes, int live, String dir) throws MediaException {
    int hints = 0;
    int boundaries = 0;
    int partsChecked = 0;
    boolean partsStarted = false; // the first segments, cut before the CMAF track existed, have no parts
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      if (w.name.equals(dir + "/index.m3u8")) {
        LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(w.text);
        if (ll.base().endList()) {
          continue;
        }
        String where = "version " + i + " of " + w.name + ":\n" + w.text;
        if (partsStarted && i < live && ll.parts().getOrDefault(ll.nextMediaSequence(), List.of()).isEmpty()) {
          // the last segment is complete: the next part is the first of the next segment
          assertEquals(PartialSegmentWriter.partName(ll.nextMediaSequence(), 0), ll.preloadHintUri(), where);
          boundaries++;
        }
        if (ll.preloadHintUri() != null) {
          hints++;
          String nextPart = null;
          for (int j = i + 1; j < writes.size() && nextPart == null; j++) {
            String n = writes.get(j).name;
            if (n.startsWith(dir + "/part-")) {
              nextPart = n.substring(dir.length() + 1);
            }
          }
          assertEquals(nextPart, ll.preloadHintUri(), "the hint names the next part written: " + where);
        }
      } else if (w.name.startsWith(dir + "/part-")) {
        partsStarted = true;
        Matcher m = PART.matcher(w.name.substring(dir.length() + 1));
        assertTrue(m.matches(), w.name);
        long msn = Long.parseLong(m.group(1));
        int index = Integer.parseInt(m.group(2));
        Write listing = null;
        for (int j = i + 1; j < writes.size() && listing == null; j++) {
          Write later = writes.get(j);
          if (later.name.equals(dir + "/index.m3u8") && holds(LowLatencyPlaylistParser.parse(later.text), msn,
              index)) {
            listing = later;
          }
        }
        if (listing == null) {
          continue; // the stream ended first
        }
        long late90k = listing.media90k - w.media90k;
        assertTrue(late90k * 1000 / 90_000 < PART_TARGET.toMillis(), "a blocking reload for " + w.name
            + " is answerable " + late90k / 90 + " ms of media after the part was written");
        partsChecked++;
      }
    }
    assertTrue(hints > 20 && boundaries >= 5 && partsChecked > 20,
        dir + ": hints " + hints + ", boundaries " + boundaries + ", parts " + partsChecked);
  }

  /** What a blocking reload for part {@code index} of segment {@code msn} waits for (§6.2.5.2). */
  private static boolean holds(LowLatencyPlaylist ll, long msn, int index) {
    return ll.nextMediaSequence() > msn || ll.parts().getOrDefault(msn, List.of()).size() > index;
  }

  private record Write(String name, String text, long media90k) {}

  /** Records each write with the playlist text and the input's media time (DTS of the last sample fed). */
  private static final class TimedSink implements SegmentSink {
    final List<Write> writes = new ArrayList<>();
    long media90k;

    Emitter clocked(Emitter packager) {
      return event -> {
        if (event instanceof MediaSample s) {
          media90k = Math.max(media90k, s.dts90k());
        }
        packager.emit(event);
      };
    }

    @Override
    public void write(String name, ByteSlice bytes) {
      writes.add(new Write(name, name.endsWith(".m3u8") ? new String(bytes.toByteArray(), StandardCharsets.UTF_8)
          : null, media90k));
    }

    @Override
    public void delete(String name) {}
  }
}
