package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.testing.TestMedia;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The dynamic (live) MPD an {@link HlsPackager} LIVE writes beside its HLS playlists, on a clock that advances
 * one second per written segment: {@code availabilityStartTime} fixed, {@code publishTime} advancing,
 * {@code timeShiftBufferDepth} the live window, {@code minimumUpdatePeriod}, {@code UTCTiming}; the
 * SegmentTimeline lists exactly the HLS window's segments, and a {@code $Time$} template resolves to the files.
 */
class DashLiveTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  @Test
  void liveMpdFollowsTheHlsWindow() throws Exception {
    MutableClock clock = new MutableClock(T0);
    RecordingSink sink = new RecordingSink(clock);
    List<Long> durations90k = new ArrayList<>(); // every video segment's duration (timings() keeps only the window)
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(2)
        .segmentRetention(Duration.ofSeconds(60))
        .segmentFormat(SegmentFormat.FMP4)
        .segmentNameTemplate("seg-$Time$.m4s")
        .dashManifestName("manifest.mpd")
        .clock(clock)
        .listener((name, duration, bytes) -> {
          if (name.startsWith("stream/")) {
            durations90k.add(Math.round(duration.toNanos() * 9 / 100_000.0));
          }
        })
        .build(sink);
    try (MediaInput in = MediaInputs.open(TestMedia.path("h264_aac.ts"))) {
      in.readAll(packager);
    }
    packager.finish();
    assertEquals(2, packager.timings().size(), "LIVE keeps the window's timings");
    assertTrue(durations90k.size() >= 3, "the window must slide: " + durations90k.size() + " segments");
    assertTrue(sink.mpds.size() >= 3, "an MPD per segment");

    Instant availabilityStart = T0.minus(Timestamps.toDuration(durations90k.get(0)))
        .truncatedTo(ChronoUnit.MILLIS);
    Instant previousPublish = Instant.MIN;
    for (int v = 0; v < sink.mpds.size(); v++) {
      Document mpd = parse(sink.mpds.get(v));
      Element root = mpd.getDocumentElement();
      String where = "MPD version " + v + ":\n" + sink.mpds.get(v);
      assertEquals("dynamic", root.getAttribute("type"), where);
      assertEquals(availabilityStart, Instant.parse(root.getAttribute("availabilityStartTime")), where);
      Instant publish = Instant.parse(root.getAttribute("publishTime"));
      assertTrue(publish.isAfter(previousPublish), "publishTime advances: " + where);
      assertTrue(!publish.isBefore(availabilityStart), where);
      previousPublish = publish;
      assertEquals("PT1.000S", root.getAttribute("minimumUpdatePeriod"), where);
      NodeList timing = mpd.getElementsByTagName("UTCTiming");
      assertEquals(1, timing.getLength(), where);
      assertEquals("urn:mpeg:dash:utc:direct:2014", ((Element) timing.item(0)).getAttribute("schemeIdUri"));
      assertEquals(publish, Instant.parse(((Element) timing.item(0)).getAttribute("value")), where);

      // the window: the last min(listSize, last + 1) segments (the final MPD, at finish, repeats the last window)
      int last = Math.min(v, durations90k.size() - 1);
      int listed = Math.min(2, last + 1);
      long window90k = 0;
      for (int i = last + 1 - listed; i <= last; i++) {
        window90k += durations90k.get(i);
      }
      assertEquals(String.format(java.util.Locale.ROOT, "PT%d.%03dS", window90k / 90_000, window90k % 90_000 / 90),
          root.getAttribute("timeShiftBufferDepth"), where);

      NodeList templates = mpd.getElementsByTagName("SegmentTemplate");
      assertEquals(2, templates.getLength(), "video and audio: " + where);
      for (int t = 0; t < templates.getLength(); t++) {
        Element template = (Element) templates.item(t);
        String media = template.getAttribute("media");
        assertTrue(media.endsWith("/seg-$Time$.m4s"), media);
        assertEquals(last + 1 - listed, Long.parseLong(template.getAttribute("startNumber")), where);
        List<Long> times = segmentTimes(template);
        assertEquals(listed, times.size(), "S entries = HLS window: " + where);
        // $Time$ resolves to segments that exist, and to exactly the names of the HLS window
        String dir = media.substring(0, media.indexOf('/'));
        MediaPlaylist hls = HlsPlaylistParser.builder().build().parseMedia(sink.playlistAt(dir + "/index.m3u8", v));
        for (int i = 0; i < times.size(); i++) {
          String name = "seg-" + times.get(i) + ".m4s";
          assertTrue(sink.files.containsKey(dir + "/" + name), dir + "/" + name + " missing; " + where);
          assertEquals(name, hls.segments().get(i).uri(), "HLS and DASH list the same segment");
        }
      }
    }
  }

  /** S@t of every segment, expanding d and r (ISO/IEC 23009-1 §5.3.9.6). */
  private static List<Long> segmentTimes(Element template) {
    List<Long> out = new ArrayList<>();
    NodeList s = template.getElementsByTagName("S");
    long next = 0;
    for (int i = 0; i < s.getLength(); i++) {
      Element e = (Element) s.item(i);
      long t = e.hasAttribute("t") ? Long.parseLong(e.getAttribute("t")) : next;
      long d = Long.parseLong(e.getAttribute("d"));
      int r = e.hasAttribute("r") ? Integer.parseInt(e.getAttribute("r")) : 0;
      for (int k = 0; k <= r; k++) {
        out.add(t);
        t += d;
      }
      next = t;
    }
    return out;
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** A clock the test moves. */
  @Test
  void aBurstAtStartMovesAvailabilityStartSoTheNewestSegmentIsAvailableNow() throws Exception {
    // A source that delivers its first seconds at once (a preroll, a catch-up burst): every segment is written
    // at T0. With AST fixed at the first segment, the newest segment would "become available" seconds in the
    // future and players would compute a live edge far behind it (Shaka jumped ahead and decoded nothing).
    InstantSource frozen = () -> T0;
    Map<String, ByteSlice> files = new HashMap<>();
    List<String> mpds = new ArrayList<>();
    long[] packaged90k = new long[1];
    HlsPackager packager = HlsPackager.builder()
        .segmentDuration(Duration.ofSeconds(1))
        .playlistType(HlsPlaylistType.LIVE)
        .listSize(3)
        .segmentFormat(SegmentFormat.FMP4)
        .dashManifestName("manifest.mpd")
        .clock(frozen)
        .listener((name, duration, bytes) -> {
          if (name.startsWith("stream/")) {
            packaged90k[0] += Math.round(duration.toNanos() * 9 / 100_000.0);
          }
        })
        .build(new SegmentSink() {
          @Override
          public void write(String name, ByteSlice bytes) {
            files.put(name, bytes);
            if (name.endsWith(".mpd")) {
              mpds.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            }
          }

          @Override
          public void delete(String name) {
            files.remove(name);
          }
        });
    try (MediaInput in = MediaInputs.open(TestMedia.path("h264_aac.ts"))) {
      in.readAll(packager);
    }
    assertTrue(mpds.size() >= 3, "several MPDs: " + mpds.size());
    Element root = parse(mpds.get(mpds.size() - 1)).getDocumentElement();
    Instant ast = Instant.parse(root.getAttribute("availabilityStartTime"));
    long lagMillis = Duration.between(ast.plus(Timestamps.toDuration(packaged90k[0])), T0).toMillis();
    assertTrue(Math.abs(lagMillis) <= 1, "AST + everything packaged == now, off by " + lagMillis + " ms; AST "
        + ast + ", packaged " + Timestamps.toSeconds(packaged90k[0]) + " s");
  }

  private static final class MutableClock implements InstantSource {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /** Keeps every file and every version of the MPD and playlists; a video segment advances the clock 1 s. */
  private static final class RecordingSink implements SegmentSink {
    private final MutableClock clock;
    final Map<String, ByteSlice> files = new HashMap<>();
    final List<String> mpds = new ArrayList<>();
    final Map<String, List<byte[]>> playlists = new HashMap<>();

    RecordingSink(MutableClock clock) {
      this.clock = clock;
    }

    @Override
    public void write(String name, ByteSlice bytes) {
      files.put(name, bytes);
      if (name.endsWith(".mpd")) {
        mpds.add(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        clock.advance(Duration.ofSeconds(1)); // the next segment is written a second later
      } else if (name.endsWith(".m3u8")) {
        playlists.computeIfAbsent(name, k -> new ArrayList<>()).add(bytes.toByteArray());
      }
    }

    @Override
    public void delete(String name) {
      files.remove(name);
    }

    byte[] playlistAt(String name, int version) {
      return playlists.get(name).get(version);
    }
  }
}
