package io.iptv.segmenter.dvr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CatchupPlaylists} and {@link DvrWindow} on hand-made segments (2 s each from 12:00:00Z). */
class CatchupPlaylistsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  private static RetainedSegment segment(int i, boolean discontinuity, long discontinuitySequence) {
    return new RetainedSegment(100 + i, "seg-" + (100 + i) + ".ts", 180_000,
        OffsetDateTime.ofInstant(T0.plusSeconds(2L * i), ZoneOffset.UTC), discontinuity, discontinuitySequence,
        1000, null);
  }

  private static DvrWindow window(int segments) {
    DvrWindow w = DvrWindow.builder().window(Duration.ofSeconds(60)).minSegments(3).build();
    for (int i = 0; i < segments; i++) {
      w.add(segment(i, i == 5, i > 5 ? 1 : 0), 180_000L * (i + 1), 0);
    }
    return w;
  }

  @Test
  void rangesSelectOverlappingSegmentsAndCarryTheSequences() throws Exception {
    DvrWindow w = window(10); // 12:00:00 .. 12:00:20
    CatchupPlaylists c = new CatchupPlaylists(name -> name.equals("s") ? w : null, 2,
        InstantSource.fixed(T0.plusSeconds(21)));
    MediaPlaylist p = c.playlist("s", "start=2026-01-01T13:00:05%2B01:00&end=2026-01-01T12:00:13Z");
    assertEquals(List.of("seg-102.ts", "seg-103.ts", "seg-104.ts", "seg-105.ts", "seg-106.ts"),
        p.segments().stream().map(MediaSegment::uri).toList());
    assertEquals(102, p.mediaSequence());
    assertEquals(0, p.discontinuitySequence());
    assertTrue(p.segments().get(3).discontinuity());
    assertEquals(MediaPlaylist.PlaylistType.VOD, p.playlistType());
    assertTrue(p.endList());
    MediaPlaylist afterBreak = c.playlist("s", T0.plusSeconds(13), T0.plusSeconds(15));
    assertEquals(106, afterBreak.mediaSequence());
    assertEquals(1, afterBreak.discontinuitySequence(), "the discontinuity before 106 was counted");
    // open-ended: EVENT, grows when the window grows
    MediaPlaylist open = c.playlist("s", T0.plusSeconds(16), null);
    assertEquals(MediaPlaylist.PlaylistType.EVENT, open.playlistType());
    assertFalse(open.endList());
    assertEquals(2, open.segments().size());
    w.add(segment(10, false, 1), 180_000L * 11, 0);
    assertEquals(3, c.playlist("s", T0.plusSeconds(16), null).segments().size());
    assertEquals(Duration.ofHours(1), c.maxAge(p));
    assertEquals(Duration.ofSeconds(1), c.maxAge(open));
  }

  @Test
  void badRangesAreRejected() {
    DvrWindow w = window(10);
    CatchupPlaylists c = new CatchupPlaylists(name -> w, 2, InstantSource.fixed(T0.plusSeconds(21)));
    for (String q : new String[] {"start=", "start=12:00", "start=2026-01-01T12:00:10Z&end=2026-01-01T12:00:10Z",
        "start=2026-01-01T12:10:00Z", "end=2026-01-01T12:00:10Z", "start=%ZZ"}) {
      CatchupRangeException e = assertThrows(CatchupRangeException.class, () -> c.playlist("s", q), q);
      assertEquals(400, e.reason().status(), q);
    }
    CatchupRangeException gone = assertThrows(CatchupRangeException.class,
        () -> c.playlist("s", T0.minusSeconds(100), T0.minusSeconds(50)));
    assertEquals(404, gone.reason().status());
  }

  @Test
  void dvrWindowKeepsTheLiveWindowAndDeletesAfterTheGrace() {
    DvrWindow w = DvrWindow.builder().window(Duration.ofSeconds(4)).maxBytes(2500).minSegments(3).build();
    List<String> deleted = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      deleted.addAll(w.add(segment(i, false, 0), 180_000L * (i + 1), 360_000));
    }
    // bytes (1000 each, bound 2500) would keep 2, but the live window of 3 always stays
    assertEquals(List.of("seg-105.ts", "seg-106.ts", "seg-107.ts"),
        w.segments().stream().map(RetainedSegment::uri).toList());
    // evicted at 4, 5, 6, 7, 8 (×2 s), deleted 4 s later: 100..102 gone, 103 and 104 still in grace
    assertEquals(List.of("seg-100.ts", "seg-101.ts", "seg-102.ts"), deleted);
    assertEquals(List.of("seg-103.ts", "seg-104.ts"), w.expiring());
  }
}
