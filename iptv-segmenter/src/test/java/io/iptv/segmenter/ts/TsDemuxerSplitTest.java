package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.iptv.core.MediaException;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.ByteSplits;
import io.iptv.core.testing.TestMedia;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demuxer's output must not depend on how its input is chunked: 1-byte, random-size and
 * packet-aligned feeds (and ByteBuffer feeds) give the same events and statistics as one whole buffer.
 */
class TsDemuxerSplitTest {
  static Stream<Arguments> clipsAndSplits() {
    List<Arguments> arguments = new ArrayList<>();
    for (String clip : TestMedia.TS_CLIPS) {
      for (ByteSplits split : ByteSplits.standard()) {
        arguments.add(Arguments.of(clip, split));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("clipsAndSplits")
  void splitFeedEqualsWholeBuffer(String clip, ByteSplits split) throws MediaException {
    byte[] ts = TestMedia.bytes(clip);
    DemuxRun whole = DemuxRun.of(ts);
    DemuxRun chunked = DemuxRun.of(ts, DemuxRun.DEFAULT_PROGRAM, split);

    assertSameEvents(clip + " " + split, whole.events(), chunked.events());
    assertEquals(whole.statistics(), chunked.statistics(), clip + " " + split + ": statistics");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void byteBufferFeedEqualsByteArrayFeed(boolean direct) throws MediaException {
    for (String clip : TestMedia.TS_CLIPS) {
      byte[] ts = TestMedia.bytes(clip);
      DemuxRun whole = DemuxRun.of(ts);

      List<StreamEvent> events = new ArrayList<>();
      TsDemuxer demuxer = TsDemuxer.builder().build(events::add);
      // A buffer whose content starts at a non-zero position and array offset, fed in 1000-byte windows.
      ByteBuffer backing = direct ? ByteBuffer.allocateDirect(ts.length + 10) : ByteBuffer.allocate(ts.length + 10);
      backing.position(7);
      backing.put(ts);
      for (int from = 0; from < ts.length; from += 1000) {
        ByteBuffer window = backing.duplicate();
        window.position(7 + from).limit(7 + Math.min(ts.length, from + 1000));
        demuxer.feed(window);
        assertEquals(window.limit(), window.position(), clip + ": feed(ByteBuffer) consumes the buffer");
      }
      demuxer.finish();

      assertSameEvents(clip + (direct ? " direct" : " heap") + " ByteBuffer", whole.events(), events);
      assertEquals(whole.statistics(), demuxer.statistics(), clip + ": statistics");
    }
  }

  static void assertSameEvents(String what, List<StreamEvent> expected, List<StreamEvent> actual) {
    if (expected.equals(actual)) {
      return;
    }
    int i = 0;
    while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
      i++;
    }
    String message = String.format("%s: %d events vs %d whole-buffer events; first difference at event #%d:"
            + "%n  whole:   %s%n  chunked: %s", what, actual.size(), expected.size(), i,
        i < expected.size() ? SampleDump.line(expected.get(i)) : "<none>",
        i < actual.size() ? SampleDump.line(actual.get(i)) : "<none>");
    fail(message);
  }
}
