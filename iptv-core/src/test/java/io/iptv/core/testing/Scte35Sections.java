package io.iptv.core.testing;

import io.iptv.core.io.Crc32Mpeg2;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Builds SCTE-35 splice_info_sections (ANSI/SCTE 35 §9.6) for tests: splice_insert and time_signal with one
 * segmentation_descriptor, pts_adjustment 0, tier 0xFFF, with a correct CRC_32 ({@link Crc32Mpeg2}). Stateless.
 *
 * <pre>{@code
 * byte[] out = Scte35Sections.spliceInsert(1001, true, splicePts90k, 30 * 90_000L, false);
 * byte[] in = Scte35Sections.spliceInsert(1001, false, returnPts90k, -1, false);
 * }</pre>
 */
public final class Scte35Sections {
  private Scte35Sections() {}

  /**
   * splice_info_section with splice_insert() (ANSI/SCTE 35 §9.7.3): program splice at {@code pts90k} (or
   * immediate when negative), with break_duration when {@code duration90k >= 0}.
   */
  public static byte[] spliceInsert(long eventId, boolean outOfNetwork, long pts90k, long duration90k, boolean autoReturn) {
    Bits c = new Bits();
    c.put(eventId, 32); // splice_event_id
    c.put(0, 1); // splice_event_cancel_indicator
    c.put(0x7F, 7); // reserved
    c.put(outOfNetwork ? 1 : 0, 1); // out_of_network_indicator
    c.put(1, 1); // program_splice_flag
    c.put(duration90k >= 0 ? 1 : 0, 1); // duration_flag
    c.put(pts90k < 0 ? 1 : 0, 1); // splice_immediate_flag
    c.put(1, 1); // event_id_compliance_flag
    c.put(0x7, 3); // reserved
    if (pts90k >= 0) {
      spliceTime(c, pts90k);
    }
    if (duration90k >= 0) {
      c.put(autoReturn ? 1 : 0, 1); // auto_return
      c.put(0x3F, 6); // reserved
      c.put(duration90k, 33); // duration
    }
    c.put(1, 16); // unique_program_id
    c.put(0, 8); // avail_num
    c.put(0, 8); // avails_expected
    return section(0x05, c.bytes(), new byte[0]);
  }

  /** splice_info_section with time_signal() and one segmentation_descriptor (§10.3.3), no UPID. */
  public static byte[] timeSignal(long pts90k, long segmentationEventId, int segmentationTypeId) {
    Bits c = new Bits();
    spliceTime(c, pts90k);
    Bits d = new Bits();
    d.put(0x02, 8); // splice_descriptor_tag: segmentation_descriptor
    d.put(15, 8); // descriptor_length
    d.put(0x43554549L, 32); // identifier 'CUEI'
    d.put(segmentationEventId, 32); // segmentation_event_id
    d.put(0, 1); // segmentation_event_cancel_indicator
    d.put(1, 1); // segmentation_event_id_compliance_indicator
    d.put(0x3F, 6); // reserved
    d.put(1, 1); // program_segmentation_flag
    d.put(0, 1); // segmentation_duration_flag
    d.put(1, 1); // delivery_not_restricted_flag
    d.put(0x1F, 5); // reserved
    d.put(0, 8); // segmentation_upid_type
    d.put(0, 8); // segmentation_upid_length
    d.put(segmentationTypeId, 8); // segmentation_type_id
    d.put(0, 8); // segment_num
    d.put(0, 8); // segments_expected
    return section(0x06, c.bytes(), d.bytes());
  }

  private static void spliceTime(Bits c, long pts90k) {
    c.put(1, 1); // time_specified_flag
    c.put(0x3F, 6); // reserved
    c.put(pts90k & ((1L << 33) - 1), 33); // pts_time
  }

  /** splice_info_section (§9.6) around a command, with CRC_32. */
  private static byte[] section(int commandType, byte[] command, byte[] descriptors) {
    Bits b = new Bits();
    int sectionLength = 11 + command.length + 2 + descriptors.length + 4;
    b.put(0xFC, 8); // table_id
    b.put(0, 1); // section_syntax_indicator
    b.put(0, 1); // private_indicator
    b.put(3, 2); // sap_type: not specified
    b.put(sectionLength, 12); // section_length
    b.put(0, 8); // protocol_version
    b.put(0, 1); // encrypted_packet
    b.put(0, 6); // encryption_algorithm
    b.put(0, 33); // pts_adjustment
    b.put(0, 8); // cw_index
    b.put(0xFFF, 12); // tier
    b.put(command.length, 12); // splice_command_length
    b.put(commandType, 8); // splice_command_type
    for (byte x : command) {
      b.put(x & 0xFF, 8);
    }
    b.put(descriptors.length, 16); // descriptor_loop_length
    for (byte x : descriptors) {
      b.put(x & 0xFF, 8);
    }
    byte[] withoutCrc = b.bytes();
    int crc = Crc32Mpeg2.compute(withoutCrc, 0, withoutCrc.length);
    byte[] out = Arrays.copyOf(withoutCrc, withoutCrc.length + 4);
    out[out.length - 4] = (byte) (crc >>> 24);
    out[out.length - 3] = (byte) (crc >>> 16);
    out[out.length - 2] = (byte) (crc >>> 8);
    out[out.length - 1] = (byte) crc;
    if (out.length != 3 + sectionLength) {
      throw new IllegalStateException("section_length " + sectionLength + " for " + out.length + " bytes");
    }
    return out;
  }

  /** MSB-first bit writer. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    void put(long value, int bits) {
      for (int i = bits - 1; i >= 0; i--) {
        current = (current << 1) | (int) ((value >>> i) & 1);
        if (++used == 8) {
          out.write(current);
          current = 0;
          used = 0;
        }
      }
    }

    byte[] bytes() {
      if (used != 0) {
        throw new IllegalStateException("not byte aligned");
      }
      return out.toByteArray();
    }
  }

}
