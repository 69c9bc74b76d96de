package io.iptv.segmenter.ts;

import io.iptv.core.media.MediaSample;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Human-readable, diff-friendly dumps of demuxer output for golden files and failure messages: one line per
 * event, samples as {@code pid=0x100 pts=133200 dts=126000 key=1 size=6735 crc=cb8d8d18}.
 */
final class SampleDump {
  private SampleDump() {}

  /** The golden dump: first line the track formats, then one line per event, then the statistics. */
  static String dump(DemuxRun run) {
    StringBuilder sb = new StringBuilder();
    List<TrackFormat> formats = run.events().stream()
        .filter(StreamEvent.TrackAdded.class::isInstance)
        .map(e -> ((StreamEvent.TrackAdded) e).format())
        .toList();
    sb.append("tracks ").append(formats.stream().map(SampleDump::format).collect(Collectors.joining(" | ")))
        .append('\n');
    for (StreamEvent event : run.events()) {
      if (!(event instanceof StreamEvent.TrackAdded)) {
        sb.append(line(event)).append('\n');
      }
    }
    sb.append(statistics(run.statistics())).append('\n');
    return sb.toString();
  }

  /** One sample as a dump line. */
  static String sample(MediaSample s) {
    return sample(s.trackId(), s.pts90k(), s.dts90k(), s.keyframe(), s.sizeBytes(), s.data().crc32());
  }

  /** A sample line from its fields. */
  static String sample(int pid, long pts, long dts, boolean key, int size, long crc) {
    return String.format(Locale.ROOT, "pid=0x%x pts=%d dts=%d key=%d size=%d crc=%08x",
        pid, pts, dts, key ? 1 : 0, size, crc);
  }

  /** One event as a dump line. */
  static String line(StreamEvent event) {
    if (event instanceof MediaSample s) {
      return sample(s);
    }
    if (event instanceof StreamEvent.TrackAdded t) {
      return "added " + format(t.format());
    }
    if (event instanceof StreamEvent.TrackChanged t) {
      return "changed " + format(t.format());
    }
    if (event instanceof StreamEvent.Discontinuity d) {
      return "discontinuity " + d.reason() + " last=" + d.lastTimestamp90k() + " next=" + d.nextTimestamp90k();
    }
    if (event instanceof StreamEvent.TimedMetadata m) {
      return String.format(Locale.ROOT, "metadata pid=0x%x pts=%d size=%d crc=%08x",
          m.trackId(), m.pts90k(), m.data().length(), m.data().crc32());
    }
    if (event instanceof SpliceCue c) {
      return String.format(Locale.ROOT, "splice pid=0x%x %s pts=%d event=%d out=%b", c.trackId(), c.command(),
          c.splicePts90k(), c.eventId(), c.outOfNetwork());
    }
    if (event instanceof StreamEvent.EndOfStream) {
      return "end";
    }
    return event.toString();
  }

  /** A track format on one line. */
  static String format(TrackFormat f) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "0x%x %s %s", f.trackId(), f.type(), f.codec()));
    if (f.codecString() != null) {
      sb.append(" codecs=").append(f.codecString());
    }
    if (f.width() > 0 || f.height() > 0) {
      sb.append(' ').append(f.width()).append('x').append(f.height());
    }
    if (f.frameRate() > 0) {
      sb.append(String.format(Locale.ROOT, " fps=%.3f", f.frameRate()));
    }
    if (f.sampleRate() > 0) {
      sb.append(" rate=").append(f.sampleRate());
    }
    if (f.channels() > 0) {
      sb.append(" ch=").append(f.channels());
    }
    if (f.language() != null) {
      sb.append(" lang=").append(f.language());
    }
    if (!f.codecConfig().isEmpty()) {
      sb.append(" config=").append(f.codecConfig().stream()
          .map(c -> String.format(Locale.ROOT, "%d:%08x", c.length(), c.crc32()))
          .collect(Collectors.joining(",")));
    }
    if (f.scrambled()) {
      sb.append(" scrambled");
    }
    return sb.toString();
  }

  /** The whole-stream counters that do not depend on how the input was chunked. */
  static String statistics(TsStatistics s) {
    return "stats packetSize=" + s.packetSize() + " bytesIn=" + s.bytesIn() + " packets=" + s.packets()
        + " syncLosses=" + s.syncLosses() + " bytesSkipped=" + s.bytesSkipped()
        + " truncatedBytes=" + s.truncatedBytes() + " tei=" + s.teiPackets() + " ccErrors=" + s.ccErrors()
        + " discontinuities=" + s.discontinuities() + " wraps=" + s.timestampWraps()
        + " pesDropped=" + s.pesDropped();
  }
}
