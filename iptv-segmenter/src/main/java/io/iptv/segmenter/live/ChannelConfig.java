package io.iptv.segmenter.live;

import io.iptv.core.internal.Preconditions;
import io.iptv.segmenter.pkg.HlsPackager;
import io.iptv.segmenter.pkg.SegmentFormat;
import io.iptv.segmenter.ts.TsDemuxer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The settings of one live channel; every setting left unset takes the {@link LivePackager}'s default.
 * Immutable; built by a strict builder (each setting validated at once, set at most once).
 *
 * <p>{@link Builder#packagerOptions} is the extension point for features of {@link HlsPackager.Builder} that
 * the channel API does not name (LL-HLS parts, DVR windows, SCTE-35 handling, encryption): it runs after the
 * channel has set the playlist type (LIVE), segment duration, list size, segment format, max keyframe interval,
 * clock and listener, which it must therefore not set again.
 *
 * <pre>{@code
 * ChannelConfig config = ChannelConfig.builder()
 *     .segmentDuration(Duration.ofSeconds(2))
 *     .listSize(6)
 *     .packagerOptions(b -> b.segmentTransform(aes128))
 *     .build();
 * }</pre>
 *
 * @param segmentDuration target segment duration, or null for the packager default
 * @param listSize segments in the live playlist, or 0 for the default
 * @param segmentFormat segment container, or null for the default
 * @param maxKeyframeInterval the longest keyframe interval of the source, or null for the default
 * @param inputQueueBytes capacity of the channel's input queue, or 0 for the default
 * @param programNumber the MPEG-TS program to package, or 0 for the first with video
 * @param endListOnClose whether {@link LiveChannel#close()} flushes the last segment and writes
 *     {@code EXT-X-ENDLIST} (true) or just stops (false)
 * @param maxSegmentInputBytes input after which, without a segment completing, the pipeline is rebuilt (memory
 *     bound for sources without keyframes), or 0 for the default ({@value #DEFAULT_MAX_SEGMENT_INPUT_BYTES})
 * @param packagerOptions extra {@link HlsPackager.Builder} settings, applied last
 * @param demuxerOptions extra {@link TsDemuxer.Builder} settings (reader factory, PES limits), applied last; the
 *     channel sets the statistics listener and the program number
 */
public record ChannelConfig(Duration segmentDuration, int listSize, SegmentFormat segmentFormat,
    Duration maxKeyframeInterval, int inputQueueBytes, int programNumber, boolean endListOnClose,
    long maxSegmentInputBytes, Consumer<HlsPackager.Builder> packagerOptions,
    Consumer<TsDemuxer.Builder> demuxerOptions) {

  /** Default of {@link #maxSegmentInputBytes}: 64 MiB (over 100 s of a 5 Mbit/s stream). */
  public static final long DEFAULT_MAX_SEGMENT_INPUT_BYTES = 64L << 20;

  /** Validates. */
  public ChannelConfig {
    Objects.requireNonNull(packagerOptions, "packagerOptions");
    Objects.requireNonNull(demuxerOptions, "demuxerOptions");
  }

  /** All defaults. */
  public static ChannelConfig defaults() {
    return builder().build();
  }

  /** Starts a configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChannelConfig}. Not thread-safe. */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private Duration segmentDuration;
    private int listSize;
    private SegmentFormat segmentFormat;
    private Duration maxKeyframeInterval;
    private int inputQueueBytes;
    private int programNumber;
    private boolean endListOnClose = true;
    private long maxSegmentInputBytes;
    private Consumer<HlsPackager.Builder> packagerOptions = b -> { };
    private Consumer<TsDemuxer.Builder> demuxerOptions = b -> { };

    private Builder() {}

    /** Target segment duration (0.5 to 60 s). */
    public Builder segmentDuration(Duration value) {
      once("segmentDuration");
      Preconditions.requireArgument(value.compareTo(Duration.ofMillis(500)) >= 0
          && value.compareTo(Duration.ofSeconds(60)) <= 0, "segmentDuration %s out of range 0.5..60 s", value);
      segmentDuration = value;
      return this;
    }

    /** Segments in the live playlist (at least 3, RFC 8216 §6.2.2 recommends a window of three target durations). */
    public Builder listSize(int value) {
      once("listSize");
      Preconditions.requireArgument(value >= 3 && value <= 10_000, "listSize %d out of range 3..10000", value);
      listSize = value;
      return this;
    }

    /** TS or fMP4 segments. */
    public Builder segmentFormat(SegmentFormat value) {
      once("segmentFormat");
      segmentFormat = Objects.requireNonNull(value, "segmentFormat");
      return this;
    }

    /** The longest keyframe interval the source may have (fixes EXT-X-TARGETDURATION; 0 to 60 s). */
    public Builder maxKeyframeInterval(Duration value) {
      once("maxKeyframeInterval");
      Preconditions.requireArgument(!value.isNegative() && value.compareTo(Duration.ofSeconds(60)) <= 0,
          "maxKeyframeInterval %s out of range 0..60 s", value);
      maxKeyframeInterval = value;
      return this;
    }

    /** Capacity of the input queue in bytes (64 KiB to 256 MiB): how far the packager may fall behind. */
    public Builder inputQueueBytes(int value) {
      once("inputQueueBytes");
      Preconditions.requireArgument(value >= 64 * 1024 + 64 && value <= 256 << 20,
          "inputQueueBytes %d out of range 64 KiB..256 MiB", value);
      inputQueueBytes = value;
      return this;
    }

    /** The program_number to package (1..65535); default: the first program with video. */
    public Builder programNumber(int value) {
      once("programNumber");
      Preconditions.requireArgument(value >= 1 && value <= 0xFFFF, "programNumber %d not in 1..65535", value);
      programNumber = value;
      return this;
    }

    /** Whether closing flushes the last segment and ends the playlist (default true). */
    public Builder endListOnClose(boolean value) {
      once("endListOnClose");
      endListOnClose = value;
      return this;
    }

    /** Extra packager settings, applied after the channel's own (see the class comment). */
    public Builder packagerOptions(Consumer<HlsPackager.Builder> value) {
      once("packagerOptions");
      packagerOptions = Objects.requireNonNull(value, "packagerOptions");
      return this;
    }

    /** Input after which, without a completed segment, the pipeline is rebuilt (1 MiB to 4 GiB). */
    public Builder maxSegmentInputBytes(long value) {
      once("maxSegmentInputBytes");
      Preconditions.requireArgument(value >= 1 << 20 && value <= 4L << 30,
          "maxSegmentInputBytes %d out of range 1 MiB..4 GiB", value);
      maxSegmentInputBytes = value;
      return this;
    }

    /** Extra demuxer settings, applied after the channel's own (statistics listener, program number). */
    public Builder demuxerOptions(Consumer<TsDemuxer.Builder> value) {
      once("demuxerOptions");
      demuxerOptions = Objects.requireNonNull(value, "demuxerOptions");
      return this;
    }

    /** Builds the configuration. */
    public ChannelConfig build() {
      return new ChannelConfig(segmentDuration, listSize, segmentFormat, maxKeyframeInterval, inputQueueBytes,
          programNumber, endListOnClose, maxSegmentInputBytes, packagerOptions, demuxerOptions);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
