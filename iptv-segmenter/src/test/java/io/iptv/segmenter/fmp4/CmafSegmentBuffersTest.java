package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.ts.SegmentBufferPool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CMAF segments written into recycled pool buffers are byte for byte those written into fresh arrays. */
class CmafSegmentBuffersTest {
  @Test
  void recycledBuffersGiveTheSameSegments() throws MediaException {
    for (Fmp4TestSupport.Track t : Fmp4TestSupport.demux("h264_aac.ts").values()) {
      if (!Fmp4Track.isSupported(t.format().codec())) {
        continue;
      }
      List<byte[]> fresh = write(t, null);
      SegmentBufferPool pool = SegmentBufferPool.of(64L << 20);
      List<byte[]> pooled = write(t, pool);
      assertEquals(fresh.size(), pooled.size());
      for (int i = 0; i < fresh.size(); i++) {
        assertArrayEquals(fresh.get(i), pooled.get(i), "track " + t.format().trackId() + " segment " + i);
      }
      assertTrue(fresh.size() < 3 || pool.allocations() < fresh.size(), pool.allocations() + " arrays for "
          + fresh.size() + " segments");
    }
  }

  private static List<byte[]> write(Fmp4TestSupport.Track t, SegmentBufferPool pool) throws MediaException {
    Fmp4Track track = Fmp4Track.of(1, t.format(), t.samples().get(0).data());
    CmafSegmentWriter.Builder builder = CmafSegmentWriter.builder(track);
    if (pool != null) {
      builder.segmentBuffers(pool);
    }
    CmafSegmentWriter writer = builder.build();
    // 1 s segments: a recycled array still holds an older segment's bytes when the next one is written.
    List<List<MediaSample>> segments = Fmp4TestSupport.cut(t.samples(), 90_000);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      long next = i + 1 < segments.size() ? segments.get(i + 1).get(0).dts90k() : Timestamps.NO_TIMESTAMP;
      ByteSlice bytes = writer.write(i, segments.get(i), next).bytes();
      out.add(bytes.toByteArray());
      if (pool != null) {
        assertTrue(pool.recycle(bytes), "lent through the pool");
      }
    }
    return out;
  }
}
