package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;

/**
 * Base of the audio readers whose elementary stream is a sequence of self-delimiting frames that begin
 * with a sync word and carry their own length (ADTS, AC-3/E-AC-3, MPEG audio): finds frames across payload
 * boundaries, resynchronises on garbage, and emits one {@link MediaSample} per frame.
 *
 * <p>Timestamps follow FFmpeg's parsers (see {@link TimestampQueue}): a PES timestamp belongs to the first
 * frame starting in that PES; other frames get the previous frame's timestamp plus its duration, rounded
 * as FFmpeg does (see {@link #interpolatesStably}); frames before the first timestamp are
 * dropped. Every frame is a keyframe. Memory is bounded by {@link #MAX_BUFFER_BYTES}. Not thread-safe.
 */
abstract class SyncFrameReader implements ElementaryStreamReader {
  static final int MAX_BUFFER_BYTES = 256 * 1024;

  /** What the subclass found in a frame header. */
  static final class FrameHeader {
    /** Frame length in bytes (header included). */
    int frameBytes;
    /** PCM samples per channel the frame decodes to. */
    int samples;
    /** Sample rate in Hz. */
    int sampleRate;
    /** Whether this frame belongs to the sample of the frame before it (E-AC-3 dependent substream). */
    boolean joinsPrevious;
  }

  protected final EsInfo info;
  private final ByteAccumulator buffer = new ByteAccumulator(16 * 1024, MAX_BUFFER_BYTES);
  private final TimestampQueue timestamps = new TimestampQueue();
  private final FrameHeader header = new FrameHeader();
  private long bufferBaseOffset;
  private long streamOffset;
  private int position;
  private long lastPts90k = Timestamps.NO_TIMESTAMP;
  private int lastSamples;
  private int lastSampleRate;
  private TrackFormat format;
  private boolean formatAnnounced;
  // A frame held back because dependent frames may follow (only when holdsFrames()).
  private int pendingStart = -1;
  private int pendingEnd;
  private long pendingPts90k;

  SyncFrameReader(EsInfo info) {
    this.info = info;
  }

  /** Bytes needed to parse a header. */
  abstract int headerBytes();

  /**
   * Parses the header at {@code data[offset..offset+headerBytes())} into {@code header}; returns false if
   * these bytes are not a valid header (the search then moves on by one byte).
   */
  abstract boolean parseHeader(byte[] data, int offset, FrameHeader header);

  /** The format described by the frame whose header was parsed last (cache it; called per frame). */
  abstract TrackFormat formatOfLastHeader();

  /**
   * How a frame without its own timestamp gets one from the previous frame's. FFmpeg's parsers report a
   * frame duration for AC-3 and MPEG audio, which its demuxer rounds down to 90 kHz ticks and adds
   * ({@code false}, the default); for AAC it uses the decoder's exact frame duration through
   * {@code av_add_stable} ({@code true}, see {@link #addStable}).
   */
  boolean interpolatesStably() {
    return false;
  }

  /** Whether frames may be followed by frames that join their sample (E-AC-3). */
  boolean holdsFrames() {
    return false;
  }

