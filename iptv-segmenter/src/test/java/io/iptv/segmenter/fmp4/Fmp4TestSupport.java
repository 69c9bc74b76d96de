package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.time.Timestamps;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: demux a committed TS clip by track; write a CMAF track file from samples. */
final class Fmp4TestSupport {
  private Fmp4TestSupport() {}

  /** One demuxed track. */
  record Track(TrackFormat format, List<MediaSample> samples) {}

  /** The clip's tracks that fMP4 supports, by TS track id, in PID order. */
  static Map<Integer, Track> demux(String clip) throws MediaException {
    byte[] ts = TestMedia.bytes(clip);
    Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
    Map<Integer, List<MediaSample>> samples = new LinkedHashMap<>();
    TsDemuxer d = TsDemuxer.builder().build(e -> {
      if (e instanceof StreamEvent.TrackAdded a) {
        formats.putIfAbsent(a.format().trackId(), a.format());
      } else if (e instanceof StreamEvent.TrackChanged c) {
        formats.put(c.format().trackId(), c.format());
      } else if (e instanceof MediaSample s) {
        samples.computeIfAbsent(s.trackId(), k -> new ArrayList<>()).add(s);
      }
    });
    d.feed(ts, 0, ts.length);
    d.finish();
    Map<Integer, Track> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, TrackFormat> f : formats.entrySet()) {
      List<MediaSample> list = samples.getOrDefault(f.getKey(), List.of());
      if (Fmp4Track.isSupported(f.getValue().codec()) && !list.isEmpty()) {
        // Video starts at the first keyframe, as the chunker does.
        int first = 0;
        while (f.getValue().type() == io.iptv.core.media.TrackType.VIDEO && first < list.size()
            && !list.get(first).keyframe()) {
          first++;
        }
        out.put(f.getKey(), new Track(f.getValue(), List.copyOf(list.subList(first, list.size()))));
      }
    }
    return out;
  }

  /** Cuts {@code samples} into segments starting at keyframes at least {@code minDuration90k} apart. */
  static List<List<MediaSample>> cut(List<MediaSample> samples, long minDuration90k) {
    List<List<MediaSample>> segments = new ArrayList<>();
    List<MediaSample> current = new ArrayList<>();
    long start = samples.get(0).dts90k();
    for (MediaSample s : samples) {
      if (!current.isEmpty() && s.keyframe() && s.dts90k() - start >= minDuration90k) {
        segments.add(current);
        current = new ArrayList<>();
        start = s.dts90k();
      }
      current.add(s);
    }
    segments.add(current);
    return segments;
  }

  /** Init segment plus media segments of one track, as separate byte arrays (index 0 = init). */
  static List<byte[]> writeTrackFile(Track t, long segment90k, boolean sidx) throws MediaException {
    Fmp4Track track = Fmp4Track.of(1, t.format(), t.samples().get(0).data());
    List<byte[]> files = new ArrayList<>();
    files.add(InitSegmentWriter.write(List.of(track)).toByteArray());
    CmafSegmentWriter writer = CmafSegmentWriter.builder(track).sidx(sidx).build();
    List<List<MediaSample>> segments = cut(t.samples(), segment90k);
    for (int i = 0; i < segments.size(); i++) {
      long next = i + 1 < segments.size() ? segments.get(i + 1).get(0).dts90k() : Timestamps.NO_TIMESTAMP;
      files.add(writer.write(i, segments.get(i), next).bytes().toByteArray());
    }
    return files;
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * The payload reduced to what both forms carry: NAL units without AUDs and without parameter sets equal to
   * the configuration (H.264/HEVC), each prefixed with its length; AAC without the ADTS header; others as is.
   */
  static ByteSlice normalized(TrackFormat format, ByteSlice payload) throws MediaException {
    Fmp4Track track = Fmp4Track.of(1, format, null);
    SamplePayloads p = new SamplePayloads(format.codec() == Codec.H264 || format.codec() == Codec.H265
        ? format : track.format());
    BoxWriter w = new BoxWriter();
    p.append(payload, w);
    return w.toSlice();
  }
}
