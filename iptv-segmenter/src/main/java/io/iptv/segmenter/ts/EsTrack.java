package io.iptv.segmenter.ts;

import static io.iptv.core.time.Timestamps.NO_TIMESTAMP;

import io.iptv.core.MediaException;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.segmenter.es.ElementaryStreamReader;
import io.iptv.segmenter.es.EsInfo;

/**
 * One elementary stream of the selected program: its reassembly (a {@link PesReader}, or a
 * {@link SectionReader} for section-format readers such as SCTE-35), timestamp unwrapping on the program's
 * {@link ProgramTimeline}, and its {@link ElementaryStreamReader} behind a {@link TrackEmitter}. A stream
 * without a reader is announced once as {@link Codec#UNKNOWN} and its packets are skipped. Not thread-safe.
 */
final class EsTrack {
  /** State shared by the tracks of the selected program. */
  static final class Shared {
    final ProgramTimeline timeline;
    final int maxPesBytes;
    /** Where the tracks' events go; also places the program's discontinuities. */
    final DiscontinuityPlacer out;
    long dtsAfterPts;
    long pesDropped;
    long scrambledAvPackets;
    boolean clearAvPesDelivered;

    Shared(ProgramTimeline timeline, int maxPesBytes, DiscontinuityPlacer out) {
      this.timeline = timeline;
      this.maxPesBytes = maxPesBytes;
      this.out = out;
    }
  }

  private final Shared shared;
  private final TrackEmitter emitter;
  EsInfo info;
  private ElementaryStreamReader reader;
  private PesReader pes;
  private SectionReader sections;
  /** Whether this stream's DTS is watched for timestamp jumps. */
  boolean watched;
  boolean scrambledReported;
  long scrambledPackets;

  EsTrack(EsInfo info, ElementaryStreamReader reader, Shared shared) throws MediaException {
    this.shared = shared;
    this.emitter = new TrackEmitter(shared.out, minimalFormat(info));
    attach(info, reader);
  }

  boolean isAudioOrVideo() {
    TrackType type = info.codec().type();
    return type == TrackType.VIDEO || type == TrackType.AUDIO;
  }

  /** Replaces the reader after a PMT update changed the stream; the old one is flushed first. */
  void replace(EsInfo newInfo, ElementaryStreamReader newReader) throws MediaException {
    flush();
    attach(newInfo, newReader);
  }

  private void attach(EsInfo newInfo, ElementaryStreamReader newReader) throws MediaException {
    retire();
    this.info = newInfo;
    this.reader = newReader;
    this.pes = null;
    this.sections = null;
    emitter.fallback(minimalFormat(newInfo));
    if (newReader == null) {
      emitter.announce(TrackFormat.builder(newInfo.pid(), Codec.UNKNOWN).language(newInfo.language()).build());
    } else if (newReader.payloadFormat() == ElementaryStreamReader.PayloadFormat.SECTIONS) {
      sections = new SectionReader(this::onSection);
    } else {
      pes = new PesReader(this::onPes, shared.maxPesBytes);
    }
  }

  /** Consumes the payload of one clear packet. */
  void consume(byte[] data, int offset, int length, boolean payloadUnitStart, boolean randomAccess)
      throws MediaException {
    if (pes != null) {
      pes.consume(data, offset, length, payloadUnitStart, randomAccess);
    } else if (sections != null) {
      sections.consume(data, offset, length, payloadUnitStart);
    }
  }

  /**
   * Packets were lost: drops the PES in progress, lets the reader emit the units it completed from earlier
   * (intact) payloads, then resets it. Without the flush, a video reader that holds its last picture until
   * the next one starts would lose an intact frame (and with it possibly the format) for every gap.
   */
  void onDataLost() throws MediaException {
    if (pes != null && pes.reset()) {
      shared.pesDropped++;
    }
    if (sections != null) {
      sections.reset();
    }
    if (reader != null) {
      reader.flush(emitter);
      reader.seek();
    }
  }

  /** A scrambled packet: its payload is dropped; the track is marked scrambled once. */
  void onScrambled() throws MediaException {
    scrambledPackets++;
    if (isAudioOrVideo()) {
      shared.scrambledAvPackets++;
    }
    if (pes != null) {
      pes.reset();
    }
    if (sections != null) {
      sections.reset();
    }
    if (!scrambledReported) {
      scrambledReported = true;
      TrackFormat base = emitter.announced();
      if (base == null && reader != null) {
        base = reader.format();
      }
      if (base == null) {
        base = minimalFormat(info);
      }
      emitter.announce(base.toBuilder().scrambled(true).build());
    }
  }

  /** Delivers what is pending and flushes the reader (end of stream, stream removed or replaced). */
  void flush() throws MediaException {
    if (pes != null) {
      pes.flush();
    }
    if (reader != null) {
      reader.flush(emitter);
    }
  }

  /** PES packets dropped by the current reassembly and not yet added to the shared count. */
  long pesDroppedPending() {
    return pes == null ? 0 : pes.dropped;
  }

  /** Adds the reassembly's drop count to the shared count (before the reassembly goes away). */
  void retire() {
    if (pes != null) {
      shared.pesDropped += pes.dropped;
      pes.dropped = 0;
    }
  }

  private void onPes(byte[] data, int offset, int length, long pts33, long dts33, boolean randomAccess)
      throws MediaException {
    ProgramTimeline timeline = shared.timeline;
    long pts90k = NO_TIMESTAMP;
    long dts90k = NO_TIMESTAMP;
    if (pts33 >= 0) {
      long decode33 = dts33 >= 0 ? dts33 : pts33;
      dts90k = watched ? timeline.onWatched(timeline.dts, decode33, false, shared.out) : timeline.unwrap(decode33);
      pts90k = dts33 >= 0 ? timeline.clock.nearest(pts33) : dts90k;
      if (dts90k > pts90k) {
        shared.dtsAfterPts++;
      }
    }
    if (isAudioOrVideo()) {
      shared.clearAvPesDelivered = true;
    }
    reader.consume(data, offset, length, pts90k, dts90k, randomAccess, emitter);
  }

  private void onSection(byte[] section, int offset, int length) throws MediaException {
    reader.consume(section, offset, length, NO_TIMESTAMP, NO_TIMESTAMP, false, emitter);
  }

  private static TrackFormat minimalFormat(EsInfo info) {
    return TrackFormat.builder(info.pid(), info.codec()).language(info.language()).build();
  }
}
