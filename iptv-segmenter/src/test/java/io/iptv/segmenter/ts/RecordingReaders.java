package io.iptv.segmenter.ts;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.es.ElementaryStreamReader;
import io.iptv.segmenter.es.ElementaryStreamReaderFactory;
import io.iptv.segmenter.es.EsInfo;

/** Test readers: one sample per PES payload, one metadata event per section. */
final class RecordingReaders {
  private RecordingReaders() {}

  /** Readers for every known codec (SCTE-35 as sections); null for UNKNOWN. */
  static final ElementaryStreamReaderFactory FACTORY = (info, clock) -> {
    if (info.codec() == Codec.UNKNOWN) {
      return null;
    }
    return info.codec() == Codec.SCTE35 ? new SectionReaderStub(info) : new PesReaderStub(info);
  };

  /** Emits TrackAdded before its first sample, then one MediaSample per PES payload. */
  static final class PesReaderStub implements ElementaryStreamReader {
    final EsInfo info;
    TrackFormat format;
    int seeks;
    int flushes;

    PesReaderStub(EsInfo info) {
      this.info = info;
    }

    @Override
    public void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
        Emitter out) throws MediaException {
      if (format == null) {
        format = TrackFormat.builder(info.pid(), info.codec()).language(info.language()).build();
        out.emit(new StreamEvent.TrackAdded(format));
      }
      ByteSlice payload = ByteSlice.copyOf(data, offset, length);
      if (pts90k == NO_TIMESTAMP) {
        out.emit(new StreamEvent.TimedMetadata(info.pid(), NO_TIMESTAMP, payload));
      } else {
        out.emit(new MediaSample(info.pid(), pts90k, dts90k, randomAccess, payload));
      }
    }

    @Override
    public void seek() {
      seeks++;
    }

    @Override
    public void flush(Emitter out) {
      flushes++;
    }

    @Override
    public TrackFormat format() {
      return format;
    }
  }

  /** Like a video reader: emits each PES as a sample only when the next one arrives (or at flush). */
  static final class OneBehindReaderStub implements ElementaryStreamReader {
    final EsInfo info;
    MediaSample held;

    OneBehindReaderStub(EsInfo info) {
      this.info = info;
    }

    @Override
    public void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
        Emitter out) throws MediaException {
      if (held == null) {
        out.emit(new StreamEvent.TrackAdded(TrackFormat.builder(info.pid(), info.codec()).build()));
      } else {
        out.emit(held);
      }
      held = new MediaSample(info.pid(), pts90k, dts90k, randomAccess, ByteSlice.copyOf(data, offset, length));
    }

    @Override
    public void seek() {
      held = null;
    }

    @Override
    public void flush(Emitter out) throws MediaException {
      if (held != null) {
        out.emit(held);
        held = null;
      }
    }

    @Override
    public TrackFormat format() {
      return null;
    }
  }

  /** SECTIONS format: one TimedMetadata per section. */
  static final class SectionReaderStub implements ElementaryStreamReader {
    final EsInfo info;

    SectionReaderStub(EsInfo info) {
      this.info = info;
    }

    @Override
    public PayloadFormat payloadFormat() {
      return PayloadFormat.SECTIONS;
    }

    @Override
    public void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
        Emitter out) throws MediaException {
      out.emit(new StreamEvent.TimedMetadata(info.pid(), NO_TIMESTAMP, ByteSlice.copyOf(data, offset, length)));
    }

    @Override
    public void seek() {}

    @Override
    public void flush(Emitter out) {}

    @Override
    public TrackFormat format() {
      return null;
    }
  }
}
