package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.LowLatencyNames;
import io.iptv.segmenter.hls.LowLatencyPlaylist;
import io.iptv.segmenter.hls.LowLatencyPlaylistParser;
import io.iptv.segmenter.hls.LowLatencyPlaylistWriter;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.PartialSegment;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@link HlsPackager} with {@code partTarget} packaging a looped clip as LIVE CMAF: every playlist version
 * it publishes is a valid Low-Latency playlist (parts within the target, INDEPENDENT on keyframes, hint to a
 * part not yet written, server control, rendition reports, parts only near the edge), each segment is the
 * concatenation of its parts, and the delta playlist skips the right segments.
 */
class LowLatencyPackagingTest {
  private static final Duration PART_TARGET = Duration.ofMillis(300);

  @Test
  void publishesPartsAndLowLatencyPlaylists() throws Exception {
    LoopedClip clip = LoopedClip.of("h264_aac.ts");
    RecordingSink sink = new RecordingSink();
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(10)
        .segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET)
        .clock(InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z")))
        .build(sink);
    clip.feed(packager, 6); // 18 s
    packager.finish();

    List<Version> versions = sink.versions.get("stream/index.m3u8");
    assertNotNull(versions, "video playlist written: " + sink.versions.keySet());
    assertTrue(versions.size() > 40, "a playlist per part: " + versions.size());
    int withParts = 0;
    int hints = 0;
    for (Version v : versions) {
      LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(v.text);
      String where = v.text;
      assertEquals(PART_TARGET, ll.partTarget(), where);
      assertTrue(ll.serverControl().canBlockReload(), where);
      assertTrue(ll.serverControl().partHoldBack().compareTo(PART_TARGET.multipliedBy(3)) >= 0, where);
      assertEquals(Duration.ofSeconds(6L * ll.base().targetDuration()), ll.serverControl().canSkipUntil(), where);
      assertEquals(1, ll.renditionReports().size(), where);
      assertTrue(ll.renditionReports().get(0).uri().matches("\\.\\./stream-audio-[a-z0-9]+/index\\.m3u8"), where);
      long next = ll.nextMediaSequence();
      List<MediaSegment> segments = ll.base().segments();
      for (Map.Entry<Long, List<PartialSegment>> e : ll.parts().entrySet()) {
        long msn = e.getKey();
        assertTrue(msn >= ll.base().mediaSequence() && msn <= next, "parts of a listed segment: " + where);
        List<PartialSegment> parts = e.getValue();
        withParts++;
        assertTrue(parts.get(0).independent(), "a segment starts with a keyframe: " + where);
        for (int i = 0; i < parts.size(); i++) {
          PartialSegment p = parts.get(i);
          assertTrue(p.duration().compareTo(PART_TARGET) <= 0, "part within PART-TARGET: " + where);
          boolean last = i == parts.size() - 1;
          if (!last && !p.independent()) {
            assertTrue(p.duration().toNanos() >= PART_TARGET.toNanos() * 85 / 100, "part ≥ 85% of target: " + where);
          }
          assertTrue(v.existing.contains("stream/" + p.uri()), "listed part was written first: " + p.uri());
        }
        if (msn < next) {
          // §4.4.3.7: parts only for segments within three target durations of the end
          Duration after = Duration.ZERO;
          for (int i = (int) (msn - ll.base().mediaSequence()) + 1; i < segments.size(); i++) {
            after = after.plus(segments.get(i).duration());
          }
          assertTrue(after.compareTo(Duration.ofSeconds(3L * ll.base().targetDuration())) < 0,
              "parts of msn " + msn + " listed " + after + " from the end: " + where);
          Duration sum = parts.stream().map(PartialSegment::duration).reduce(Duration.ZERO, Duration::plus);
          Duration extinf = segments.get((int) (msn - ll.base().mediaSequence())).duration();
          assertTrue(sum.minus(extinf).abs().toMillis() <= 45, "parts sum " + sum + " vs EXTINF " + extinf);
        }
      }
      if (ll.preloadHintUri() != null) {
        hints++;
        assertFalse(v.existing.contains("stream/" + ll.preloadHintUri()), "hinted part not yet written: " + where);
      }
    }
    assertTrue(withParts > 100, "parts listed: " + withParts);
    assertTrue(hints > versions.size() / 2, "preload hints: " + hints + " of " + versions.size());

    // the last live version: each listed complete segment is exactly its parts
    Version lastLive = versions.get(versions.size() - 2);
    LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(lastLive.text);
    int checked = 0;
    for (Map.Entry<Long, List<PartialSegment>> e : ll.parts().entrySet()) {
      if (e.getKey() >= ll.nextMediaSequence()) {
        continue;
      }
      String segmentUri = ll.base().segments().get((int) (e.getKey() - ll.base().mediaSequence())).uri();
      ByteArrayOutputStream concat = new ByteArrayOutputStream();
      for (PartialSegment p : e.getValue()) {
        byte[] part = sink.get("stream/" + p.uri()).toByteArray();
        assertEquals("moof", new String(part, 4, 4, StandardCharsets.US_ASCII), "a part is a CMAF fragment");
        concat.write(part);
      }
      assertArrayEquals(concat.toByteArray(), sink.get("stream/" + segmentUri).toByteArray(),
          "segment " + segmentUri + " = its parts");
      checked++;
    }
    assertTrue(checked >= 2, "segments checked against their parts: " + checked);

    // delta update: EXT-X-SKIP replaces all but the last CAN-SKIP-UNTIL of segments
    LowLatencyPlaylist full = LowLatencyPlaylistParser.parse(lastLive.text);
    String deltaText = sink.versions.get(LowLatencyNames.deltaName("stream/index.m3u8")).stream()
        .filter(v -> v.index == lastLive.index - 1).findFirst().orElseThrow().text;
    LowLatencyPlaylist delta = LowLatencyPlaylistParser.parse(deltaText);
    int skipped = delta.skippedSegments();
    assertTrue(skipped > 0, "a 10 s window with skip-until 6 s skips segments:\n" + deltaText);
    assertTrue(deltaText.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=" + skipped), deltaText);
    assertTrue(deltaText.contains("#EXT-X-VERSION:9"), deltaText);
    assertTrue(deltaText.contains("#EXT-X-MAP:"), "the map stays: " + deltaText);
    assertEquals(full.base().mediaSequence(), delta.base().mediaSequence());
    List<MediaSegment> all = full.base().segments();
    assertEquals(all.subList(skipped, all.size()).stream().map(MediaSegment::uri).toList(),
        delta.base().segments().stream().map(MediaSegment::uri).toList(), deltaText);
    Duration kept = all.subList(skipped, all.size()).stream().map(MediaSegment::duration)
        .reduce(Duration.ZERO, Duration::plus);
    Duration until = full.serverControl().canSkipUntil();
    assertTrue(kept.compareTo(until) >= 0 && kept.minus(all.get(skipped).duration()).compareTo(until) < 0,
        "kept " + kept + " for CAN-SKIP-UNTIL " + until);
    assertEquals(full.parts(), delta.parts(), "the delta lists the same parts");
    assertEquals(full.preloadHintUri(), delta.preloadHintUri());

    // the ended playlist: ENDLIST, no hint
    LowLatencyPlaylist ended = LowLatencyPlaylistParser.parse(versions.get(versions.size() - 1).text);
    assertTrue(ended.base().endList());
    assertNull(ended.preloadHintUri());
  }

  /**
   * The renditions (and their init segments) are made when the first segment is complete, the first moment every
   * track is known. The samples placed before wait instead of being dropped: segment 0 is listed with its parts
   * (equal to it), and segment 1 is published part by part as it grows, in every rendition. Before, the first two
   * segments had no parts at all and a player joining then waited for whole segments.
   */
  @Test
  void theFirstSegmentsArePublishedInPartsToo() throws Exception {
    RecordingSink sink = new RecordingSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(10).segmentFormat(SegmentFormat.FMP4).partTarget(PART_TARGET)
        .clock(InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z"))).build(sink);
    LoopedClip.of("h264_aac.ts").feed(packager, 2);
    packager.finish();

    for (String dir : List.of("stream", sink.audioDir())) {
      List<LowLatencyPlaylist> versions = new ArrayList<>();
      for (Version v : sink.versions.get(dir + "/index.m3u8")) {
        versions.add(LowLatencyPlaylistParser.parse(v.text));
      }
      LowLatencyPlaylist first = versions.stream().filter(ll -> !ll.base().segments().isEmpty()).findFirst()
          .orElseThrow();
      assertEquals(0, first.base().mediaSequence());
      List<PartialSegment> parts = first.parts().get(0L);
      assertNotNull(parts, dir + ": segment 0 listed with its parts");
      ByteArrayOutputStream concat = new ByteArrayOutputStream();
      for (PartialSegment p : parts) {
        concat.write(sink.get(dir + "/" + p.uri()).toByteArray());
      }
      assertArrayEquals(concat.toByteArray(), sink.get(dir + "/" + first.base().segments().get(0).uri())
          .toByteArray(), dir + ": segment 0 = its parts");
      long growing = versions.stream().filter(ll -> ll.nextMediaSequence() == 1 && ll.parts().containsKey(1L))
          .map(ll -> ll.parts().get(1L).size()).distinct().count();
      assertTrue(growing >= 2, dir + ": segment 1 listed part by part while in progress: " + growing);
    }
  }

  @Test
  void eventPlaylistsKeepPartsOnlyNearTheEdge() throws Exception {
    LoopedClip clip = LoopedClip.of("h264_aac.ts");
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.EVENT).listSize(3).segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET).build(sink);
    clip.feed(packager, 8); // 24 segments, all kept by EVENT
    String text = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    LowLatencyPlaylist ll = LowLatencyPlaylistParser.parse(text);
    assertTrue(ll.base().segments().size() >= 20, text);
    long partFiles = sink.snapshot().keySet().stream().filter(n -> n.startsWith("stream/part-")).count();
    long listed = ll.parts().values().stream().mapToLong(List::size).sum();
    assertTrue(listed >= 4, text);
    // listed parts + listSize segments' worth (4 parts each) of grace, not every part ever written (~88)
    assertTrue(partFiles <= listed + 4 * 4, partFiles + " part files for " + listed + " listed");
  }

