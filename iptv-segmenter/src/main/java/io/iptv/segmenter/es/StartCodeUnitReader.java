package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.StartCodes;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.Timestamps;
import java.util.Arrays;

/**
 * Base of the video readers whose elementary stream is a sequence of units introduced by
 * {@code 00 00 01} start codes (H.264 / HEVC Annex B byte streams, ISO/IEC 13818-2 video): finds start
 * codes across payload boundaries, lets the subclass decide where an access unit begins, assigns PES
 * timestamps to access units and emits one {@link MediaSample} per access unit.
 *
 * <p>An access unit is emitted when the next one begins (or at {@link #flush}), so output lags input by
 * one access unit. Timestamps follow FFmpeg's parsers (see {@link TimestampQueue}): a PES timestamp goes
 * to the first access unit that starts in that PES. An access unit without a timestamp of its own gets
 * the previous one's plus one frame duration (when the frame rate is known), otherwise it is dropped; so
 * are access units before the subclass knows the track format (before the first parameter sets). An
 * access unit larger than {@link #MAX_UNIT_BYTES} is dropped and the reader resynchronises on the next
 * start code. With a {@link SampleBufferPool}, the payloads are lent from its blocks (release them there).
 * Not thread-safe.
 */
abstract class StartCodeUnitReader implements ElementaryStreamReader {
  /** Largest access unit kept; bigger ones are dropped. */
  static final int MAX_UNIT_BYTES = 8 << 20;
  private static final int MAX_NALS_PER_UNIT = 4096;

  protected final EsInfo info;
  /** Bytes of the access unit in progress and after; emitted units are views of it (see handOver). */
  private final ByteAccumulator buffer;
  private final TimestampQueue timestamps = new TimestampQueue();

  /** Stream offset of buffer index 0. */
  private long bufferBaseOffset;
  /** Total bytes consumed so far (stream offset of the next payload). */
  private long streamOffset;
  /** Next buffer index at which to look for a start code. */
  private int scanPosition;
  /** Whether the current unit began at a start code (false while skipping leading garbage). */
  private boolean inUnit;
  private int[] startCodePositions = new int[64];
  private int[] headerPositions = new int[64];
  private int nalCount;
  private long unitPts90k = Timestamps.NO_TIMESTAMP;
  private long unitDts90k = Timestamps.NO_TIMESTAMP;
  private long lastPts90k = Timestamps.NO_TIMESTAMP;
  private long lastDts90k = Timestamps.NO_TIMESTAMP;
  private TrackFormat format;
  private boolean formatAnnounced;

  StartCodeUnitReader(EsInfo info) {
    this(info, null);
  }

  /** A reader whose access units are lent from {@code pool}'s blocks (null: allocated). */
  StartCodeUnitReader(EsInfo info, SampleBufferPool pool) {
    this.info = info;
    this.buffer = new ByteAccumulator(256 * 1024, MAX_UNIT_BYTES, pool);
  }

  /** Bytes after the start code the subclass needs to classify a unit (NAL header, slice header start). */
  abstract int headerBytesNeeded();

  /**
   * Whether the unit whose header starts at {@code header} (with {@code available} bytes readable, possibly
   * fewer than {@link #headerBytesNeeded} at end of stream) begins a new access unit. Updates the
   * subclass's scanning state; after a {@code true} the base calls {@link #resetScanState} and then this
   * method again for the same unit.
   */
  abstract boolean beginsAccessUnit(byte[] data, int header, int available);

  /** Forgets scanning state (called when an access unit ends and after {@link #seek}). */
  abstract void resetScanState();

  /** Whether a {@code 00} byte right before a start code belongs to the following unit (H.264 zero_byte). */
  boolean zeroByteBelongsToNextUnit() {
    return true;
  }

  /**
   * Inspects a complete access unit: parses parameter sets, returns the (possibly updated) format or null
   * if still unknown, and sets {@link AccessUnit#keyframe}.
   */
  abstract TrackFormat inspect(AccessUnit unit, TrackFormat current);

  /** Nominal frame duration in 90 kHz ticks, or 0 if unknown. */
  long frameDuration90k() {
    TrackFormat f = format;
    return f == null || f.frameRate() <= 0 ? 0 : Math.round(Timestamps.TICKS_PER_SECOND / f.frameRate());
  }

  /** One complete access unit, as handed to {@link #inspect}: the NAL units (or start-code units) in it. */
  static final class AccessUnit {
    byte[] data;
    int start;
    int end;
    int count;
    int[] headers;
    int[] ends;
    boolean keyframe;

    /** Index of the first byte after the start code of unit {@code i}. */
    int header(int i) {
      return headers[i];
    }

    /** End (exclusive) of unit {@code i}, trailing zero bytes removed. */
    int end(int i) {
      return ends[i];
    }
  }

  private final AccessUnit unit = new AccessUnit();

