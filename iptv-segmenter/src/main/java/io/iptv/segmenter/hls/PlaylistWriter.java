package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@link MediaPlaylist}s and {@link MultivariantPlaylist}s as exact, deterministic text (RFC 8216
 * §4): LF line ends, no blank lines, tags in a fixed order, attributes in a fixed order.
 *
 * <p>{@code EXT-X-VERSION} is the lowest that fits the features used (RFC 8216 §7): 3 for the decimal
 * EXTINF values always written; 4 with {@code EXT-X-BYTERANGE} or {@code EXT-X-I-FRAMES-ONLY}; 5 with
 * KEYFORMAT/KEYFORMATVERSIONS, SAMPLE-AES or {@code EXT-X-MAP} in an I-frames-only playlist; 6 with
 * {@code EXT-X-MAP} otherwise; 2 for an IV attribute. A Multivariant Playlist uses none of these and says
 * version 1. EXTINF is written with {@link Builder#durationDecimals(int) 3 or 5 decimals} (half up),
 * PROGRAM-DATE-TIME as ISO 8601 with milliseconds and offset ({@code 2024-05-01T12:00:00.000Z}).
 *
 * <p>Media Playlist layout: {@code EXTM3U}, {@code EXT-X-VERSION}, {@code EXT-X-TARGETDURATION},
 * {@code EXT-X-MEDIA-SEQUENCE}, {@code EXT-X-DISCONTINUITY-SEQUENCE} (if not 0),
 * {@code EXT-X-PLAYLIST-TYPE}, {@code EXT-X-I-FRAMES-ONLY}, {@code EXT-X-INDEPENDENT-SEGMENTS}, then per
 * segment {@code EXT-X-DISCONTINUITY}, {@code EXT-X-KEY} and {@code EXT-X-MAP} (where they change),
 * {@code EXT-X-CUE-OUT}/{@code -CUE-OUT-CONT}/{@code -CUE-IN}, {@code EXT-X-DATERANGE},
 * {@code EXT-X-PROGRAM-DATE-TIME}, {@code EXTINF}, {@code EXT-X-BYTERANGE} (always {@code n@o}), URI; and
 * {@code EXT-X-ENDLIST}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * String text = PlaylistWriter.defaults().write(mediaPlaylist);
 * ByteSlice body = PlaylistWriter.defaults().writeBytes(multivariant);
 * }</pre>
 */
public final class PlaylistWriter {
  private static final PlaylistWriter DEFAULTS = builder().build();
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private final int durationDecimals;

  private PlaylistWriter(Builder b) {
    this.durationDecimals = b.durationDecimals;
  }

  /** A writer with 3 EXTINF decimals. */
  public static PlaylistWriter defaults() {
    return DEFAULTS;
  }

  /** Starts configuring a writer. */
  public static Builder builder() {
    return new Builder();
  }

  /** The playlist as UTF-8 bytes. */
  public ByteSlice writeBytes(HlsPlaylist playlist) {
    return ByteSlice.wrap(write(playlist).getBytes(StandardCharsets.UTF_8));
  }

  /** The playlist text. */
  public String write(HlsPlaylist playlist) {
    Objects.requireNonNull(playlist, "playlist");
    if (playlist instanceof MediaPlaylist media) {
      return writeMedia(media);
    }
    return writeMultivariant((MultivariantPlaylist) playlist);
  }

  /** The lowest EXT-X-VERSION for a Multivariant Playlist (RFC 8216 §7): raised only by session keys. */
  public static int requiredVersion(MultivariantPlaylist playlist) {
    int version = 1;
    for (HlsKey key : playlist.sessionKeys()) {
      // RFC 8216 §7: IV needs 2, KEYFORMAT/KEYFORMATVERSIONS need 5 (EXT-X-SESSION-KEY has EXT-X-KEY's attributes).
      if (key.keyFormat() != null || key.keyFormatVersions() != null) {
        version = Math.max(version, 5);
      } else if (key.iv() != null) {
        version = Math.max(version, 2);
      }
    }
    return version;
  }