  @Test
  void partTargetNeedsLiveCmaf() {
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().playlistType(HlsPlaylistType.LIVE)
        .partTarget(PART_TARGET).build(new InMemorySegmentSink()), "TS segments");
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET).build(new InMemorySegmentSink()), "VOD");
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().partTarget(Duration.ofMillis(50)));
  }

  @Test
  void writerKeepsAllSegmentsWhenDeltaWouldSkipNone() throws Exception {
    LoopedClip clip = LoopedClip.of("h264_aac.ts");
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = HlsPackager.builder().segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE).listSize(4).segmentFormat(SegmentFormat.FMP4)
        .partTarget(PART_TARGET).build(sink);
    clip.feed(packager, 2);
    String full = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    String delta = new String(sink.get("stream/index.delta.m3u8").toByteArray(), StandardCharsets.UTF_8);
    assertEquals(0, LowLatencyPlaylistWriter.skippable(LowLatencyPlaylistParser.parse(full)), full);
    assertEquals(full, delta, "4 s window < 6 s skip-until: nothing to skip");
  }

  private record Version(int index, String text, List<String> existing) {}

  /** Keeps every resource and every version of each playlist, with the resources that existed then. */
  private static final class RecordingSink implements SegmentSink {
    final InMemorySegmentSink memory = new InMemorySegmentSink();
    final Map<String, List<Version>> versions = new java.util.HashMap<>();
    int writes;

    @Override
    public void write(String name, ByteSlice bytes) {
      if (name.endsWith(".m3u8")) {
        versions.computeIfAbsent(name, k -> new ArrayList<>()).add(new Version(writes,
            new String(bytes.toByteArray(), StandardCharsets.UTF_8), new ArrayList<>(memory.snapshot().keySet())));
      }
      writes++;
      memory.write(name, bytes);
    }

    @Override
    public void delete(String name) {
      memory.delete(name);
    }

    ByteSlice get(String name) {
      return memory.get(name);
    }

    /** The directory of the (single) audio rendition. */
    String audioDir() {
      return memory.snapshot().keySet().stream().filter(n -> n.startsWith("stream-audio-")).findFirst()
          .orElseThrow().split("/")[0];
    }
  }
}
