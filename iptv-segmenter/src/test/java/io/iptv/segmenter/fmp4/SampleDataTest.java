package io.iptv.segmenter.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SampleData}: samples already in MP4 form ({@code MP4_FORM}, as the file packager reads them from an MP4)
 * give the segments that their elementary-stream form gives; {@code EXTERNAL} segments are those segments without
 * the sample bytes.
 */
class SampleDataTest {
  /** Each sample of {@code t} in MP4 form (4-byte NAL lengths, raw AAC), as the writer's converter makes it. */
  private static List<MediaSample> mp4Form(Fmp4TestSupport.Track t) throws MediaException {
    SamplePayloads payloads = new SamplePayloads(t.format());
    List<MediaSample> out = new ArrayList<>();
    for (MediaSample s : t.samples()) {
      BoxWriter b = new BoxWriter(1 << 16);
      payloads.append(s.data(), b);
      out.add(new MediaSample(s.trackId(), s.pts90k(), s.dts90k(), s.keyframe(), b.takeOut()));
    }
    return out;
  }

  private static List<byte[]> write(Fmp4Track track, SampleData data, List<MediaSample> samples)
      throws MediaException {
    CmafSegmentWriter writer = CmafSegmentWriter.builder(track).sampleData(data).sidx(true).build();
    List<byte[]> segments = new ArrayList<>();
    List<List<MediaSample>> cuts = Fmp4TestSupport.cut(samples, 90_000);
    for (int i = 0; i < cuts.size(); i++) {
      long next = i + 1 < cuts.size() ? cuts.get(i + 1).get(0).dts90k() : io.iptv.core.time.Timestamps.NO_TIMESTAMP;
      segments.add(writer.write(i, cuts.get(i), next).bytes().toByteArray());
    }
    return segments;
  }

  @Test
  void mp4FormSamplesGiveTheSegmentsOfTheirElementaryStreamForm() throws MediaException {
    int tracks = 0;
    for (Fmp4TestSupport.Track t : Fmp4TestSupport.demux("h264_aac.ts").values()) {
      Fmp4Track track = Fmp4Track.of(1, t.format(), t.samples().get(0).data());
      List<MediaSample> mp4 = mp4Form(t);
      List<byte[]> expected = write(track, SampleData.ELEMENTARY_STREAM, t.samples());
      List<byte[]> actual = write(track, SampleData.MP4_FORM, mp4);
      assertEquals(expected.size(), actual.size());
      assertTrue(expected.size() >= 2, "segments: " + expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), t.format().codec() + " segment " + i);
      }
      // the mode matters: MP4-form video taken for Annex B is converted again, into other bytes
      if (t.format().type() == io.iptv.core.media.TrackType.VIDEO) {
        assertFalse(java.util.Arrays.equals(expected.get(0), write(track, SampleData.ELEMENTARY_STREAM, mp4).get(0)));
      }
      // EXTERNAL: the same segment up to the samples' bytes, which the caller appends
      List<byte[]> external = write(track, SampleData.EXTERNAL, mp4);
      List<List<MediaSample>> cuts = Fmp4TestSupport.cut(mp4, 90_000);
      for (int i = 0; i < expected.size(); i++) {
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        whole.writeBytes(external.get(i));
        for (MediaSample s : cuts.get(i)) {
          whole.writeBytes(s.data().toByteArray());
        }
        assertArrayEquals(expected.get(i), whole.toByteArray(), t.format().codec() + " external segment " + i);
      }
      tracks++;
    }
    assertEquals(2, tracks, "H.264 and AAC");
  }

  @Test
  void externalDataRefusesSyncSampleFragments() {
    Fmp4TestSupport.Track t;
    try {
      t = Fmp4TestSupport.demux("h264_aac.ts").values().iterator().next();
    } catch (MediaException e) {
      throw new AssertionError(e);
    }
    Fmp4Track track = Fmp4Track.of(1, t.format(), t.samples().get(0).data());
    assertThrows(IllegalStateException.class,
        () -> CmafSegmentWriter.builder(track).sampleData(SampleData.EXTERNAL).syncSampleFragments(true).build());
    CmafSegmentWriter.builder(track).sampleData(SampleData.MP4_FORM).syncSampleFragments(true).build();
    assertThrows(NullPointerException.class, () -> CmafSegmentWriter.builder(track).sampleData(null));
  }
}
