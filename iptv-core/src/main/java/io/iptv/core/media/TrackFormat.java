package io.iptv.core.media;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.util.List;
import java.util.Objects;

/**
 * What one track is: its codec and the parameters a packager or player needs. Immutable; build one with
 * {@link #builder(int, Codec)} and derive variants with {@link #toBuilder()}.
 *
 * <p>Numeric fields that are not known (or do not apply) are 0; {@code codecString} and {@code language}
 * are {@code null} when unknown. {@code codecConfig} holds the codec's configuration records: for H.264 the
 * SPS and PPS NAL units, for HEVC VPS, SPS and PPS (each without start code), for AAC the
 * AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1).
 *
 * <p>Thread-safe (immutable).
 *
 * <pre>{@code
 * TrackFormat video = TrackFormat.builder(256, Codec.H264)
 *     .codecString("avc1.64001f").width(1280).height(720).frameRate(25)
 *     .build();
 * TrackFormat scrambled = video.toBuilder().scrambled(true).build();
 * }</pre>
 *
 * @param trackId identifies the track within its stream (the PID for MPEG-TS)
 * @param type video, audio, …
 * @param codec the codec
 * @param codecString RFC 6381 codec string ({@code avc1.64001F}, {@code mp4a.40.2}, {@code hvc1.1.6.L93.B0}), or null
 * @param width coded picture width in pixels after cropping, or 0
 * @param height picture height in pixels after cropping, or 0
 * @param frameRate frames per second, or 0
 * @param sampleRate audio samples per second, or 0
 * @param channels audio channel count, or 0
 * @param language ISO 639-2 language code, or null
 * @param codecConfig codec configuration records (see above); never null, possibly empty
 * @param scrambled whether the track's packets are scrambled (conditional access) and cannot be read
 */
public record TrackFormat(
    int trackId,
    TrackType type,
    Codec codec,
    String codecString,
    int width,
    int height,
    double frameRate,
    int sampleRate,
    int channels,
    String language,
    List<ByteSlice> codecConfig,
    boolean scrambled) {

  /** Validates and defensively copies. */
  public TrackFormat {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(codec, "codec");
    codecConfig = List.copyOf(codecConfig);
    Preconditions.requireArgument(width >= 0 && height >= 0, "negative size %dx%d", width, height);
    Preconditions.requireArgument(frameRate >= 0, "negative frameRate %s", frameRate);
    Preconditions.requireArgument(sampleRate >= 0 && channels >= 0, "negative sampleRate/channels");
  }

  /** Starts a format for {@code trackId} with the codec's track type. */
  public static Builder builder(int trackId, Codec codec) {
    return new Builder(trackId, codec);
  }

  /** A builder pre-filled with this format. */
  public Builder toBuilder() {
    Builder b = new Builder(trackId, codec);
    b.type = type;
    b.codecString = codecString;
    b.width = width;
    b.height = height;
    b.frameRate = frameRate;
    b.sampleRate = sampleRate;
    b.channels = channels;
    b.language = language;
    b.codecConfig = codecConfig;
    b.scrambled = scrambled;
    return b;
  }

  /** Builds {@link TrackFormat}s. Not thread-safe. */
  public static final class Builder {
    private final int trackId;
    private Codec codec;
    private TrackType type;
    private String codecString;
    private int width;
    private int height;
    private double frameRate;
    private int sampleRate;
    private int channels;
    private String language;
    private List<ByteSlice> codecConfig = List.of();
    private boolean scrambled;

    private Builder(int trackId, Codec codec) {
      this.trackId = trackId;
      this.codec = Objects.requireNonNull(codec, "codec");
      this.type = codec.type();
    }

    /** Sets the codec (and the track type that goes with it). */
    public Builder codec(Codec value) {
      this.codec = Objects.requireNonNull(value, "codec");
      this.type = value.type();
      return this;
    }

    /** Overrides the track type (e.g. {@link TrackType#UNKNOWN} data with a known type). */
    public Builder type(TrackType value) {
      this.type = Objects.requireNonNull(value, "type");
      return this;
    }

    /** Sets the RFC 6381 codec string. */
    public Builder codecString(String value) {
      this.codecString = value;
      return this;
    }

    /** Sets the picture width in pixels. */
    public Builder width(int value) {
      Preconditions.requireArgument(value >= 0, "width %d < 0", value);
      this.width = value;
      return this;
    }

    /** Sets the picture height in pixels. */
    public Builder height(int value) {
      Preconditions.requireArgument(value >= 0, "height %d < 0", value);
      this.height = value;
      return this;
    }

    /** Sets the frame rate in frames per second. */
    public Builder frameRate(double value) {
      Preconditions.requireArgument(value >= 0 && Double.isFinite(value), "frameRate %s invalid", value);
      this.frameRate = value;
      return this;
    }

    /** Sets the audio sample rate in Hz. */
    public Builder sampleRate(int value) {
      Preconditions.requireArgument(value >= 0, "sampleRate %d < 0", value);
      this.sampleRate = value;
      return this;
    }

    /** Sets the audio channel count. */
    public Builder channels(int value) {
      Preconditions.requireArgument(value >= 0, "channels %d < 0", value);
      this.channels = value;
      return this;
    }

    /** Sets the ISO 639-2 language code. */
    public Builder language(String value) {
      this.language = value;
      return this;
    }

    /** Sets the codec configuration records. */
    public Builder codecConfig(List<ByteSlice> value) {
      this.codecConfig = List.copyOf(value);
      return this;
    }

    /** Marks the track as scrambled. */
    public Builder scrambled(boolean value) {
      this.scrambled = value;
      return this;
    }

    /** Builds the format. */
    public TrackFormat build() {
      return new TrackFormat(trackId, type, codec, codecString, width, height, frameRate, sampleRate, channels,
          language, codecConfig, scrambled);
    }
  }
}
