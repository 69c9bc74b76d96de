package io.iptv.segmenter.ts;

import io.iptv.core.internal.Preconditions;

/**
 * Where one keyframe access unit lies in a muxed segment: the TS packets that carry its PES packet, for
 * I-frame playlists with {@code EXT-X-BYTERANGE} (RFC 8216 §4.3.2.2, §4.3.3.6). Immutable.
 *
 * <p>The range starts at the first TS packet of the keyframe's PES packet and ends after its last one;
 * the muxer writes a PES packet's TS packets contiguously, so no other PID's packets lie inside. The
 * PAT/PMT at the start of the segment ({@link TsSegment#psiLength()} bytes) are not included.
 *
 * <pre>{@code
 * for (KeyframeRange k : segment.keyframes()) {
 *   playlist.append("#EXT-X-BYTERANGE:" + k.length() + "@" + k.offset());
 * }
 * }</pre>
 *
 * @param pts90k presentation time of the keyframe (unwrapped)
 * @param offset byte offset of its first TS packet in the segment (a multiple of 188)
 * @param length number of bytes (a multiple of 188)
 */
public record KeyframeRange(long pts90k, long offset, long length) {
  /** Validates. */
  public KeyframeRange {
    Preconditions.requireArgument(offset >= 0 && offset % TsPacketWriter.PACKET_SIZE == 0,
        "offset %d is not a packet boundary", offset);
    Preconditions.requireArgument(length > 0 && length % TsPacketWriter.PACKET_SIZE == 0,
        "length %d is not a whole number of packets", length);
  }
}
