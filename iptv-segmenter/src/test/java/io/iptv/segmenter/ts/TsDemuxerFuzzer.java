package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes {@link TsDemuxer} with arbitrary bytes fed in arbitrary chunk sizes: only {@link MediaException}
 * may escape (any other exception, a hang or an OutOfMemoryError is a finding). {@link #demux} runs the
 * whole stack (real elementary-stream readers) and checks the event order contract;
 * {@link #anyInputOnlyRaisesMediaException} fuzzes the TS layer alone with recording readers and tight limits.
 *
 * <p>In a normal {@code mvn test} this runs in regression mode over the seeds in
 * {@code src/test/resources/io/iptv/segmenter/ts/TsDemuxerFuzzerInputs/demux/} (a few packets cut from
 * the test clips) and over earlier findings stored there. To fuzz for {@code maxDuration}:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -o -pl iptv-segmenter -am test -Dtest='TsDemuxerFuzzer#demux' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * (one fuzz test per run; use {@code #anyInputOnlyRaisesMediaException} for the other).
 *
 * Findings are written into the inputs directory and from then on replayed by every build.
 */
class TsDemuxerFuzzer {
  /** Inputs larger than this are ignored, to keep each run fast. */
  static final int MAX_INPUT_BYTES = 64 * 1024;

  @FuzzTest(maxDuration = "60s")
  void demux(FuzzedDataProvider data) {
    // Primitives come from the end of the input, so a raw TS seed still starts with its packets.
    int chunkSize = data.consumeInt(1, 4096);
    int programNumber = data.consumeInt(0, 3);
    byte[] ts = data.consumeRemainingAsBytes();
    if (ts.length > MAX_INPUT_BYTES) {
      return;
    }
    List<StreamEvent> events = new ArrayList<>();
    TsDemuxer.Builder builder = TsDemuxer.builder();
    if (programNumber != 0) {
      builder.programNumber(programNumber);
    }
    TsDemuxer demuxer = builder.build(events::add);
    try {
      for (int offset = 0; offset < ts.length; offset += chunkSize) {
        demuxer.feed(ts, offset, Math.min(chunkSize, ts.length - offset));
      }
      demuxer.finish();
    } catch (MediaException expected) {
      return; // the one exception damaged input may produce
    }
    assertEventOrder(events);
    demuxer.statistics();
    demuxer.programs();
  }

  @FuzzTest(maxDuration = "30s")
  void anyInputOnlyRaisesMediaException(byte[] input) {
    byte[] data = input.length > 2 ? input : TsDemuxerTest.damagedStream();
    int chunk = 1 + (data[0] & 0xFF);
    List<Object> events = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().readerFactory(RecordingReaders.FACTORY).maxPesBytes(65536)
        .maxResyncBytes(4096).build(events::add);
    try {
      for (int i = 1; i < data.length; i += chunk) {
        demuxer.feed(data, i, Math.min(chunk, data.length - i));
      }
      demuxer.finish();
    } catch (MediaException expected) {
      // not TS, or scrambled: fine
    }
    demuxer.statistics();
    demuxer.programs();
  }

  /** TrackAdded before a track's samples; exactly one EndOfStream, last. */
  private static void assertEventOrder(List<StreamEvent> events) {
    Set<Integer> added = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      StreamEvent e = events.get(i);
      if (e instanceof StreamEvent.TrackAdded t) {
        added.add(t.format().trackId());
      } else if (e instanceof MediaSample s) {
        assertTrue(added.contains(s.trackId()), "sample of PID " + s.trackId() + " before its TrackAdded");
      } else if (e instanceof StreamEvent.EndOfStream) {
        assertEquals(events.size() - 1, i, "EndOfStream is last");
      }
    }
    assertTrue(!events.isEmpty() && events.get(events.size() - 1) instanceof StreamEvent.EndOfStream,
        "finish() emits EndOfStream");
  }
}
