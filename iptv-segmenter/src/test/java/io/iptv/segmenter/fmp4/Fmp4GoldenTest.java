package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iptv.core.testing.DumpAsserts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Box-level goldens: the init segment and the second media segment of every track of a clip, dumped as text
 * by {@link BoxDump}; and determinism (writing twice gives the same bytes).
 */
class Fmp4GoldenTest {
  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts"})
  void initAndMediaSegmentMatchGoldens(String clip) throws Exception {
    Map<Integer, Fmp4TestSupport.Track> tracks = Fmp4TestSupport.demux(clip);
    for (Fmp4TestSupport.Track t : tracks.values()) {
      List<byte[]> files = Fmp4TestSupport.writeTrackFile(t, 90_000, false);
      List<byte[]> again = Fmp4TestSupport.writeTrackFile(t, 90_000, false);
      assertEquals(files.size(), again.size());
      for (int i = 0; i < files.size(); i++) {
        assertArrayEquals(files.get(i), again.get(i), "deterministic bytes, file " + i);
      }
      String name = clip.replace(".ts", "") + "-" + t.format().codec().name().toLowerCase();
      DumpAsserts.assertMatchesGolden("goldens/fmp4/" + name + "-init.txt", BoxDump.dump(files.get(0)));
      DumpAsserts.assertMatchesGolden("goldens/fmp4/" + name + "-seg1.txt", BoxDump.dump(files.get(2)));
    }
  }
}