  @Override
  public final void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
      Emitter out) throws MediaException {
    if (pts90k != Timestamps.NO_TIMESTAMP) {
      timestamps.add(streamOffset, pts90k, dts90k == Timestamps.NO_TIMESTAMP ? pts90k : dts90k);
    }
    streamOffset += length;
    int shift = buffer.append(data, offset, length);
    if (shift < 0) {
      // The access unit outgrew MAX_UNIT_BYTES: drop it and resynchronise on the next start code here.
      dropUnit();
      bufferBaseOffset = streamOffset - length;
      shift = buffer.append(data, offset, length);
      if (shift < 0) {
        bufferBaseOffset = streamOffset;
        return;
      }
    }
    if (shift > 0) {
      bufferBaseOffset += shift;
      scanPosition -= shift;
      for (int i = 0; i < nalCount; i++) {
        startCodePositions[i] -= shift;
        headerPositions[i] -= shift;
      }
    }
    scan(out, false);
  }

  @Override
  public void seek() {
    dropUnit();
    bufferBaseOffset = streamOffset;
    timestamps.clear();
    lastPts90k = Timestamps.NO_TIMESTAMP;
    lastDts90k = Timestamps.NO_TIMESTAMP;
  }

  @Override
  public final void flush(Emitter out) throws MediaException {
    scan(out, true);
    if (inUnit) {
      emitUnit(buffer.limit(), out);
    }
    dropUnit();
    bufferBaseOffset = streamOffset;
  }

  @Override
  public final TrackFormat format() {
    return format;
  }

  private void dropUnit() {
    buffer.clear();
    scanPosition = 0;
    inUnit = false;
    nalCount = 0;
    resetScanState();
  }

  private void scan(Emitter out, boolean endOfStream) throws MediaException {
    byte[] data = buffer.data();
    int limit = buffer.limit();
    int position = Math.max(scanPosition, buffer.start());
    while (true) {
      int startCode = StartCodes.next(data, position, limit);
      if (startCode < 0) {
        position = Math.max(position, limit - 2);
        break;
      }
      int header = startCode + 3;
      int available = limit - header;
      if (available < headerBytesNeeded() && !endOfStream) {
        position = startCode;
        break;
      }
      onStartCode(startCode, header, available, out);
      data = buffer.data();
      limit = buffer.limit();
      position = header;
    }
    if (!inUnit) {
      // Garbage before the first start code: keep only what may be the beginning of one (zero bytes).
      int keep = position;
      while (keep > buffer.start() && data[keep - 1] == 0) {
        keep--;
      }
      buffer.consumeTo(keep);
    }
    scanPosition = position;
    normalizeEmptyBuffer();
  }

  private void normalizeEmptyBuffer() {
    if (buffer.size() == 0) {
      buffer.clear();
      bufferBaseOffset = streamOffset;
      scanPosition = 0;
    }
  }

  private void onStartCode(int startCode, int header, int available, Emitter out) throws MediaException {
    byte[] data = buffer.data();
    int boundary = startCode;
    if (zeroByteBelongsToNextUnit() && startCode > buffer.start() && data[startCode - 1] == 0) {
      boundary = startCode - 1;
    }
    if (!inUnit) {
      // The first unit keeps the zero bytes before its start code (as FFmpeg's parsers do), not garbage.
      while (boundary > buffer.start() && data[boundary - 1] == 0) {
        boundary--;
      }
      buffer.consumeTo(boundary);
      beginUnit(boundary);
      beginsAccessUnit(data, header, available);
    } else if (beginsAccessUnit(data, header, available)) {
      emitUnit(boundary, out);
      buffer.consumeTo(boundary);
      resetScanState();
      beginUnit(boundary);
      beginsAccessUnit(data, header, available);
    }
    addNal(startCode, header);
  }

  private void beginUnit(int boundary) {
    inUnit = true;
    nalCount = 0;
    long unitOffset = bufferBaseOffset + boundary;
    if (timestamps.take(unitOffset)) {
      unitPts90k = timestamps.takenPts90k();
      unitDts90k = timestamps.takenDts90k();
    } else {
      unitPts90k = Timestamps.NO_TIMESTAMP;
      unitDts90k = Timestamps.NO_TIMESTAMP;
    }
  }

  private void addNal(int startCode, int header) {
    if (nalCount == MAX_NALS_PER_UNIT) {
      return; // absurd unit: later NAL units are still in the payload, just not inspected
    }
    if (nalCount == startCodePositions.length) {
      startCodePositions = Arrays.copyOf(startCodePositions, nalCount * 2);
      headerPositions = Arrays.copyOf(headerPositions, nalCount * 2);
    }
    startCodePositions[nalCount] = startCode;
    headerPositions[nalCount] = header;
    nalCount++;
  }

  private void emitUnit(int end, Emitter out) throws MediaException {
    byte[] data = buffer.data();
    int start = buffer.start();
    if (end <= start || nalCount == 0) {
      return;
    }
    unit.data = data;
    unit.start = start;
    unit.end = end;
    unit.count = nalCount;
    unit.headers = headerPositions;
    if (unit.ends == null || unit.ends.length < nalCount) {
      unit.ends = new int[headerPositions.length];
    }
    for (int i = 0; i < nalCount; i++) {
      int nalEnd = i + 1 < nalCount ? startCodePositions[i + 1] : end;
      while (nalEnd > headerPositions[i] && data[nalEnd - 1] == 0) {
        nalEnd--;
      }
      unit.ends[i] = nalEnd;
    }
    unit.keyframe = false;
    TrackFormat updated = inspect(unit, format);
    if (updated == null) {
      return; // format not known yet (no parameter sets so far): not decodable, dropped
    }
    if (!formatAnnounced) {
      format = updated;
      formatAnnounced = true;
      out.emit(new StreamEvent.TrackAdded(updated));
    } else if (!updated.equals(format)) {
      format = updated;
      out.emit(new StreamEvent.TrackChanged(updated));
    }
    long pts = unitPts90k;
    long dts = unitDts90k;
    if (pts == Timestamps.NO_TIMESTAMP) {
      long duration = frameDuration90k();
      if (lastPts90k == Timestamps.NO_TIMESTAMP || duration <= 0) {
        return; // no timestamp and none derivable: dropped
      }
      pts = lastPts90k + duration;
      dts = lastDts90k + duration;
    }
    lastPts90k = pts;
    lastDts90k = dts;
    out.emit(new MediaSample(info.pid(), pts, dts, unit.keyframe, buffer.handOver(start, end)));
  }
}
