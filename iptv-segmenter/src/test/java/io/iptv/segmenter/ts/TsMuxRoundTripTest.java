package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.TestMedia;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: demux(mux(x)) == x for the committed clips (samples, timestamps, keyframe flags, payload bytes),
 * muxed in 1-s segments. The clips' video already carries AUDs and parameter sets (x264/x265/ffmpeg output),
 * so the muxer adds nothing.
 */
class TsMuxRoundTripTest {
  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts", "h264_mp2.ts", "h264_mp3.ts",
      "mpeg2_mp2.ts", "h264_aac_pts_wrap.ts", "h264_aac_multilang.ts"})
  void demuxOfMuxIsIdentity(String clip) throws MediaException {
    List<StreamEvent> original = demux(TestMedia.bytes(clip));
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    ByteArrayOutputStream ts = new ByteArrayOutputStream();
    Map<Integer, List<MediaSample>> expected = new LinkedHashMap<>();
    long segmentStart = Long.MIN_VALUE;
    for (StreamEvent e : original) {
      if (e instanceof StreamEvent.TrackAdded t) {
        muxer.addTrack(t.format());
      }
    }
    for (StreamEvent e : original) {
      if (e instanceof MediaSample s) {
        if (!muxer.inSegment() || s.dts90k() - segmentStart >= 90_000) {
          if (muxer.inSegment()) {
            write(ts, muxer.finishSegment().bytes().toByteArray());
          }
          muxer.startSegment();
          segmentStart = s.dts90k();
        }
        muxer.write(s);
        expected.computeIfAbsent(s.trackId(), k -> new ArrayList<>()).add(s);
      }
    }
    write(ts, muxer.finishSegment().bytes().toByteArray());
    Map<Integer, List<MediaSample>> actual = new LinkedHashMap<>();
    for (StreamEvent e : demux(ts.toByteArray())) {
      if (e instanceof MediaSample s) {
        actual.computeIfAbsent(s.trackId(), k -> new ArrayList<>()).add(s);
      }
    }
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<Integer, List<MediaSample>> track : expected.entrySet()) {
      List<MediaSample> exp = track.getValue();
      List<MediaSample> act = actual.get(track.getKey());
      assertEquals(exp.size(), act.size(), clip + " track " + track.getKey() + " sample count");
      for (int i = 0; i < exp.size(); i++) {
        MediaSample a = exp.get(i);
        MediaSample b = act.get(i);
        String where = clip + " track " + track.getKey() + " sample " + i;
        assertEquals(a.pts90k(), b.pts90k(), where + " pts");
        assertEquals(a.dts90k(), b.dts90k(), where + " dts");
        assertEquals(a.keyframe(), b.keyframe(), where + " keyframe");
        assertEquals(a.data(), b.data(), where + " payload");
      }
    }
    assertTrue(expected.values().stream().mapToInt(List::size).sum() > 100);
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
  }

  private static List<StreamEvent> demux(byte[] ts) throws MediaException {
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer d = TsDemuxer.builder().build(events::add);
    d.feed(ts, 0, ts.length);
    d.finish();
    return events;
  }

}