  /** The lowest EXT-X-VERSION for a Media Playlist (RFC 8216 §7). */
  public static int requiredVersion(MediaPlaylist playlist) {
    int version = 3; // decimal EXTINF
    if (playlist.iFramesOnly()) {
      version = 4;
    }
    for (MediaSegment s : playlist.segments()) {
      if (s.byteRange() != null) {
        version = Math.max(version, 4);
      }
      for (HlsKey key : s.keys()) {
        if (key.keyFormat() != null || key.keyFormatVersions() != null || key.method().startsWith("SAMPLE-AES")) {
          version = Math.max(version, 5);
        }
      }
      if (s.map() != null) {
        version = Math.max(version, playlist.iFramesOnly() ? 5 : 6);
      }
    }
    return version;
  }

  private String writeMedia(MediaPlaylist p) {
    StringBuilder out = new StringBuilder(128 + 96 * p.segments().size());
    out.append("#EXTM3U\n");
    out.append("#EXT-X-VERSION:").append(requiredVersion(p)).append('\n');
    out.append("#EXT-X-TARGETDURATION:").append(p.targetDuration()).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(p.mediaSequence()).append('\n');
    if (p.discontinuitySequence() != 0) {
      out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(p.discontinuitySequence()).append('\n');
    }
    if (p.playlistType() != null) {
      out.append("#EXT-X-PLAYLIST-TYPE:").append(p.playlistType().name()).append('\n');
    }
    if (p.iFramesOnly()) {
      out.append("#EXT-X-I-FRAMES-ONLY\n");
    }
    if (p.independentSegments()) {
      out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    }
    List<HlsKey> keys = List.of();
    MediaInitialization map = null;
    for (MediaSegment s : p.segments()) {
      if (s.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (!Objects.equals(map, s.map())) {
        map = s.map();
        if (map == null) {
          throw new IllegalArgumentException("segment " + s.uri() + " drops EXT-X-MAP, which HLS cannot express");
        }
        if (!keys.isEmpty()) {
          // RFC 8216 §4.3.2.5: the EXT-X-KEY in force applies to the EXT-X-MAP too; initialization sections are
          // written in the clear, so no key may be in force where the map is declared.
          keys = List.of();
          writeKey(out, null);
        }
        out.append("#EXT-X-MAP:URI=").append(quoted(map.uri()));
        if (map.byteRange() != null) {
          out.append(",BYTERANGE=").append(quoted(map.byteRange().toString()));
        }
        out.append('\n');
      }
      if (!keys.equals(s.keys())) {
        keys = s.keys();
        if (keys.isEmpty()) {
          writeKey(out, null);
        }
        for (HlsKey key : keys) {
          writeKey(out, key); // one EXT-X-KEY per key format, all applying to the segments that follow
        }
      }
      if (!s.cueMarkers().isEmpty() || !s.dateRanges().isEmpty()) {
        AdMarkerTags.write(out, s, p);
      }
      if (s.programDateTime() != null) {
        out.append("#EXT-X-PROGRAM-DATE-TIME:").append(formatDateTime(s.programDateTime())).append('\n');
      }
      out.append("#EXTINF:").append(formatDuration(s.duration())).append(',').append(s.title()).append('\n');
      if (s.byteRange() != null) {
        out.append("#EXT-X-BYTERANGE:").append(s.byteRange()).append('\n');
      }
      out.append(uriLine(s.uri())).append('\n');
    }
    if (p.endList()) {
      out.append("#EXT-X-ENDLIST\n");
    }
    return out.toString();
  }

  private static void writeKey(StringBuilder out, HlsKey key) {
    if (key == null) {
      out.append("#EXT-X-KEY:METHOD=NONE\n");
      return;
    }
    writeKeyAttributes(out, "#EXT-X-KEY:", key);
  }

  /** The attributes shared by EXT-X-KEY and EXT-X-SESSION-KEY (RFC 8216 §4.3.2.4, §4.3.4.5), and the newline. */
  private static void writeKeyAttributes(StringBuilder out, String tag, HlsKey key) {
    out.append(tag).append("METHOD=").append(enumerated(key.method()));
    out.append(",URI=").append(quoted(key.uri()));
    if (key.iv() != null) {
      Preconditions.requireArgument(key.iv().matches("0[xX][0-9a-fA-F]{1,32}"), "IV %s is not hexadecimal", key.iv());
      out.append(",IV=").append(key.iv());
    }
    if (key.keyFormat() != null) {
      out.append(",KEYFORMAT=").append(quoted(key.keyFormat()));
    }
    if (key.keyFormatVersions() != null) {
      out.append(",KEYFORMATVERSIONS=").append(quoted(key.keyFormatVersions()));
    }
    out.append('\n');
  }

  private String writeMultivariant(MultivariantPlaylist p) {
    StringBuilder out = new StringBuilder(256);
    out.append("#EXTM3U\n");
    out.append("#EXT-X-VERSION:").append(requiredVersion(p)).append('\n');
    if (p.independentSegments()) {
      out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    }
    for (HlsKey key : p.sessionKeys()) {
      writeKeyAttributes(out, "#EXT-X-SESSION-KEY:", key);
    }
    for (MultivariantPlaylist.Rendition r : p.renditions()) {
      out.append("#EXT-X-MEDIA:TYPE=").append(r.type().attributeValue());
      out.append(",GROUP-ID=").append(quoted(r.groupId()));
      out.append(",NAME=").append(quoted(r.name()));
      if (r.language() != null) {
        out.append(",LANGUAGE=").append(quoted(r.language()));
      }
      out.append(",DEFAULT=").append(r.isDefault() ? "YES" : "NO");
      out.append(",AUTOSELECT=").append(r.autoselect() ? "YES" : "NO");
      if (r.uri() != null) {
        out.append(",URI=").append(quoted(r.uri()));
      }
      out.append('\n');
    }
    for (MultivariantPlaylist.Variant v : p.variants()) {
      out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
      if (v.averageBandwidth() > 0) {
        out.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
      }
      if (v.codecs() != null) {
        out.append(",CODECS=").append(quoted(v.codecs()));
      }
      if (v.width() > 0) {
        out.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
      }
      if (v.frameRate() > 0) {
        out.append(",FRAME-RATE=").append(BigDecimal.valueOf(v.frameRate()).setScale(3, RoundingMode.HALF_UP));
      }
      if (v.audioGroup() != null) {
        out.append(",AUDIO=").append(quoted(v.audioGroup()));
      }
      out.append('\n').append(uriLine(v.uri())).append('\n');
    }
    for (MultivariantPlaylist.IFrameStream f : p.iFrameStreams()) {
      out.append("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=").append(f.bandwidth());
      if (f.averageBandwidth() > 0) {
        out.append(",AVERAGE-BANDWIDTH=").append(f.averageBandwidth());
      }
      if (f.codecs() != null) {
        out.append(",CODECS=").append(quoted(f.codecs()));
      }
      if (f.width() > 0) {
        out.append(",RESOLUTION=").append(f.width()).append('x').append(f.height());
      }
      out.append(",URI=").append(quoted(f.uri())).append('\n');
    }
    return out.toString();
  }

  /** EXTINF value with the configured decimals, rounded half up. */
  String formatDuration(Duration d) {
    BigDecimal seconds = new BigDecimal(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return seconds.setScale(durationDecimals, RoundingMode.HALF_UP).toPlainString();
  }

  /** ISO 8601 with milliseconds and offset ("Z" for UTC). */
  static String formatDateTime(OffsetDateTime t) {
    return DATE_TIME.format(t);
  }

  private static String quoted(String value) {
    Preconditions.requireArgument(value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0,
        "quoted-string may not contain '\"' or line breaks: %s", value);
    return '"' + value + '"';
  }

  private static String enumerated(String value) {
    Preconditions.requireArgument(value.matches("[A-Za-z0-9-]+"), "invalid enumerated-string %s", value);
    return value;
  }

  private static String uriLine(String uri) {
    Preconditions.requireArgument(!uri.isEmpty() && !uri.startsWith("#") && uri.indexOf('\n') < 0
        && uri.indexOf('\r') < 0, "invalid URI line %s", uri);
    return uri;
  }

  /** Configures a {@link PlaylistWriter}. Not thread-safe. */
  public static final class Builder {
    private int durationDecimals = 3;
    private boolean decimalsSet;

    private Builder() {}

    /** EXTINF decimals: 3 (default, milliseconds) or 5 (10 µs, finer than one 90 kHz tick). */
    public Builder durationDecimals(int value) {
      Preconditions.requireState(!decimalsSet, "durationDecimals was already set to %d", durationDecimals);
      Preconditions.requireArgument(value == 3 || value == 5, "durationDecimals %d is not 3 or 5", value);
      durationDecimals = value;
      decimalsSet = true;
      return this;
    }

    /** Builds the writer. */
    public PlaylistWriter build() {
      return new PlaylistWriter(this);
    }
  }
}
