package io.iptv.segmenter.fmp4;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.util.Objects;

/**
 * One track as the fMP4 writers see it: its {@link TrackFormat}, the MP4 {@code track_ID} and the media
 * timescale. Video uses 90 000 (the MPEG-TS clock: timestamps stay exact), audio its sample rate (ISO/IEC
 * 23000-19 §7.5.10 recommends it; AAC frame durations become exact 1024s). AC-3 and E-AC-3 need one sync
 * frame to build {@code dac3}/{@code dec3} (ETSI TS 102 366 Annex F), as the TS demuxer carries no config.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Fmp4Track video = Fmp4Track.of(1, videoFormat, null);
 * Fmp4Track audio = Fmp4Track.of(2, ac3Format, firstAc3Frame);
 * }</pre>
 *
 * @param trackId the MP4 track_ID (1 or more)
 * @param format the track's format (H.264, HEVC, AAC, AC-3 or E-AC-3)
 * @param timescale ticks per second of the track's media timeline
 * @param firstSample one sample in elementary-stream form (needed for AC-3/E-AC-3), or null
 */
public record Fmp4Track(int trackId, TrackFormat format, long timescale, ByteSlice firstSample) {
  /** The timescale of video tracks. */
  public static final long VIDEO_TIMESCALE = 90_000;

  /** Validates. */
  public Fmp4Track {
    Objects.requireNonNull(format, "format");
    Preconditions.requireArgument(trackId >= 1, "track_ID %d < 1", trackId);
    Preconditions.requireArgument(timescale > 0 && timescale <= 0xFFFF_FFFFL, "timescale %d invalid", timescale);
  }

  /**
   * A track with the default timescale for its type.
   *
   * @throws IllegalArgumentException if the codec cannot be written to fMP4 or an audio track has no sample rate
   */
  public static Fmp4Track of(int trackId, TrackFormat format, ByteSlice firstSample) {
    Preconditions.requireArgument(isSupported(format.codec()), "codec %s cannot be written as fMP4", format.codec());
    long timescale = VIDEO_TIMESCALE;
    if (format.type() == TrackType.AUDIO) {
      Preconditions.requireArgument(format.sampleRate() > 0, "audio track %d has no sample rate", format.trackId());
      timescale = format.sampleRate();
    }
    return new Fmp4Track(trackId, format, timescale, firstSample);
  }

  /** Whether {@code codec} has a sample entry in this writer. */
  public static boolean isSupported(Codec codec) {
    return switch (codec) {
      case H264, H265, AAC, AC3, EAC3 -> true;
      default -> false;
    };
  }

  /** Whether this is a video track. */
  public boolean isVideo() {
    return format.type() == TrackType.VIDEO;
  }

  /** Converts a 90 kHz time to this track's timescale (rounded to nearest; exact for 90 kHz video). */
  public long fromTicks90k(long ticks90k) {
    if (timescale == VIDEO_TIMESCALE) {
      return ticks90k;
    }
    return Math.floorDiv(ticks90k * timescale + 45_000, 90_000);
  }

  /** Converts a time in this track's timescale to 90 kHz (rounded to nearest). */
  public long toTicks90k(long ticks) {
    if (timescale == VIDEO_TIMESCALE) {
      return ticks;
    }
    return Math.floorDiv(ticks * 90_000 + timescale / 2, timescale);
  }

  /** The nominal duration of one sample in the track timescale: audio frame size or 1/frame rate. */
  public long nominalSampleDuration() {
    return switch (format.codec()) {
      case AAC -> 1024;
      case AC3 -> 1536;
      case EAC3 -> firstSample != null ? Dolby.eac3SamplesPerFrame(firstSample) : 1536;
      default -> format.frameRate() > 0 ? Math.round(timescale / format.frameRate()) : timescale / 25;
    };
  }
}
