package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.time.PtsUnwrapper;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers shared by the reader tests. */
final class EsTestSupport {
  private EsTestSupport() {}

  static final long NO_TS = Long.MIN_VALUE;

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static ElementaryStreamReader reader(Codec codec) {
    return ElementaryStreamReaders.create(new EsInfo(1, 0x100, 0, codec, "eng", ByteSlice.empty()),
        new PtsUnwrapper());
  }

  /** Feeds {@code data} as one payload unit; the caller's array is overwritten afterwards to catch aliasing. */
  static void feed(ElementaryStreamReader reader, byte[] data, long pts, List<StreamEvent> events)
      throws MediaException {
    byte[] copy = data.clone();
    reader.consume(copy, 0, copy.length, pts, pts, false, events::add);
    java.util.Arrays.fill(copy, (byte) 0x5A);
  }

  /** Feeds {@code data} one byte per call (timestamp on the first byte only). */
  static void feedBytewise(ElementaryStreamReader reader, byte[] data, long pts, List<StreamEvent> events)
      throws MediaException {
    for (int i = 0; i < data.length; i++) {
      byte[] one = {data[i]};
      reader.consume(one, 0, 1, i == 0 ? pts : NO_TS, i == 0 ? pts : NO_TS, false, events::add);
      one[0] = 0x5A;
    }
  }

  static List<MediaSample> samples(List<StreamEvent> events) {
    return events.stream().filter(e -> e instanceof MediaSample).map(e -> (MediaSample) e).toList();
  }

  static String describe(List<StreamEvent> events) {
    List<String> lines = new ArrayList<>();
    for (StreamEvent e : events) {
      if (e instanceof MediaSample s) {
        lines.add("sample " + s.pts90k() + "/" + s.dts90k() + " " + s.sizeBytes() + (s.keyframe() ? " K " : " _ ")
            + Long.toHexString(s.data().crc32()));
      } else {
        lines.add(e.getClass().getSimpleName());
      }
    }
    return lines.stream().collect(Collectors.joining("\n"));
  }
}
