package io.iptv.segmenter.dash;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a DASH MPD (ISO/IEC 23009-1) for CMAF track files: one Period, one AdaptationSet per content type
 * (and audio language), a {@code SegmentTemplate} with {@code $Number$} or {@code $Time$} and a {@code SegmentTimeline} per
 * Representation (each track keeps its own timescale, so times are exact), codecs and bandwidth per
 * Representation. Profiles: {@code urn:mpeg:dash:profile:isoff-live:2011} and CMAF
 * ({@code urn:mpeg:dash:profile:cmaf:2019}).
 *
 * <p>{@link Type#STATIC} (VOD) writes {@code mediaPresentationDuration}; {@link Type#DYNAMIC} (live) writes
 * {@code availabilityStartTime}, {@code publishTime}, {@code timeShiftBufferDepth}, {@code minimumUpdatePeriod}
 * and a {@code UTCTiming} element (an {@code http-iso} URL when configured, else {@code direct} with the
 * publish time). Output is deterministic for the same inputs.
 *
 * <p>Immutable and thread-safe once built.
 *
 * <pre>{@code
 * String mpd = MpdWriter.builder().type(MpdWriter.Type.STATIC)
 *     .mediaPresentationDuration(Duration.ofSeconds(30)).build()
 *     .write(representations);
 * }</pre>
 */
public final class MpdWriter {
  /** Static (VOD) or dynamic (live) presentation. */
  public enum Type {
    /** VOD: every segment is available; a duration is given. */
    STATIC,
    /** Live: segments appear over time; the MPD is reloaded. */
    DYNAMIC
  }

  private final Type type;
  private final Duration mediaPresentationDuration;
  private final Duration minBufferTime;
  private final Instant availabilityStartTime;
  private final Instant publishTime;
  private final Duration timeShiftBufferDepth;
  private final Duration minimumUpdatePeriod;
  private final String utcTimingUrl;
  private final Scte35EventStream scte35Events;

  private MpdWriter(Builder b) {
    this.type = b.type;
    this.mediaPresentationDuration = b.mediaPresentationDuration;
    this.minBufferTime = b.minBufferTime;
    this.availabilityStartTime = b.availabilityStartTime;
    this.publishTime = b.publishTime;
    this.timeShiftBufferDepth = b.timeShiftBufferDepth;
    this.minimumUpdatePeriod = b.minimumUpdatePeriod;
    this.utcTimingUrl = b.utcTimingUrl;
    this.scte35Events = b.scte35Events;
  }

  /** Starts configuring a writer. */
  public static Builder builder() {
    return new Builder();
  }

  /** The MPD as UTF-8 bytes. */
  public byte[] writeBytes(List<DashRepresentation> representations) {
    return write(representations).getBytes(StandardCharsets.UTF_8);
  }

  /** The MPD text. */
  public String write(List<DashRepresentation> representations) {
    Preconditions.requireArgument(!representations.isEmpty(), "no representations");
    StringBuilder x = new StringBuilder(2048);
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" ");
    if (representations.stream().anyMatch(r -> r.protection() != null)) {
      x.append("xmlns:cenc=\"urn:mpeg:cenc:2013\" "); // ISO/IEC 23001-7 §11.2
    }
    x
        .append("profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\" ")
        .append("type=\"").append(type == Type.STATIC ? "static" : "dynamic").append('"');
    x.append(" minBufferTime=\"").append(duration(minBufferTime)).append('"');
    if (type == Type.STATIC) {
      x.append(" mediaPresentationDuration=\"").append(duration(mediaPresentationDuration)).append('"');
    } else {
      x.append(" availabilityStartTime=\"").append(instant(availabilityStartTime)).append('"');
      x.append(" publishTime=\"").append(instant(publishTime)).append('"');
      x.append(" timeShiftBufferDepth=\"").append(duration(timeShiftBufferDepth)).append('"');
      x.append(" minimumUpdatePeriod=\"").append(duration(minimumUpdatePeriod)).append('"');
    }
    x.append(">\n");
    x.append("  <Period id=\"0\" start=\"PT0S\">\n");
    if (scte35Events != null && !scte35Events.events().isEmpty()) {
      writeScte35Events(x, scte35Events);
    }
    int setId = 0;
    for (List<DashRepresentation> set : adaptationSets(representations).values()) {
      writeAdaptationSet(x, setId++, set);
    }
    x.append("  </Period>\n");
    if (type == Type.DYNAMIC) {
      if (utcTimingUrl != null) {
        x.append("  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"")
            .append(escape(utcTimingUrl)).append("\"/>\n");
      } else {
        x.append("  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"")
            .append(instant(publishTime)).append("\"/>\n");
      }
    }
    x.append("</MPD>\n");
    return x.toString();
  }

  private static Map<String, List<DashRepresentation>> adaptationSets(List<DashRepresentation> all) {
    Map<String, List<DashRepresentation>> sets = new LinkedHashMap<>();
    for (DashRepresentation r : all) {
      TrackFormat f = r.format();
      String key = contentType(f) + "/" + (f.type() == TrackType.AUDIO ? f.language() + "/" + f.codec() : "");
      sets.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    return sets;
  }

  private void writeAdaptationSet(StringBuilder x, int id, List<DashRepresentation> set) {
    TrackFormat first = set.get(0).format();
    boolean video = first.type() == TrackType.VIDEO;
    x.append("    <AdaptationSet id=\"").append(id).append("\" contentType=\"").append(contentType(first))
        .append("\" mimeType=\"").append(video ? "video/mp4" : "audio/mp4").append('"')
        .append(" segmentAlignment=\"true\" startWithSAP=\"1\"");
    if (!video && first.language() != null && first.language().matches("[A-Za-z]{2,8}")) {
      x.append(" lang=\"").append(first.language().toLowerCase(Locale.ROOT)).append('"');
    }
    x.append(">\n");
    for (DashRepresentation r : set) {
      TrackFormat f = r.format();
      x.append("      <Representation id=\"").append(escape(r.id())).append('"');
      if (f.codecString() != null) {
        x.append(" codecs=\"").append(escape(f.codecString())).append('"');
      }
      x.append(" bandwidth=\"").append(Math.max(1, r.bandwidth())).append('"');
      if (video) {
        if (f.width() > 0 && f.height() > 0) {
          x.append(" width=\"").append(f.width()).append("\" height=\"").append(f.height()).append('"');
        }
        if (f.frameRate() > 0) {
          x.append(" frameRate=\"").append(frameRate(f.frameRate())).append('"');
        }
      } else if (f.sampleRate() > 0) {
        x.append(" audioSamplingRate=\"").append(f.sampleRate()).append('"');
      }
      x.append(">\n");
      if (!video && f.channels() > 0) {
        x.append("        <AudioChannelConfiguration")
            .append(" schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
            .append(f.channels()).append("\"/>\n");
      }
      if (r.protection() != null) {
        writeContentProtection(x, r.protection()); // after AudioChannelConfiguration (RepresentationBaseType order)
      }
      x.append("        <SegmentTemplate timescale=\"").append(r.timescale())
          .append("\" presentationTimeOffset=\"").append(r.presentationTimeOffset())
          .append("\" startNumber=\"").append(r.startNumber())
          .append("\" initialization=\"").append(escape(r.initialization()))
          .append("\" media=\"").append(escape(r.media())).append("\">\n");
      x.append("          <SegmentTimeline>\n");
      writeTimeline(x, r.segments());
      x.append("          </SegmentTimeline>\n");
      x.append("        </SegmentTemplate>\n");
      x.append("      </Representation>\n");
    }
    x.append("    </AdaptationSet>\n");
  }

  /**
   * ContentProtection descriptors (ISO/IEC 23009-1 §5.8.4.1, ISO/IEC 23001-7 §11): the mp4protection scheme with
   * {@code cenc:default_KID}, then one per {@code pssh} box, by its SystemID, with the box in {@code cenc:pssh}
   * (empty with {@link ContentProtection#psshInManifest()} false).
   */
  private static void writeContentProtection(StringBuilder x, ContentProtection p) {
    x.append("        <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"")
        .append(escape(p.scheme())).append("\" cenc:default_KID=\"").append(p.defaultKid()).append("\"/>\n");
    for (io.iptv.core.io.ByteSlice pssh : p.psshBoxes()) {
      String systemId = ContentProtection.systemId(pssh);
      if (systemId == null) {
        continue;
      }
      if (!p.psshInManifest()) { // key rotation: the pssh of each moof (ISO/IEC 23001-7 §8.1)
        x.append("        <ContentProtection schemeIdUri=\"urn:uuid:").append(systemId).append("\"/>\n");
        continue;
      }
      x.append("        <ContentProtection schemeIdUri=\"urn:uuid:").append(systemId).append("\">\n")
          .append("          <cenc:pssh>").append(java.util.Base64.getEncoder().encodeToString(pssh.toByteArray()))
          .append("</cenc:pssh>\n")
          .append("        </ContentProtection>\n");
    }
  }

  /** S elements (§5.3.9.6): t where the timeline is not contiguous, d, and r for repeats. */
  private static void writeTimeline(StringBuilder x, List<DashRepresentation.Segment> segments) {
    long expected = Long.MIN_VALUE;
    int i = 0;
    while (i < segments.size()) {
      DashRepresentation.Segment s = segments.get(i);
      // A segment's duration runs to the next segment's start, so the timeline has no gaps or overlaps.
      long d = i + 1 < segments.size() ? segments.get(i + 1).start() - s.start() : s.duration();
      int repeat = 0;
      long end = s.start() + d;
      while (i + repeat + 1 < segments.size()) {
        int j = i + repeat + 1;
        long dj = j + 1 < segments.size() ? segments.get(j + 1).start() - segments.get(j).start()
            : segments.get(j).duration();
        if (dj != d || segments.get(j).start() != end) {
          break;
        }
        repeat++;
        end += d;
      }
      x.append("            <S");
      if (s.start() != expected) {
        x.append(" t=\"").append(s.start()).append('"');
      }
      x.append(" d=\"").append(Math.max(1, d)).append('"');
      if (repeat > 0) {
        x.append(" r=\"").append(repeat).append('"');
      }
      x.append("/>\n");
      expected = end;
      i += repeat + 1;
    }
  }

  private static String contentType(TrackFormat f) {
    return f.type() == TrackType.VIDEO ? "video" : f.type() == TrackType.AUDIO ? "audio" : "text";
  }

  private static String frameRate(double fps) {
    long rounded = Math.round(fps);
    if (Math.abs(fps - rounded) < 1e-6) {
      return Long.toString(rounded);
    }
    return Math.round(fps * 1001 / 1000) * 1000 + "/1001";
  }

  /** xs:duration with millisecond precision, e.g. {@code PT12.340S}. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    return String.format(Locale.ROOT, "PT%d.%03dS", millis / 1000, millis % 1000);
  }

  private static String instant(Instant i) {
    return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.MILLIS));
  }

  /** The Period's SCTE-35 EventStream (ISO/IEC 23009-1 §5.10.2, SCTE 214-1 §6.7), before the AdaptationSets. */
  private static void writeScte35Events(StringBuilder x, Scte35EventStream stream) {
    x.append("    <EventStream schemeIdUri=\"").append(Scte35EventStream.SCHEME_ID_URI)
        .append("\" timescale=\"").append(stream.timescale())
        .append("\" xmlns:scte35=\"").append(Scte35EventStream.NAMESPACE).append("\">\n");
    java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
    for (Scte35EventStream.Event e : stream.events()) {
      x.append("      <Event presentationTime=\"").append(e.presentationTime()).append('"');
      if (e.duration() >= 0) {
        x.append(" duration=\"").append(e.duration()).append('"');
      }
      x.append(" id=\"").append(e.id()).append("\">");
      x.append("<scte35:Signal><scte35:Binary>").append(base64.encodeToString(e.section().toByteArray()))
          .append("</scte35:Binary></scte35:Signal></Event>\n");
    }
    x.append("    </EventStream>\n");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Configures an {@link MpdWriter}; each setting once, validated immediately. Not thread-safe. */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private Type type = Type.STATIC;
    private Duration mediaPresentationDuration = Duration.ZERO;
    private Duration minBufferTime = Duration.ofSeconds(2);
    private Instant availabilityStartTime = Instant.EPOCH;
    private Instant publishTime = Instant.EPOCH;
    private Duration timeShiftBufferDepth = Duration.ofSeconds(30);
    private Duration minimumUpdatePeriod = Duration.ofSeconds(2);
    private String utcTimingUrl;
    private Scte35EventStream scte35Events;

    private Builder() {}

    /** The Period's SCTE-35 EventStream (default none; an empty one is not written). */
    public Builder scte35Events(Scte35EventStream value) {
      once("scte35Events");
      scte35Events = Objects.requireNonNull(value, "scte35Events");
      return this;
    }

    /** STATIC (default) or DYNAMIC. */
    public Builder type(Type value) {
      once("type");
      type = Objects.requireNonNull(value, "type");
      return this;
    }

    /** STATIC: the presentation's duration. */
    public Builder mediaPresentationDuration(Duration value) {
      once("mediaPresentationDuration");
      Preconditions.requireArgument(!value.isNegative(), "negative duration %s", value);
      mediaPresentationDuration = value;
      return this;
    }

    /** MPD@minBufferTime (default 2 s). */
    public Builder minBufferTime(Duration value) {
      once("minBufferTime");
      Preconditions.requireArgument(!value.isNegative(), "negative minBufferTime %s", value);
      minBufferTime = value;
      return this;
    }

    /** DYNAMIC: the wall-clock instant of the Period start. */
    public Builder availabilityStartTime(Instant value) {
      once("availabilityStartTime");
      availabilityStartTime = Objects.requireNonNull(value, "availabilityStartTime");
      return this;
    }

    /** DYNAMIC: when this MPD was published. */
    public Builder publishTime(Instant value) {
      once("publishTime");
      publishTime = Objects.requireNonNull(value, "publishTime");
      return this;
    }

    /** DYNAMIC: how far back segments stay available (the live window). */
    public Builder timeShiftBufferDepth(Duration value) {
      once("timeShiftBufferDepth");
      Preconditions.requireArgument(!value.isNegative(), "negative timeShiftBufferDepth %s", value);
      timeShiftBufferDepth = value;
      return this;
    }

    /** DYNAMIC: how often clients reload the MPD (typically one segment duration). */
    public Builder minimumUpdatePeriod(Duration value) {
      once("minimumUpdatePeriod");
      Preconditions.requireArgument(!value.isNegative(), "negative minimumUpdatePeriod %s", value);
      minimumUpdatePeriod = value;
      return this;
    }

    /** DYNAMIC: a URL answering the current time as ISO 8601 (UTCTiming http-iso); default: direct value. */
    public Builder utcTimingUrl(String value) {
      once("utcTimingUrl");
      utcTimingUrl = Objects.requireNonNull(value, "utcTimingUrl");
      return this;
    }

    /** Builds the writer. */
    public MpdWriter build() {
      return new MpdWriter(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
