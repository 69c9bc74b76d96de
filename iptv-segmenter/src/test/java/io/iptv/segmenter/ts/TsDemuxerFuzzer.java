package io.iptv.segmenter.ts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.iptv.core.MediaException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link TsDemuxer} with arbitrary bytes and splits: only {@link MediaException} may escape. Runs the
 * seed corpus as a regression test in normal builds; fuzz with {@code JAZZER_FUZZ=1}.
 */
class TsDemuxerFuzzer {
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
}
