package io.iptv.segmenter.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapped-window reader must emit exactly what the demuxer emits for the same bytes fed at once. */
class TsFileInputTest {
  @Test
  void fileSpanningSeveralMappedWindowsReadsLikeOneFeed(@TempDir Path dir) throws IOException, MediaException {
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    // Enough copies for three windows and a partial fourth; a window boundary falls inside a packet.
    int copies = (int) (3L * TsFileInput.WINDOW_BYTES / clip.length) + 2;
    Path file = dir.resolve("long.ts");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < copies; i++) {
        out.write(clip);
      }
    }
    assertTrue(Files.size(file) > 3L * TsFileInput.WINDOW_BYTES, "file smaller than three windows");
    assertTrue(Files.size(file) % TsFileInput.WINDOW_BYTES != 0, "file ends on a window boundary");

    List<String> expected = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(e -> expected.add(describe(e)));
    for (int i = 0; i < copies; i++) {
      demuxer.feed(clip, 0, clip.length);
    }
    demuxer.finish();

    List<String> actual = new ArrayList<>();
    try (MediaInput input = new TsFileInput(file, 0)) {
      input.readAll(e -> actual.add(describe(e)));
    }
    assertTrue(expected.size() > copies, "too few events: " + expected.size());
    assertEquals(expected, actual);
  }

  private static String describe(StreamEvent event) {
    if (event instanceof MediaSample sample) {
      return sample.trackId() + " " + sample.pts90k() + " " + sample.dts90k() + " " + sample.keyframe() + " "
          + sample.data().length() + " " + Long.toHexString(sample.data().crc32());
    }
    return event.toString();
  }
}
