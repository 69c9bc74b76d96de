package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.codec.H265Sps;
import io.iptv.core.codec.H264Sps;

/**
 * Public entry to the H.264 and HEVC sequence parameter set parsers of this package, for containers that
 * carry parameter sets out of band (the MP4 {@code avcC} / {@code hvcC} records). Stateless and thread-safe.
 *
 * <pre>{@code
 * SequenceParameterSets.Summary sps = SequenceParameterSets.parseH264(spsNal);
 * format.codecString(sps.codecString()).width(sps.width()).height(sps.height());
 * }</pre>
 */
public final class SequenceParameterSets {
  private SequenceParameterSets() {}

  /**
   * What a track format needs from an SPS.
   *
   * @param codecString RFC 6381 codec string ({@code avc1.64001f}, {@code hvc1.1.6.L93.B0})
   * @param width picture width after cropping
   * @param height picture height after cropping
   * @param frameRate frame rate from the VUI timing info, or 0
   */
  public record Summary(String codecString, int width, int height, double frameRate) {}

  /** Parses an H.264 SPS NAL unit (ITU-T H.264 §7.3.2.1.1), starting with its NAL header byte. */
  public static Summary parseH264(byte[] nal) throws MediaException {
    H264Sps sps = H264Sps.parse(nal, 0, nal.length);
    if (!sps.plausibleSize()) {
      throw MediaException.malformed("implausible H.264 picture size " + sps.width() + "x" + sps.height());
    }
    return new Summary(sps.codecString(), (int) sps.width(), (int) sps.height(), sps.frameRate());
  }

  /** Parses an HEVC SPS NAL unit (ITU-T H.265 §7.3.2.2), starting with its 2-byte NAL header. */
  public static Summary parseH265(byte[] nal) throws MediaException {
    H265Sps sps = H265Sps.parse(nal, 0, nal.length);
    if (!sps.plausibleSize()) {
      throw MediaException.malformed("implausible HEVC picture size " + sps.width() + "x" + sps.height());
    }
    return new Summary(sps.codecString(), (int) sps.width(), (int) sps.height(), sps.frameRate());
  }
}
