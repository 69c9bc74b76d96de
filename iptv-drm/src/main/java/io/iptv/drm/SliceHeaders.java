package io.iptv.drm;

import io.iptv.core.io.ByteSlice;
import java.util.List;

/**
 * Measures the slice headers of one video codec from its parameter sets, so that ISO Common Encryption keeps the
 * NAL header and the slice header of every slice clear (ISO/IEC 23001-7 §10.2, §10.4.2). {@link NalSubsamples}
 * feeds it the parameter sets it meets in band and asks it for each slice.
 *
 * <p>Implementations: {@link H264SliceHeaders} (ITU-T H.264 §7.3.3), {@link H265SliceHeaders} (ITU-T H.265
 * §7.3.6.1). Not thread-safe: one instance per encryptor.
 *
 * <pre>{@code
 * SliceHeaders headers = new H265SliceHeaders();
 * headers.addParameterSets(format.codecConfig());             // VPS/SPS/PPS of the sample entry
 * int clear = headers.headerBytes(sample, nalStart, nalSize); // > 0: exact; <= -1: unknown, at least -clear
 * }</pre>
 */
abstract class SliceHeaders {
  /** Reads the parameter set NAL units among {@code parameterSets} (others are ignored). */
  final void addParameterSets(List<ByteSlice> parameterSets) {
    for (ByteSlice nal : parameterSets) {
      byte[] b = nal.toByteArray();
      addParameterSet(b, 0, b.length);
    }
  }

  /** Reads {@code b[offset, offset + length)} (a NAL unit without start code) if it is a parameter set. */
  abstract void addParameterSet(byte[] b, int offset, int length);

  /**
   * The size in bytes, as stored (with emulation prevention bytes), of the NAL header and slice header of the
   * coded slice NAL unit {@code b[offset, offset + length)}. A negative answer means unknown: its magnitude is a
   * lower bound of that size (at least 1), for a caller that falls back to a longer conservative leader.
   */
  abstract int headerBytes(byte[] b, int offset, int length);
}
