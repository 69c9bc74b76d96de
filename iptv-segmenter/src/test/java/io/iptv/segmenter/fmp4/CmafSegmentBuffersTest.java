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

  /**
   * A segment larger than the writer's first buffer (1 MiB) is written into one array taken at its start, sized
   * from its samples: not grown by half three times (old and new array live at once each time), which with
   * {@code -Xmx64m} ran a 1 GB TS → fMP4 out of memory.
   */
  @Test
  void aLargeSegmentIsWrittenIntoOneArray() throws MediaException {
    Fmp4TestSupport.Track video = Fmp4TestSupport.demux("h264_aac.ts").values().stream()
        .filter(t -> t.format().codec() == io.iptv.core.media.Codec.H264).findFirst().orElseThrow();
    List<MediaSample> samples = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      byte[] payload = new byte[120_000 + 1_000 * i]; // not Annex B: one NAL unit each
      java.util.Arrays.fill(payload, (byte) 0x65); // nal_unit_type 5 (IDR slice)
      samples.add(new MediaSample(video.format().trackId(), 3_600L * i, 3_600L * i, i == 0, ByteSlice.wrap(payload)));
    }
    Fmp4Track track = Fmp4Track.of(1, video.format(), video.samples().get(0).data());
    SegmentBufferPool pool = SegmentBufferPool.of(64L << 20);
    ByteSlice pooled = CmafSegmentWriter.builder(track).segmentBuffers(pool).build()
        .write(0, samples, 90_000).bytes();
    ByteSlice fresh = CmafSegmentWriter.builder(track).build().write(0, samples, 90_000).bytes();
    assertTrue(pooled.length() > 3 << 20, "segment of " + pooled.length() + " bytes");
    assertArrayEquals(fresh.toByteArray(), pooled.toByteArray());
    assertEquals(1, pool.allocations(), "arrays taken for one segment");
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