  @Override
  public final void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
      Emitter out) throws MediaException {
    if (pts90k != Timestamps.NO_TIMESTAMP) {
      timestamps.add(streamOffset, pts90k, pts90k);
    }
    streamOffset += length;
    int shift = buffer.append(data, offset, length);
    if (shift < 0) {
      // Only garbage or an oversized frame can fill the buffer: drop it all and resynchronise here.
      resetBuffer();
      bufferBaseOffset = streamOffset - length;
      shift = buffer.append(data, offset, length);
      if (shift < 0) {
        resetBuffer();
        return;
      }
    }
    if (shift > 0) {
      bufferBaseOffset += shift;
      position -= shift;
      if (pendingStart >= 0) {
        pendingStart -= shift;
        pendingEnd -= shift;
      }
    }
    parse(out);
  }

  @Override
  public void seek() {
    resetBuffer();
    timestamps.clear();
    lastPts90k = Timestamps.NO_TIMESTAMP;
  }

  @Override
  public final void flush(Emitter out) throws MediaException {
    emitPending(out);
    resetBuffer();
  }

  @Override
  public final TrackFormat format() {
    return format;
  }

  private void resetBuffer() {
    buffer.clear();
    position = 0;
    pendingStart = -1;
    bufferBaseOffset = streamOffset;
  }

  private void parse(Emitter out) throws MediaException {
    byte[] data = buffer.data();
    int limit = buffer.limit();
    int headerBytes = headerBytes();
    position = Math.max(position, buffer.start());
    while (limit - position >= headerBytes) {
      if (!parseHeader(data, position, header) || header.frameBytes < headerBytes) {
        position++;
        continue;
      }
      int frameEnd = position + header.frameBytes;
      if (frameEnd > limit) {
        break; // the rest of the frame is in the next payload
      }
      onFrame(position, frameEnd, out);
      position = frameEnd;
    }
    buffer.consumeTo(pendingStart >= 0 ? pendingStart : position);
    if (buffer.size() == 0) {
      resetBuffer();
    }
  }

  private void onFrame(int start, int end, Emitter out) throws MediaException {
    if (header.joinsPrevious) {
      if (pendingStart >= 0 && pendingEnd == start) {
        pendingEnd = end;
      }
      return; // a dependent frame without its independent frame is dropped
    }
    emitPending(out);
    long frameOffset = bufferBaseOffset + start;
    long pts;
    if (timestamps.take(frameOffset)) {
      pts = timestamps.takenPts90k();
    } else if (lastPts90k != Timestamps.NO_TIMESTAMP) {
      pts = interpolatesStably()
          ? addStable(lastPts90k, lastSamples, lastSampleRate)
          : lastPts90k + lastSamples * Timestamps.TICKS_PER_SECOND / Math.max(1, lastSampleRate);
    } else {
      return; // before the first timestamp: dropped
    }
    lastPts90k = pts;
    lastSamples = header.samples;
    lastSampleRate = header.sampleRate;
    announce(formatOfLastHeader(), out);
    if (holdsFrames()) {
      pendingStart = start;
      pendingEnd = end;
      pendingPts90k = pts;
    } else {
      emit(start, end, pts, out);
    }
  }

  /**
   * {@code pts90k} advanced by {@code samples / sampleRate} seconds the way FFmpeg's {@code av_add_stable}
   * does it, so that interpolated timestamps match ffprobe exactly: the timestamp is placed on the absolute
   * grid of frame durations, moved one grid step, and its offset from the grid is kept. This spreads the
   * rounding of, e.g., 1024 / 44100 s over frames instead of always rounding down.
   */
  static long addStable(long pts90k, int samples, int sampleRate) {
    if (samples <= 0 || sampleRate <= 0) {
      return pts90k;
    }
    long m = samples * Timestamps.TICKS_PER_SECOND;
    long d = sampleRate;
    if (m % d == 0) {
      return pts90k + m / d;
    }
    if (m < d) {
      return pts90k;
    }
    long old = rescaleRounded(pts90k, d, m); // pts in units of frame durations
    long oldPts90k = rescaleRounded(old, m, d);
    return rescaleRounded(old + 1, m, d) + (pts90k - oldPts90k);
  }

  /** {@code value * multiplier / divisor}, rounded to nearest, halves away from zero (av_rescale). */
  private static long rescaleRounded(long value, long multiplier, long divisor) {
    long product = value * multiplier;
    long half = divisor / 2;
    return product >= 0 ? (product + half) / divisor : -((-product + half) / divisor);
  }

  private void emitPending(Emitter out) throws MediaException {
    if (pendingStart >= 0) {
      int start = pendingStart;
      pendingStart = -1;
      emit(start, pendingEnd, pendingPts90k, out);
    }
  }

  private void announce(TrackFormat current, Emitter out) throws MediaException {
    if (!formatAnnounced) {
      format = current;
      formatAnnounced = true;
      out.emit(new StreamEvent.TrackAdded(current));
    } else if (current != format && !current.equals(format)) {
      format = current;
      out.emit(new StreamEvent.TrackChanged(current));
    }
  }

  private void emit(int start, int end, long pts, Emitter out) throws MediaException {
    out.emit(new MediaSample(info.pid(), pts, pts, /* keyframe= */ true,
        ByteSlice.copyOf(buffer.data(), start, end - start)));
  }
}
