package io.iptv.segmenter.hls;

import io.iptv.core.internal.Preconditions;

/**
 * A sub-range of a resource, as in {@code EXT-X-BYTERANGE:<n>@<o>} and the BYTERANGE attribute of
 * {@code EXT-X-MAP} (RFC 8216 §4.3.2.2, §4.3.2.5). The offset is always resolved: the parser fills in an
 * omitted {@code @o} from the previous segment, so the writer can always write {@code n@o}. Immutable.
 *
 * <pre>{@code
 * ByteRange range = new ByteRange(75232, 752);   // written as 75232@752
 * }</pre>
 *
 * @param length n, bytes
 * @param offset o, bytes from the start of the resource
 */
public record ByteRange(long length, long offset) {
  /** Validates. */
  public ByteRange {
    Preconditions.requireArgument(length >= 0 && offset >= 0, "invalid byte range %d@%d", length, offset);
  }

  /** The offset after the last byte of the range. */
  public long end() {
    return offset + length;
  }

  @Override
  public String toString() {
    return length + "@" + offset;
  }
}
