package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link LowLatencyPlaylist}: the {@link PlaylistWriter} text of its base playlist with the
 * low-latency tags woven in (RFC 8216bis): {@code EXT-X-SERVER-CONTROL} and {@code EXT-X-PART-INF} after the
 * header, each segment's {@code EXT-X-PART}s before its {@code EXTINF}, the parts of the segment in progress
 * and {@code EXT-X-PRELOAD-HINT} after the last segment, then the {@code EXT-X-RENDITION-REPORT}s. A delta
 * update (§4.4.5.2, {@code _HLS_skip=YES}) replaces the oldest segments with {@code EXT-X-SKIP}, keeping at
 * least CAN-SKIP-UNTIL of segments; the EXT-X-MAP and EXT-X-KEY in force are repeated after it.
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * String full = LowLatencyPlaylistWriter.write(ll, false);
 * String delta = LowLatencyPlaylistWriter.write(ll, true);   // for _HLS_skip=YES
 * }</pre>
 */
public final class LowLatencyPlaylistWriter {
  private static final PlaylistWriter BASE = PlaylistWriter.defaults();

  private LowLatencyPlaylistWriter() {}

  /** The playlist as UTF-8 bytes. */
  public static ByteSlice writeBytes(LowLatencyPlaylist playlist, boolean delta) {
    return ByteSlice.wrap(write(playlist, delta).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The playlist text.
   *
   * @param delta whether to write a delta update (EXT-X-SKIP) instead of the full playlist
   */
  public static String write(LowLatencyPlaylist ll, boolean delta) {
    return write(ll, delta, false, null);
  }

  /** The playlist as UTF-8 bytes, see {@link #write(LowLatencyPlaylist, boolean, boolean, MediaInitialization)}. */
  public static ByteSlice writeBytes(LowLatencyPlaylist playlist, boolean delta, boolean nextDiscontinuity,
      MediaInitialization nextMap) {
    return ByteSlice.wrap(write(playlist, delta, nextDiscontinuity, nextMap).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The playlist text, the parts of the segment in progress preceded by its media segment tags (RFC 8216bis
   * §4.4.4.9: they apply to the parent segment and come before its first EXT-X-PART): EXT-X-DISCONTINUITY when
   * it starts a new period, EXT-X-MAP when its Media Initialization Section differs from the one in force.
   *
   * @param nextDiscontinuity whether the segment in progress starts with a discontinuity
   * @param nextMap the segment in progress's EXT-X-MAP, or null
   */
  public static String write(LowLatencyPlaylist ll, boolean delta, boolean nextDiscontinuity,
      MediaInitialization nextMap) {
    Preconditions.requireArgument(ll.skippedSegments() == 0, "write a full playlist model, not a delta");
    MediaPlaylist base = ll.base();
    int skip = delta ? skippable(ll) : 0;
    String[] lines = BASE.write(base).split("\n");
    StringBuilder out = new StringBuilder(lines.length * 48 + 512);
    int i = 0;
    // header: everything before the first segment's tags
    for (; i < lines.length && isHeader(lines[i]); i++) {
      String line = lines[i];
      if (line.startsWith("#EXT-X-VERSION:")) {
        int version = Math.max(Integer.parseInt(line.substring(15).trim()), 6);
        line = "#EXT-X-VERSION:" + (skip > 0 ? Math.max(version, 9) : version);
      }
      out.append(line).append('\n');
    }
    LowLatencyPlaylist.ServerControl sc = ll.serverControl();
    out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=").append(sc.canBlockReload() ? "YES" : "NO");
    if (sc.partHoldBack() != null) {
      out.append(",PART-HOLD-BACK=").append(seconds(sc.partHoldBack(), 3));
    }
    if (sc.canSkipUntil() != null) {
      out.append(",CAN-SKIP-UNTIL=").append(seconds(sc.canSkipUntil(), 1));
    }
    out.append('\n');
    out.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(ll.partTarget(), 3)).append('\n');
    long msn = base.mediaSequence();
    List<String> block = new ArrayList<>();
    String lastMap = null;
    String mapInForce = null;
    List<String> keysInForce = new ArrayList<>();
    String lastKey = null;
    boolean skipWritten = false;
    String tail = null;
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (line.equals("#EXT-X-ENDLIST")) {
        tail = line;
        continue;
      }
      block.add(line);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      // a URI line ends the segment's block
      if (msn - base.mediaSequence() < skip) {
        for (String b : block) {
          if (b.startsWith("#EXT-X-MAP:")) {
            lastMap = b;
          } else if (b.startsWith("#EXT-X-KEY:")) {
            lastKey = b;
          }
        }
      } else {
        if (skip > 0 && !skipWritten) {
          out.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skip).append('\n');
          if (lastMap != null && block.stream().noneMatch(b -> b.startsWith("#EXT-X-MAP:"))) {
            out.append(lastMap).append('\n');
          }
          if (lastKey != null && block.stream().noneMatch(b -> b.startsWith("#EXT-X-KEY:"))) {
            out.append(lastKey).append('\n');
          }
          skipWritten = true;
        }
        for (String b : block) {
          if (b.startsWith("#EXTINF:")) {
            writeParts(out, ll.parts().get(msn));
          }
          out.append(b).append('\n');
        }
      }
      String previous = "";
      for (String b : block) {
        if (b.startsWith("#EXT-X-MAP:")) {
          mapInForce = b;
        } else if (b.startsWith("#EXT-X-KEY:")) {
          if (!previous.startsWith("#EXT-X-KEY:")) {
            keysInForce.clear(); // a new key block (one line per key format) replaces the old one
          }
          keysInForce.add(b);
        }
        previous = b;
      }
      block.clear();
      msn++;
    }
    if (tail == null) {
      List<PartialSegment> pending = ll.parts().get(msn);
      if (pending != null && !pending.isEmpty()) {
        if (nextDiscontinuity) {
          out.append("#EXT-X-DISCONTINUITY\n");
        }
        String map = nextMap == null ? null : mapLine(nextMap);
        if (map != null && !map.equals(mapInForce)) {
          boolean keyed = !keysInForce.isEmpty() && !keysInForce.get(0).equals("#EXT-X-KEY:METHOD=NONE");
          if (keyed) {
            out.append("#EXT-X-KEY:METHOD=NONE\n"); // §4.3.2.5: the map is in the clear, as PlaylistWriter does
          }
          out.append(map).append('\n');
          if (keyed) {
            for (String key : keysInForce) {
              out.append(key).append('\n'); // the parts are still under the key of the segments before
            }
          }
        }
      }
      writeParts(out, pending);
      if (ll.preloadHintUri() != null) {
        out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(ll.preloadHintUri()).append("\"\n");
      }
    } else {
      out.append(tail).append('\n');
    }
    for (LowLatencyPlaylist.RenditionReport r : ll.renditionReports()) {
      out.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.uri()).append("\",LAST-MSN=").append(r.lastMsn());
      if (r.lastPart() >= 0) {
        out.append(",LAST-PART=").append(r.lastPart());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The EXT-X-MAP line as {@link PlaylistWriter} writes it (RFC 8216 §4.3.2.5). */
  private static String mapLine(MediaInitialization map) {
    return "#EXT-X-MAP:URI=\"" + map.uri() + "\""
        + (map.byteRange() == null ? "" : ",BYTERANGE=\"" + map.byteRange() + "\"");
  }

  /**
   * How many of the oldest segments a delta update skips: all but the newest ones that together last at
   * least CAN-SKIP-UNTIL (§4.4.3.8: the client may only ask when its copy is younger than that); 0 when delta
   * updates are not offered.
   */
  public static int skippable(LowLatencyPlaylist ll) {
    Duration until = ll.serverControl().canSkipUntil();
    if (until == null) {
      return 0;
    }
    List<MediaSegment> segments = ll.base().segments();
    Duration kept = Duration.ZERO;
    int keep = 0;
    for (int i = segments.size() - 1; i >= 0 && kept.compareTo(until) < 0; i--) {
      kept = kept.plus(segments.get(i).duration());
      keep++;
    }
    return segments.size() - keep;
  }

  private static void writeParts(StringBuilder out, List<PartialSegment> parts) {
    if (parts == null) {
      return;
    }
    for (PartialSegment p : parts) {
      out.append("#EXT-X-PART:DURATION=").append(seconds(p.duration(), 5)).append(",URI=\"").append(p.uri())
          .append('"');
      if (p.independent()) {
        out.append(",INDEPENDENT=YES");
      }
      if (p.byteRange() != null) {
        out.append(",BYTERANGE=\"").append(p.byteRange()).append('"');
      }
      out.append('\n');
    }
  }

  private static boolean isHeader(String line) {
    return line.equals("#EXTM3U") || line.startsWith("#EXT-X-VERSION") || line.startsWith("#EXT-X-TARGETDURATION")
        || line.startsWith("#EXT-X-MEDIA-SEQUENCE") || line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE")
        || line.startsWith("#EXT-X-PLAYLIST-TYPE") || line.equals("#EXT-X-I-FRAMES-ONLY")
        || line.equals("#EXT-X-INDEPENDENT-SEGMENTS");
  }

  static String seconds(Duration d, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", d.toNanos() / 1e9);
  }
}
