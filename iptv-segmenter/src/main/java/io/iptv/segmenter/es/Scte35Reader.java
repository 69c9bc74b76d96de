package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.Crc32Mpeg2;
import io.iptv.core.media.Codec;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.PtsUnwrapper;
import io.iptv.core.time.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SCTE-35 splice information (ANSI/SCTE 35 2023, stream_type 0x86): each
 * {@link #consume} gets one whole {@code splice_info_section} (§9.6) and emits one {@link SpliceCue}.
 *
 * <p>Parsed: splice_null, splice_insert (§9.7.3: event id, cancel, out_of_network, program or first
 * component splice_time, break_duration), time_signal (§9.7.4) and the segmentation_descriptors
 * (§10.3.3, identifier 'CUEI') of the descriptor loop; other commands become {@link SpliceCue.Command}
 * values without details. The splice time is {@code (pts_time + pts_adjustment) mod 2^33} placed on the
 * program timeline with {@link PtsUnwrapper#nearest} (the reference does not move). For time_signal the
 * cue takes event id, cancel flag and duration from the first segmentation_descriptor, and is
 * out-of-network when that descriptor's segmentation_type_id starts a break or an ad/placement
 * opportunity (0x22, 0x30, 0x32, 0x34, 0x36, 0x38, 0x3A, 0x44, 0x46). An encrypted section (§11) becomes
 * a cue with command OTHER and no details. Sections with a bad CRC_32, another table_id or broken syntax
 * are dropped. Not thread-safe.
 */
final class Scte35Reader implements ElementaryStreamReader {
  private static final int TABLE_ID = 0xFC;
  private static final int CUEI = 0x43554549;
  private static final long MASK_33 = Timestamps.WRAP_90K - 1;

  private final EsInfo info;
  private final PtsUnwrapper programClock;
  private TrackFormat format;

  Scte35Reader(EsInfo info, PtsUnwrapper programClock) {
    this.info = info;
    this.programClock = programClock;
  }

  @Override
  public PayloadFormat payloadFormat() {
    return PayloadFormat.SECTIONS;
  }

  @Override
  public void consume(byte[] data, int offset, int length, long pts90k, long dts90k, boolean randomAccess,
      Emitter out) throws MediaException {
    SpliceCue cue = parse(data, offset, length);
    if (cue == null) {
      return;
    }
    if (format == null) {
      format = TrackFormat.builder(info.pid(), Codec.SCTE35).language(info.language()).build();
      out.emit(new StreamEvent.TrackAdded(format));
    }
    out.emit(cue);
  }

  /** Parses one section; null if it is not a valid splice_info_section. */
  SpliceCue parse(byte[] data, int offset, int length) {
    if (length < 3 || (data[offset] & 0xFF) != TABLE_ID) {
      return null;
    }
    int sectionLength = ((data[offset + 1] & 0x0F) << 8) | (data[offset + 2] & 0xFF); // section_length (12)
    int total = 3 + sectionLength;
    if (sectionLength < 15 || total > length || Crc32Mpeg2.compute(data, offset, total) != 0) {
      return null;
    }
    ByteSlice section = ByteSlice.copyOf(data, offset, total);
    try {
      return parseSection(new BitCursor(data, offset, total - 4), section);
    } catch (MediaException e) {
      return null; // truncated or inconsistent syntax
    }
  }

  private SpliceCue parseSection(BitCursor bits, ByteSlice section) throws MediaException {
    bits.skipBits(8); // table_id
    bits.skipBits(4); // section_syntax_indicator (1), private_indicator (1), sap_type (2)
    bits.skipBits(12); // section_length
    bits.skipBits(8); // protocol_version
    boolean encrypted = bits.readBit(); // encrypted_packet (1)
    bits.skipBits(6); // encryption_algorithm (6)
    long ptsAdjustment = bits.readBitsLong(33); // pts_adjustment (33)
    bits.skipBits(8); // cw_index
    bits.skipBits(12); // tier
    int commandLength = bits.readBits(12); // splice_command_length
    int commandType = bits.readBits(8); // splice_command_type
    if (encrypted) {
      return new SpliceCue(info.pid(), SpliceCue.Command.OTHER, Timestamps.NO_TIMESTAMP, -1, false, false, -1, false,
          List.of(), section);
    }
    long commandStart = bits.bitPosition();
    CueBuilder cue = new CueBuilder();
    SpliceCue.Command command;
    switch (commandType) {
      case 0x00 -> command = SpliceCue.Command.SPLICE_NULL;
      case 0x04 -> command = SpliceCue.Command.SPLICE_SCHEDULE;
      case 0x05 -> {
        command = SpliceCue.Command.SPLICE_INSERT;
        parseSpliceInsert(bits, cue, ptsAdjustment);
      }
      case 0x06 -> {
        command = SpliceCue.Command.TIME_SIGNAL;
        cue.splicePts90k = readSpliceTime(bits, ptsAdjustment);
      }
      case 0x07 -> command = SpliceCue.Command.BANDWIDTH_RESERVATION;
      default -> command = SpliceCue.Command.OTHER;
    }
    if (commandLength != 0xFFF) {
      // Skip to the declared end of the command (covers unparsed commands and trailing bytes).
      long end = commandStart + 8L * commandLength;
      if (end < bits.bitPosition()) {
        throw MediaException.malformed("splice command longer than splice_command_length");
      }
      bits.skipBits(end - bits.bitPosition());
    } else if (command != SpliceCue.Command.SPLICE_NULL && command != SpliceCue.Command.SPLICE_INSERT
        && command != SpliceCue.Command.TIME_SIGNAL) {
      throw MediaException.unsupported("legacy splice_command_length 0xFFF with unparsed command");
    }
    int descriptorLoopLength = bits.readBits(16); // descriptor_loop_length
    parseDescriptors(bits, descriptorLoopLength, cue, command == SpliceCue.Command.TIME_SIGNAL);
    return new SpliceCue(info.pid(), command, cue.splicePts90k, cue.eventId, cue.outOfNetwork, cue.cancel,
        cue.duration90k, cue.autoReturn, cue.segmentationTypeIds, section);
  }

  /** splice_insert() (§9.7.3). */
  private void parseSpliceInsert(BitCursor bits, CueBuilder cue, long ptsAdjustment) throws MediaException {
    cue.eventId = bits.readBitsLong(32); // splice_event_id
    cue.cancel = bits.readBit(); // splice_event_cancel_indicator
    bits.skipBits(7); // reserved
    if (cue.cancel) {
      return;
    }
    cue.outOfNetwork = bits.readBit(); // out_of_network_indicator
    boolean programSplice = bits.readBit(); // program_splice_flag
    boolean durationFlag = bits.readBit(); // duration_flag
    boolean immediate = bits.readBit(); // splice_immediate_flag
    bits.skipBits(4); // event_id_compliance_flag (1), reserved (3)
    if (programSplice && !immediate) {
      cue.splicePts90k = readSpliceTime(bits, ptsAdjustment);
    }
    if (!programSplice) {
      int componentCount = bits.readBits(8); // component_count
      for (int i = 0; i < componentCount; i++) {
        bits.skipBits(8); // component_tag
        if (!immediate) {
          long time = readSpliceTime(bits, ptsAdjustment);
          if (i == 0) {
            cue.splicePts90k = time;
          }
        }
      }
    }
    if (durationFlag) {
      // break_duration() (§10.3.2): auto_return (1), reserved (6), duration (33)
      cue.autoReturn = bits.readBit();
      bits.skipBits(6);
      cue.duration90k = bits.readBitsLong(33);
    }
    bits.skipBits(32); // unique_program_id (16), avail_num (8), avails_expected (8)
  }

  /** splice_time() (§10.3.1): the adjusted, unwrapped time, or NO_TIMESTAMP when not specified. */
  private long readSpliceTime(BitCursor bits, long ptsAdjustment) throws MediaException {
    if (bits.readBit()) { // time_specified_flag
      bits.skipBits(6); // reserved
      long ptsTime = bits.readBitsLong(33); // pts_time
      return programClock.nearest((ptsTime + ptsAdjustment) & MASK_33);
    }
    bits.skipBits(7); // reserved
    return Timestamps.NO_TIMESTAMP;
  }

  /** splice_descriptor() loop (§10.1); only segmentation_descriptor (§10.3.3) is interpreted. */
  private void parseDescriptors(BitCursor bits, int loopLength, CueBuilder cue, boolean timeSignal)
      throws MediaException {
    long end = bits.bitPosition() + 8L * loopLength;
    boolean first = true;
    while (bits.bitPosition() + 16 <= end) {
      int tag = bits.readBits(8); // splice_descriptor_tag
      int length = bits.readBits(8); // descriptor_length
      long descriptorEnd = bits.bitPosition() + 8L * length;
      if (descriptorEnd > end) {
        throw MediaException.malformed("splice descriptor overruns the loop");
      }
      if (tag == 0x02 && length >= 9 && bits.readBits(32) == CUEI) { // identifier
        long eventId = bits.readBitsLong(32); // segmentation_event_id
        boolean cancel = bits.readBit(); // segmentation_event_cancel_indicator
        bits.skipBits(7); // segmentation_event_id_compliance_indicator (1), reserved (6)
        long duration = -1;
        int typeId = -1;
        if (!cancel) {
          boolean programSegmentation = bits.readBit(); // program_segmentation_flag
          boolean durationFlag = bits.readBit(); // segmentation_duration_flag
          bits.skipBits(6); // delivery_not_restricted_flag (1), restriction flags or reserved (5)
          if (!programSegmentation) {
            int components = bits.readBits(8); // component_count
            bits.skipBits(48L * components); // component_tag (8), reserved (7), pts_offset (33)
          }
          if (durationFlag) {
            duration = bits.readBitsLong(40); // segmentation_duration
          }
          bits.skipBits(8); // segmentation_upid_type
          int upidLength = bits.readBits(8); // segmentation_upid_length
          bits.skipBits(8L * upidLength); // segmentation_upid()
          typeId = bits.readBits(8); // segmentation_type_id
          cue.segmentationTypeIds.add(typeId);
        }
        if (first && timeSignal) {
          cue.eventId = eventId;
          cue.cancel = cancel;
          cue.duration90k = duration;
          cue.outOfNetwork = isBreakStart(typeId);
        }
        first = false;
      }
      bits.skipBits(descriptorEnd - bits.bitPosition());
    }
  }

  /** Whether a segmentation_type_id (Table 23) opens a break or an ad/placement opportunity. */
  static boolean isBreakStart(int segmentationTypeId) {
    return switch (segmentationTypeId) {
      case 0x22, 0x30, 0x32, 0x34, 0x36, 0x38, 0x3A, 0x44, 0x46 -> true;
      default -> false;
    };
  }

  /** Mutable fields of the cue being parsed. */
  private static final class CueBuilder {
    long splicePts90k = Timestamps.NO_TIMESTAMP;
    long eventId = -1;
    boolean outOfNetwork;
    boolean cancel;
    long duration90k = -1;
    boolean autoReturn;
    final List<Integer> segmentationTypeIds = new ArrayList<>();
  }

  @Override
  public void seek() {
    // Each section is self-contained.
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
