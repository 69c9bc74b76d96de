package io.iptv.segmenter.es;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import java.util.Objects;

/**
 * What the PMT says about one elementary stream (ISO/IEC 13818-1 §2.4.4.8), with the codec the TS layer
 * resolved from its stream_type and descriptors. Immutable.
 *
 * <pre>{@code
 * EsInfo info = new EsInfo(1, 0x100, 0x1B, Codec.H264, null, ByteSlice.empty());
 * }</pre>
 *
 * @param programNumber the program it belongs to
 * @param pid its PID
 * @param streamType the PMT stream_type
 * @param codec the codec resolved from stream_type and descriptors ({@link Codec#UNKNOWN} if none)
 * @param language ISO 639-2 code from an ISO_639_language_descriptor, or null
 * @param descriptors the raw ES_info descriptor loop
 */
public record EsInfo(int programNumber, int pid, int streamType, Codec codec, String language, ByteSlice descriptors) {
  /** Validates. */
  public EsInfo {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(descriptors, "descriptors");
  }
}
