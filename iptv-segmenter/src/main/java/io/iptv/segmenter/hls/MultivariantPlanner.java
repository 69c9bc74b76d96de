package io.iptv.segmenter.hls;

import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns packaged media playlists into a {@link MultivariantPlaylist} (RFC 8216 §4.3.4): one
 * {@code EXT-X-STREAM-INF} per video (or muxed) rendition and one {@code EXT-X-MEDIA TYPE=AUDIO} per
 * separate audio rendition, all in the group {@value #AUDIO_GROUP}.
 *
 * <p>BANDWIDTH is the variant's peak segment bit rate (RFC 8216 §4.3.4.2, {@link BandwidthCalculator})
 * plus the largest peak of its audio group; AVERAGE-BANDWIDTH likewise with averages (the audio is added
 * only to variants that reference the group, shaka#758). CODECS joins the RFC 6381 strings of the variant's
 * tracks and of every audio rendition of the group ({@code hvc1} for HEVC, see {@link CodecStrings}).
 * LANGUAGE is the RFC 5646 form of the ISO 639-2 code (two letters where one exists). The first audio
 * rendition is DEFAULT=YES; all are AUTOSELECT=YES. Stateless and thread-safe.
 *
 * <pre>{@code
 * MultivariantPlaylist master = MultivariantPlanner.plan(List.of(video, audioEng, audioDeu));
 * }</pre>
 */
public final class MultivariantPlanner {
  /** The GROUP-ID of separate audio renditions. */
  public static final String AUDIO_GROUP = "audio";

  private MultivariantPlanner() {}

  /**
   * A packaged media playlist, as input to {@link #plan}.
   *
   * <p>Either the segment sizes are given and the bit rates computed from them ({@link BandwidthCalculator}),
   * or, for long LIVE/EVENT streams, the bit rates are measured incrementally ({@link BandwidthTracker}) and
   * given with an empty segment list: see {@link #measured}.
   *
   * @param uri the media playlist's URI relative to the multivariant playlist
   * @param tracks the formats of the tracks it carries
   * @param audioOnlyRendition whether it is a separate audio rendition (goes into the audio group)
   * @param targetDuration its EXT-X-TARGETDURATION
   * @param segments its segment durations and sizes (empty when {@code bitRates} were measured elsewhere)
   * @param bitRates its peak and average segment bit rates; null: computed from {@code segments}
   */
  public record Rendition(String uri, List<TrackFormat> tracks, boolean audioOnlyRendition, int targetDuration,
      List<BandwidthCalculator.SegmentSize> segments, BandwidthCalculator.BitRates bitRates) {
    /** Validates and copies; computes {@code bitRates} from {@code segments} when null. */
    public Rendition {
      Objects.requireNonNull(uri, "uri");
      tracks = List.copyOf(tracks);
      segments = List.copyOf(segments);
      if (bitRates == null) {
        bitRates = BandwidthCalculator.BitRates.of(segments, Math.max(1, targetDuration));
      }
    }

    /** A rendition whose bit rates are computed from its segment sizes. */
    public Rendition(String uri, List<TrackFormat> tracks, boolean audioOnlyRendition, int targetDuration,
        List<BandwidthCalculator.SegmentSize> segments) {
      this(uri, tracks, audioOnlyRendition, targetDuration, segments, null);
    }

    /** A rendition whose bit rates were measured incrementally (no segment list kept). */
    public static Rendition measured(String uri, List<TrackFormat> tracks, boolean audioOnlyRendition,
        int targetDuration, BandwidthCalculator.BitRates bitRates) {
      return new Rendition(uri, tracks, audioOnlyRendition, targetDuration, List.of(),
          Objects.requireNonNull(bitRates, "bitRates"));
    }

    long peak() {
      return bitRates.peak();
    }

    long average() {
      return bitRates.average();
    }
  }

  /**
   * An I-frame-only Media Playlist, as input to {@link #plan(List, List)}.
   *
   * @param uri its URI relative to the multivariant playlist
   * @param video the video track whose keyframes it lists
   * @param targetDuration its EXT-X-TARGETDURATION
   * @param frames per listed I-frame its duration (EXTINF) and byte-range length
   */
  public record IFrameRendition(String uri, TrackFormat video, int targetDuration,
      List<BandwidthCalculator.SegmentSize> frames) {
    /** Validates and copies. */
    public IFrameRendition {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(video, "video");
      frames = List.copyOf(frames);
    }
  }

  /** Builds the multivariant playlist without I-frame streams. */
  public static MultivariantPlaylist plan(List<Rendition> renditions) {
    return plan(renditions, List.of());
  }

  /**
   * Builds the multivariant playlist with one {@code EXT-X-I-FRAME-STREAM-INF} per entry of {@code iFrames}
   * (RFC 8216 §4.3.4.3): BANDWIDTH is the peak bit rate of the I-frames themselves (byte-range bytes over
   * EXTINF durations, computed as for segments), CODECS the video codec, RESOLUTION the video size.
   */
  public static MultivariantPlaylist plan(List<Rendition> renditions, List<IFrameRendition> iFrames) {
    MultivariantPlaylist.Builder b = MultivariantPlaylist.builder().independentSegments(true);
    for (IFrameRendition f : iFrames) {
      long peak = BandwidthCalculator.peakBitRate(f.frames(), Math.max(1, f.targetDuration()));
      b.addIFrameStream(new MultivariantPlaylist.IFrameStream(f.uri(), Math.max(1, peak),
          BandwidthCalculator.averageBitRate(f.frames()), f.video().codecString(),
          Math.max(0, f.video().height() > 0 ? f.video().width() : 0), Math.max(0, f.video().width() > 0
              ? f.video().height() : 0)));
    }
    List<Rendition> audio = new ArrayList<>();
    for (Rendition r : renditions) {
      if (r.audioOnlyRendition()) {
        audio.add(r);
      }
    }
    long audioPeak = 0;
    long audioAverage = 0;
    List<String> audioCodecs = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < audio.size(); i++) {
      Rendition r = audio.get(i);
      TrackFormat f = r.tracks().get(0);
      String language = rfc5646(f.language());
      String name = f.language() != null ? displayName(f.language()) : "Audio " + (i + 1);
      int n = names.merge(name, 1, Integer::sum);
      if (n > 1) {
        name = name + " " + n;
      }
      b.addRendition(new MultivariantPlaylist.Rendition(MultivariantPlaylist.RenditionType.AUDIO, AUDIO_GROUP,
          name, language, /* isDefault= */ i == 0, /* autoselect= */ true, r.uri()));
      audioPeak = Math.max(audioPeak, r.peak());
      audioAverage = Math.max(audioAverage, r.average());
      audioCodecs.add(f.codecString());
    }
    for (Rendition r : renditions) {
      if (r.audioOnlyRendition()) {
        continue;
      }
      boolean hasVideo = r.tracks().stream().anyMatch(t -> t.type() == TrackType.VIDEO);
      boolean usesGroup = hasVideo && !audio.isEmpty();
      List<String> codecs = new ArrayList<>();
      TrackFormat video = null;
      for (TrackFormat t : r.tracks()) {
        codecs.add(t.codecString());
        if (t.type() == TrackType.VIDEO && video == null) {
          video = t;
        }
      }
      if (usesGroup) {
        codecs.addAll(audioCodecs);
      }
      long peak = usesGroup ? BandwidthCalculator.combinePeak(r.peak(), List.of(audioPeak)) : r.peak();
      long average = usesGroup ? r.average() + audioAverage : r.average();
      MultivariantPlaylist.VariantBuilder v = MultivariantPlaylist.Variant.builder(r.uri(), Math.max(1, peak))
          .averageBandwidth(average)
          .codecs(CodecStrings.join(codecs.toArray(new String[0])));
      if (video != null && video.width() > 0 && video.height() > 0) {
        v.resolution(video.width(), video.height());
      }
      if (video != null && video.frameRate() > 0) {
        v.frameRate(video.frameRate());
      }
      if (usesGroup) {
        v.audioGroup(AUDIO_GROUP);
      }
      b.addVariant(v.build());
    }
    return b.build();
  }

  /** ISO 639-2 ("eng") to the shortest RFC 5646 primary language subtag ("en"); others unchanged. */
  static String rfc5646(String iso639) {
    if (iso639 == null || iso639.isBlank()) {
      return null;
    }
    String code = iso639.trim().toLowerCase(Locale.ROOT);
    if (code.length() == 3) {
      for (String two : Locale.getISOLanguages()) {
        Locale l = new Locale(two);
        try {
          if (l.getISO3Language().equals(code)) {
            return two;
          }
        } catch (java.util.MissingResourceException e) {
          // no three-letter form for this one
        }
      }
      // ISO 639-2/B codes that differ from the /T codes Locale knows.
      switch (code) {
        case "ger": return "de";
        case "fre": return "fr";
        case "dut": return "nl";
        case "chi": return "zh";
        case "cze": return "cs";
        case "gre": return "el";
        default: return code;
      }
    }
    return code;
  }

  private static String displayName(String iso639) {
    String tag = rfc5646(iso639);
    String name = new Locale(tag).getDisplayLanguage(Locale.ENGLISH);
    return name.isEmpty() ? iso639 : name;
  }
}
