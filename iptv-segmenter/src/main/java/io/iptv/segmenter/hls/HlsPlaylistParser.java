package io.iptv.segmenter.hls;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses HLS playlists (RFC 8216 §4) into {@link MediaPlaylist} or {@link MultivariantPlaylist}: what
 * {@link PlaylistWriter} writes and what other packagers (ffmpeg hlsenc, Shaka Packager, Apple tools)
 * produce.
 *
 * <p>Accepted: a UTF-8 BOM, CRLF or LF line ends, blank lines, comments and unknown tags (ignored, RFC 8216
 * §4.1), attribute lists with quoted strings containing commas, {@code EXT-X-BYTERANGE} without offset
 * (resolved from the previous segment of the same URI, §4.3.2.2), integer or decimal EXTINF, PROGRAM-DATE-TIME
 * with or without fraction and with {@code Z}, {@code +hh:mm} or {@code +hhmm}. Not checked: the
 * target-duration rule (the model is built without it, so non-conforming live playlists still parse).
 * Rejected with {@link MediaException} ({@link MediaException.Kind#MALFORMED}, message with the line number):
 * a missing {@code #EXTM3U}, malformed attribute lists and numbers, a URI without {@code EXTINF} or
 * {@code EXT-X-STREAM-INF}, media and multivariant tags mixed, invalid UTF-8. Input larger than
 * {@link Builder#maxBytes(int)} is rejected with {@link MediaException.Kind#LIMIT_EXCEEDED}. Nothing else
 * escapes.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * HlsPlaylistParser parser = HlsPlaylistParser.builder().maxBytes(1 << 20).build();
 * MediaPlaylist playlist = parser.parseMedia(bytes);
 * }</pre>
 */
public final class HlsPlaylistParser {
  private static final DateTimeFormatter COMPACT_OFFSET =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][.SS][.S]xx");

  private final int maxBytes;

  private HlsPlaylistParser(Builder b) {
    this.maxBytes = b.maxBytes;
  }

  /** Starts configuring a parser. */
  public static Builder builder() {
    return new Builder();
  }

  /** Parses a Media Playlist; a Multivariant Playlist is an error. */
  public MediaPlaylist parseMedia(byte[] bytes) throws MediaException {
    HlsPlaylist p = parse(bytes);
    if (p instanceof MediaPlaylist media) {
      return media;
    }
    throw MediaException.malformed("expected a Media Playlist, got a Multivariant Playlist");
  }

  /** Parses a Multivariant Playlist; a Media Playlist is an error. */
  public MultivariantPlaylist parseMultivariant(byte[] bytes) throws MediaException {
    HlsPlaylist p = parse(bytes);
    if (p instanceof MultivariantPlaylist multivariant) {
      return multivariant;
    }
    throw MediaException.malformed("expected a Multivariant Playlist, got a Media Playlist");
  }

  /** Parses either kind of playlist from UTF-8 bytes. */
  public HlsPlaylist parse(byte[] bytes) throws MediaException {
    if (bytes.length > maxBytes) {
      throw MediaException.limitExceeded("playlist of " + bytes.length + " bytes exceeds " + maxBytes);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw MediaException.malformed("playlist is not valid UTF-8");
    }
    return parse(text);
  }

  /** Parses either kind of playlist from text. */
  public HlsPlaylist parse(String text) throws MediaException {
    if (text.length() > maxBytes) {
      throw MediaException.limitExceeded("playlist of " + text.length() + " chars exceeds " + maxBytes);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    State s = new State();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int lineNumber = i + 1;
      try {
        if (i == 0) {
          if (!line.strip().equals("#EXTM3U")) {
            throw new Malformed("first line is not #EXTM3U");
          }
          continue;
        }
        parseLine(line.strip(), s);
      } catch (Malformed e) {
        throw MediaException.malformed("line " + lineNumber + ": " + e.getMessage());
      } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
        throw MediaException.malformed("line " + lineNumber + ": " + e.getMessage());
      }
    }
    if (s.pendingExtinf != null || s.pendingVariant != null) {
      throw MediaException.malformed("line " + lines.length + ": tag without the URI line it needs");
    }
    if (s.multivariant) {
      try {
        return s.multivariantBuilder.build();
      } catch (IllegalArgumentException e) {
        throw MediaException.malformed(e.getMessage());
      }
    }
    return s.media.buildUnchecked();
  }

  private static void parseLine(String line, State s) throws Malformed {
    if (line.isEmpty()) {
      return;
    }
    if (!line.startsWith("#")) {
      uriLine(line, s);
      return;
    }
    if (!line.startsWith("#EXT")) {
      return; // comment
    }
    int colon = line.indexOf(':');
    String tag = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    switch (tag) {
      case "#EXT-X-VERSION" -> parseLong(value);
      case "#EXT-X-INDEPENDENT-SEGMENTS" -> {
        s.media.independentSegments(true);
        s.multivariantBuilder.independentSegments(true);
      }
      case "#EXT-X-TARGETDURATION" -> {
        s.mediaTag();
        long t = parseLong(value);
        if (t < 1 || t > Integer.MAX_VALUE) {
          throw new Malformed("EXT-X-TARGETDURATION " + value + " out of range");
        }
        s.media.targetDuration((int) t);
      }
      case "#EXT-X-MEDIA-SEQUENCE" -> {
        s.mediaTag();
        s.media.mediaSequence(parseLong(value));
      }
      case "#EXT-X-DISCONTINUITY-SEQUENCE" -> {
        s.mediaTag();
        s.media.discontinuitySequence(parseLong(value));
      }
      case "#EXT-X-PLAYLIST-TYPE" -> {
        s.mediaTag();
        switch (value) {
          case "VOD" -> s.media.playlistType(MediaPlaylist.PlaylistType.VOD);
          case "EVENT" -> s.media.playlistType(MediaPlaylist.PlaylistType.EVENT);
          default -> throw new Malformed("unknown EXT-X-PLAYLIST-TYPE " + value);
        }
      }
      case "#EXT-X-I-FRAMES-ONLY" -> {
        s.mediaTag();
        s.media.iFramesOnly(true);
      }
      case "#EXT-X-ENDLIST" -> {
        s.mediaTag();
        s.media.endList(true);
      }
      case "#EXTINF" -> {
        s.mediaTag();
        int comma = value.indexOf(',');
        String number = comma < 0 ? value : value.substring(0, comma);
        s.pendingExtinf = parseDuration(number.strip());
        s.pendingTitle = comma < 0 ? "" : value.substring(comma + 1);
      }
      case "#EXT-X-DISCONTINUITY" -> {
        s.mediaTag();
        s.pendingDiscontinuity = true;
      }
      case "#EXT-X-PROGRAM-DATE-TIME" -> {
        s.mediaTag();
        s.pendingDateTime = parseDateTime(value.strip());
      }
      case "#EXT-X-DATERANGE" -> {
        s.mediaTag();
        try {
          s.pendingDateRanges.add(AdMarkerTags.parseDateRange(attributes(value)));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
          throw new Malformed("EXT-X-DATERANGE: " + e.getMessage());
        }
      }
      case "#EXT-X-CUE-OUT", "#EXT-X-CUE-OUT-CONT", "#EXT-X-CUE-IN" -> {
        s.mediaTag();
        s.pendingCueMarkers.add(AdMarkerTags.parseCue(tag, value));
      }
      case "#EXT-X-BYTERANGE" -> {
        s.mediaTag();
        s.pendingRangeText = value.strip();
      }
      case "#EXT-X-KEY" -> {
        s.mediaTag();
        Map<String, String> a = attributes(value);
        String method = required(a, "METHOD");
        if (method.equals("NONE")) {
          s.keys = List.of();
        } else {
          // RFC 8216 §4.3.2.4: several EXT-X-KEYs with different KEYFORMATs apply together; a new one replaces
          // the key of its own KEYFORMAT (absent = identity)
          HlsKey key = new HlsKey(method, required(a, "URI"), a.get("IV"), a.get("KEYFORMAT"),
              a.get("KEYFORMATVERSIONS"));
          String format = key.keyFormat() == null ? "identity" : key.keyFormat();
          List<HlsKey> keys = new ArrayList<>();
          for (HlsKey k : s.keys) {
            if (!format.equals(k.keyFormat() == null ? "identity" : k.keyFormat())) {
              keys.add(k);
            }
          }
          keys.add(key);
          s.keys = List.copyOf(keys);
        }
      }
      case "#EXT-X-MAP" -> {
        s.mediaTag();
        Map<String, String> a = attributes(value);
        String range = a.get("BYTERANGE");
        s.map = new MediaInitialization(required(a, "URI"), range == null ? null : parseRange(range, 0));
      }
      case "#EXT-X-MEDIA" -> {
        s.multivariantTag();
        Map<String, String> a = attributes(value);
        s.multivariantBuilder.addRendition(new MultivariantPlaylist.Rendition(renditionType(required(a, "TYPE")),
            required(a, "GROUP-ID"), required(a, "NAME"), a.get("LANGUAGE"), yes(a.get("DEFAULT")),
            yes(a.get("AUTOSELECT")) || yes(a.get("DEFAULT")), a.get("URI")));
      }
      case "#EXT-X-STREAM-INF" -> {
        s.multivariantTag();
        Map<String, String> a = attributes(value);
        MultivariantPlaylist.VariantBuilder v = MultivariantPlaylist.Variant.builder("-",
            parseLong(required(a, "BANDWIDTH")));
        if (a.containsKey("AVERAGE-BANDWIDTH")) {
          v.averageBandwidth(parseLong(a.get("AVERAGE-BANDWIDTH")));
        }
        v.codecs(a.get("CODECS"));
        String resolution = a.get("RESOLUTION");
        if (resolution != null) {
          int x = resolution.indexOf('x');
          if (x < 0) {
            throw new Malformed("RESOLUTION " + resolution);
          }
          v.resolution((int) parseLong(resolution.substring(0, x)), (int) parseLong(resolution.substring(x + 1)));
        }
        if (a.containsKey("FRAME-RATE")) {
          v.frameRate(new BigDecimal(a.get("FRAME-RATE")).doubleValue());
        }
        v.audioGroup(a.get("AUDIO"));
        s.pendingVariant = a;
        s.pendingVariantBuilder = v;
      }
      case "#EXT-X-I-FRAME-STREAM-INF" -> {
        s.multivariantTag();
        Map<String, String> a = attributes(value);
        int width = 0;
        int height = 0;
        String resolution = a.get("RESOLUTION");
        if (resolution != null) {
          int x = resolution.indexOf('x');
          if (x < 0) {
            throw new Malformed("RESOLUTION " + resolution);
          }
          width = (int) parseLong(resolution.substring(0, x));
          height = (int) parseLong(resolution.substring(x + 1));
        }
        long average = a.containsKey("AVERAGE-BANDWIDTH") ? parseLong(a.get("AVERAGE-BANDWIDTH")) : 0;
        s.multivariantBuilder.addIFrameStream(new MultivariantPlaylist.IFrameStream(required(a, "URI"),
            parseLong(required(a, "BANDWIDTH")), average, a.get("CODECS"), width, height));
      }
      case "#EXT-X-SESSION-KEY" -> {
        s.multivariantTag();
        Map<String, String> a = attributes(value);
        String method = required(a, "METHOD");
        if (method.equals("NONE")) {
          throw new Malformed("EXT-X-SESSION-KEY with METHOD=NONE (RFC 8216 §4.3.4.5)");
        }
        s.multivariantBuilder.addSessionKey(new HlsKey(method, required(a, "URI"), a.get("IV"), a.get("KEYFORMAT"),
            a.get("KEYFORMATVERSIONS")));
      }
      case "#EXT-X-SESSION-DATA" -> s.multivariantTag();
      default -> { } // unknown tags are ignored (RFC 8216 §4.1)
    }
  }

  private static void uriLine(String uri, State s) throws Malformed {
    if (s.pendingVariant != null) {
      MultivariantPlaylist.VariantBuilder v = s.pendingVariantBuilder;
      MultivariantPlaylist.Variant built = v.build();
      s.multivariantBuilder.addVariant(new MultivariantPlaylist.Variant(uri, built.bandwidth(),
          built.averageBandwidth(), built.codecs(), built.width(), built.height(), built.frameRate(),
          built.audioGroup()));
      s.pendingVariant = null;
      s.pendingVariantBuilder = null;
      return;
    }
    if (s.pendingExtinf == null) {
      throw new Malformed("URI line without #EXTINF or #EXT-X-STREAM-INF");
    }
    ByteRange range = null;
    if (s.pendingRangeText != null) {
      long implicitOffset = uri.equals(s.lastRangeUri) ? s.lastRangeEnd : -1;
      range = parseRange(s.pendingRangeText, implicitOffset);
      s.lastRangeUri = uri;
      s.lastRangeEnd = range.end();
    } else {
      s.lastRangeUri = null;
    }
    s.media.addSegment(MediaSegment.builder(s.pendingExtinf, uri).title(s.pendingTitle)
        .discontinuity(s.pendingDiscontinuity).programDateTime(s.pendingDateTime).byteRange(range).keys(s.keys)
        .map(s.map).dateRanges(s.pendingDateRanges).cueMarkers(s.pendingCueMarkers).build());
    s.pendingDateRanges.clear();
    s.pendingCueMarkers.clear();
    s.pendingExtinf = null;
    s.pendingTitle = "";
    s.pendingDiscontinuity = false;
    s.pendingDateTime = null;
    s.pendingRangeText = null;
  }

  /** The attribute list (RFC 8216 §4.2) of a tag, see {@link AttributeLists}. */
  static Map<String, String> attributes(String list) throws Malformed {
    try {
      return AttributeLists.parse(list);
    } catch (MediaException e) {
      throw new Malformed(e.getMessage());
    }
  }

  private static String required(Map<String, String> a, String name) throws Malformed {
    String v = a.get(name);
    if (v == null) {
      throw new Malformed("missing attribute " + name);
    }
    return v;
  }

  private static boolean yes(String v) {
    return "YES".equals(v);
  }

  private static MultivariantPlaylist.RenditionType renditionType(String v) throws Malformed {
    return switch (v) {
      case "AUDIO" -> MultivariantPlaylist.RenditionType.AUDIO;
      case "VIDEO" -> MultivariantPlaylist.RenditionType.VIDEO;
      case "SUBTITLES" -> MultivariantPlaylist.RenditionType.SUBTITLES;
      case "CLOSED-CAPTIONS" -> MultivariantPlaylist.RenditionType.CLOSED_CAPTIONS;
      default -> throw new Malformed("unknown EXT-X-MEDIA TYPE " + v);
    };
  }

  private static long parseLong(String v) throws Malformed {
    if (!v.matches("[0-9]{1,18}")) {
      throw new Malformed("not a decimal-integer: '" + v + "'");
    }
    return Long.parseLong(v);
  }

  private static Duration parseDuration(String v) throws Malformed {
    if (!v.matches("[0-9]{1,12}(\\.[0-9]{0,15})?")) {
      throw new Malformed("invalid EXTINF duration '" + v + "'");
    }
    BigDecimal seconds = new BigDecimal(v);
    BigDecimal nanos = seconds.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP);
    return Duration.ofNanos(nanos.longValueExact());
  }

  private static OffsetDateTime parseDateTime(String v) {
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(v, COMPACT_OFFSET);
    }
  }

  private static ByteRange parseRange(String v, long implicitOffset) throws Malformed {
    int at = v.indexOf('@');
    long length = parseLong(at < 0 ? v : v.substring(0, at));
    long offset;
    if (at >= 0) {
      offset = parseLong(v.substring(at + 1));
    } else if (implicitOffset >= 0) {
      offset = implicitOffset;
    } else {
      throw new Malformed("BYTERANGE without offset and no previous sub-range of the same resource");
    }
    return new ByteRange(length, offset);
  }

  /** A syntax error inside one line; turned into a {@link MediaException} with the line number. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Parsing state of one document. */
  private static final class State {
    final MediaPlaylist.Builder media = MediaPlaylist.builder();
    final MultivariantPlaylist.Builder multivariantBuilder = MultivariantPlaylist.builder();
    boolean multivariant;
    boolean mediaSeen;
    Duration pendingExtinf;
    String pendingTitle = "";
    boolean pendingDiscontinuity;
    OffsetDateTime pendingDateTime;
    String pendingRangeText;
    final java.util.List<DateRange> pendingDateRanges = new java.util.ArrayList<>();
    final java.util.List<CueMarker> pendingCueMarkers = new java.util.ArrayList<>();
    String lastRangeUri;
    long lastRangeEnd;
    List<HlsKey> keys = List.of();
    MediaInitialization map;
    Map<String, String> pendingVariant;
    MultivariantPlaylist.VariantBuilder pendingVariantBuilder;

    void mediaTag() throws Malformed {
      if (multivariant) {
        throw new Malformed("Media Playlist tag in a Multivariant Playlist");
      }
      mediaSeen = true;
    }

    void multivariantTag() throws Malformed {
      if (mediaSeen) {
        throw new Malformed("Multivariant Playlist tag in a Media Playlist");
      }
      multivariant = true;
    }
  }

  /** Configures an {@link HlsPlaylistParser}. Not thread-safe. */
  public static final class Builder {
    private int maxBytes = 16 << 20;
    private boolean maxBytesSet;

    private Builder() {}

    /** Largest accepted playlist in bytes (default 16 MiB). */
    public Builder maxBytes(int value) {
      Preconditions.requireState(!maxBytesSet, "maxBytes was already set to %d", maxBytes);
      Preconditions.requireArgument(value > 0, "maxBytes %d must be positive", value);
      maxBytes = value;
      maxBytesSet = true;
      return this;
    }

    /** Builds the parser. */
    public HlsPlaylistParser build() {
      return new HlsPlaylistParser(this);
    }
  }
}
