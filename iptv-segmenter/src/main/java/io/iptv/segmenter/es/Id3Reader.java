package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;

/**
 * Reads ID3 timed metadata (stream_type 0x15 with an ID3 metadata_descriptor; Apple "Timed Metadata for
 * HTTP Live Streaming"): each PES payload is one or more whole ID3v2 tags (ID3v2.4 §3.1), emitted as one
 * {@link StreamEvent.TimedMetadata} at the PES PTS.
 *
 * <p>A payload is dropped when it does not start with a sane ID3v2 header ({@code "ID3"}, version bytes
 * not 0xFF, syncsafe size bytes below 0x80, tag within the payload) or when its PES had no PTS (there is
 * no meaningful time to derive). The format (METADATA, codec ID3) is announced before the first event.
 * Not thread-safe.
 */
final class Id3Reader implements ElementaryStreamReader {
  private static final int HEADER_BYTES = 10;

  private final EsInfo info;
  private TrackFormat format;

  Id3Reader(EsInfo info) {
    this.info = info;
  }

  @Override
  public void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
      Emitter out) throws MediaException {
    if (pts90k == Timestamps.NO_TIMESTAMP || !isId3Tag(data, offset, length)) {
      return;
    }
    if (format == null) {
      format = TrackFormat.builder(info.pid(), Codec.ID3).language(info.language()).build();
      out.emit(new StreamEvent.TrackAdded(format));
    }
    out.emit(new StreamEvent.TimedMetadata(info.pid(), pts90k, ByteSlice.copyOf(data, offset, length)));
  }

  /** Whether {@code data[offset..offset+length)} starts with a plausible ID3v2 tag that fits in it. */
  static boolean isId3Tag(byte[] d, int o, int length) {
    if (length < HEADER_BYTES || d[o] != 'I' || d[o + 1] != 'D' || d[o + 2] != '3') {
      return false;
    }
    // version (2): major, revision, neither 0xFF; flags (1); size (4 × 7 bits, syncsafe)
    if ((d[o + 3] & 0xFF) == 0xFF || (d[o + 4] & 0xFF) == 0xFF) {
      return false;
    }
    int size = 0;
    for (int i = 6; i < 10; i++) {
      int b = d[o + i] & 0xFF;
      if (b >= 0x80) {
        return false;
      }
      size = (size << 7) | b;
    }
    boolean footer = (d[o + 5] & 0x10) != 0; // footer present flag (v2.4)
    return HEADER_BYTES + (long) size + (footer ? HEADER_BYTES : 0) <= length;
  }

  @Override
  public void seek() {
    // Each payload is self-contained: nothing to drop.
  }

  @Override
  public void flush(Emitter out) {
    // Nothing pending.
  }

  @Override
  public TrackFormat format() {
    return format;
  }
}
