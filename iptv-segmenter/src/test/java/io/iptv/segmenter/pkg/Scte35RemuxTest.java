package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link io.iptv.segmenter.ts.TsMuxer#writeSection}: SCTE-35 sections survive a mux/demux round trip. */
class Scte35RemuxTest {
  @TempDir Path dir;

  @Test
  void sectionsWrittenByTheMuxerComeBackAsSpliceCues() throws Exception {
    Scte35TestStream.Clip clip = Scte35TestStream.demux(TestMedia.bytes("h264_aac.ts"));
    long key = clip.keyframes().get(1);
    byte[] out = Scte35TestStream.spliceInsert(7, true, key, 30 * 90_000L, true);
    byte[] immediate = Scte35TestStream.spliceInsert(8, false, -1, -1, false);
    byte[] signal = Scte35TestStream.timeSignal(key, 9, 0x34); // Provider Placement Opportunity Start
    byte[] ts = Scte35TestStream.remux(clip, List.of(new Scte35TestStream.Insert(key - 90_000, out),
        new Scte35TestStream.Insert(key - 45_000, immediate), new Scte35TestStream.Insert(key, signal)));
    List<SpliceCue> cues = HlsOutput.demux(ts).stream().filter(e -> e instanceof SpliceCue)
        .map(e -> (SpliceCue) e).toList();
    assertEquals(3, cues.size(), cues.toString());
    SpliceCue c0 = cues.get(0);
    assertEquals(SpliceCue.Command.SPLICE_INSERT, c0.command());
    assertEquals(key, c0.splicePts90k());
    assertTrue(c0.outOfNetwork() && c0.autoReturn());
    assertEquals(30 * 90_000L, c0.breakDuration90k());
    assertArrayEquals(out, c0.section().toByteArray());
    assertEquals(io.iptv.core.time.Timestamps.NO_TIMESTAMP, cues.get(1).splicePts90k(), "immediate");
    assertEquals(SpliceCue.Command.TIME_SIGNAL, cues.get(2).command());
    assertTrue(cues.get(2).outOfNetwork(), "0x34 opens a placement opportunity");
    assertEquals(List.of(0x34), cues.get(2).segmentationTypeIds());
    assertEquals(9, cues.get(2).eventId());
    assertArrayEquals(signal, cues.get(2).section().toByteArray());
    long samples = HlsOutput.demux(ts).stream().filter(e -> e instanceof io.iptv.core.media.MediaSample).count();
    assertEquals(clip.samples().size(), samples, "no sample lost by the remux");
    assertTrue(HlsOutput.demux(ts).stream().anyMatch(e -> e instanceof StreamEvent.TrackAdded t
        && t.format().codec() == io.iptv.core.media.Codec.SCTE35));

    // ffprobe sees the SCTE-35 data stream (stream_type 0x86 with the 'CUEI' registration)
    Path file = dir.resolve("scte35.ts");
    Files.write(file, ts);
    Process p = new ProcessBuilder(ExternalTools.requireFfprobe(), "-v", "error", "-show_entries",
        "stream=codec_name", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(text.lines().anyMatch(l -> l.strip().equals("scte_35")), text);
  }
}
