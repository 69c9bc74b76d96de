package io.iptv.segmenter.es;

import static io.iptv.segmenter.es.EsTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.Crc32Mpeg2;
import io.iptv.core.media.Codec;
import io.iptv.core.media.SpliceCue;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.time.PtsUnwrapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SCTE-35 and ID3 readers. */
class MetadataReadersTest {
  private final PtsUnwrapper clock = new PtsUnwrapper();
  private final Scte35Reader scte35 =
      new Scte35Reader(new EsInfo(1, 0x1F0, 0x86, Codec.SCTE35, null, ByteSlice.empty()), clock);

  @Test
  void decodesPublishedSpliceInsertExample() throws Exception {
    // A widely used sample (SCTE 35 §14 style splice_insert), as decoded by public tools: event 0x4800008F,
    // out of network, pts_time 21514.559089 s, break_duration 60.293567 s with auto_return, one avail_descriptor.
    byte[] section = Base64.getDecoder().decode("/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=");
    List<StreamEvent> events = new ArrayList<>();
    scte35.consume(section, 0, section.length, Long.MIN_VALUE, Long.MIN_VALUE, false, events::add);
    assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0));
    SpliceCue cue = assertInstanceOf(SpliceCue.class, events.get(1));
    assertEquals(SpliceCue.Command.SPLICE_INSERT, cue.command());
    assertEquals(0x4800008FL, cue.eventId());
    assertTrue(cue.outOfNetwork());
    assertFalse(cue.cancel());
    assertEquals(21514.559089, cue.splicePts90k() / 90000.0, 1e-6);
    assertEquals(60.293567, cue.breakDuration90k() / 90000.0, 1e-6);
    assertTrue(cue.autoReturn());
    assertEquals(section.length, cue.section().length());
  }

  @Test
  void badCrcIsDropped() throws Exception {
    byte[] section = Base64.getDecoder().decode("/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=");
    section[20] ^= 1;
    assertNull(scte35.parse(section, 0, section.length));
  }

  @Test
  void timeSignalWithSegmentationDescriptorAndPtsAdjustmentWrap() throws Exception {
    clock.unwrap((1L << 33) - 900); // the program clock is just before the wrap
    long ptsTime = (1L << 33) - 100; // + adjustment 1000 wraps to 900
    byte[] section = timeSignal(ptsTime, 1000, 0x34, 30 * 90000L);
    SpliceCue cue = scte35.parse(section, 0, section.length);
    assertNotNull(cue);
    assertEquals(SpliceCue.Command.TIME_SIGNAL, cue.command());
    assertEquals((1L << 33) + 900, cue.splicePts90k(), "nearest to the program clock, past the wrap");
    assertEquals((1L << 33) - 900, clock.lastValue(), "nearest() must not move the clock");
    assertEquals(List.of(0x34), cue.segmentationTypeIds());
    assertEquals(0x1234, cue.eventId());
    assertEquals(30 * 90000L, cue.breakDuration90k());
    assertTrue(cue.outOfNetwork());
  }

  /** Builds a time_signal splice_info_section with one segmentation_descriptor and a correct CRC_32. */
  static byte[] timeSignal(long ptsTime, long ptsAdjustment, int segmentationTypeId, long duration90k) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0); // protocol_version
    body.write((int) ((ptsAdjustment >> 32) & 1)); // encrypted_packet 0, encryption_algorithm 0, pts_adjustment[32]
    writeInt(body, ptsAdjustment & 0xFFFFFFFFL, 4);
    body.write(0); // cw_index
    writeInt(body, 0xFFF005L, 3); // tier 0xFFF, splice_command_length 5
    body.write(0x06); // time_signal
    body.write((int) (0xFE | ((ptsTime >> 32) & 1))); // time_specified_flag, reserved, pts_time[32]
    writeInt(body, ptsTime & 0xFFFFFFFFL, 4);
    ByteArrayOutputStream descriptor = new ByteArrayOutputStream();
    descriptor.writeBytes("CUEI".getBytes(StandardCharsets.US_ASCII));
    writeInt(descriptor, 0x1234, 4); // segmentation_event_id
    descriptor.write(0x7F); // cancel 0, reserved
    descriptor.write(0xFF); // program_segmentation 1, duration 1, delivery_not_restricted 1, reserved
    writeInt(descriptor, duration90k, 5); // segmentation_duration
    descriptor.write(0); // segmentation_upid_type
    descriptor.write(0); // segmentation_upid_length
    descriptor.write(segmentationTypeId);
    descriptor.write(0); // segment_num
    descriptor.write(0); // segments_expected
    byte[] d = descriptor.toByteArray();
    writeInt(body, d.length + 2, 2); // descriptor_loop_length
    body.write(0x02);
    body.write(d.length);
    body.writeBytes(d);
    byte[] b = body.toByteArray();
    int sectionLength = b.length + 4;
    ByteArrayOutputStream section = new ByteArrayOutputStream();
    section.write(0xFC);
    section.write(0x30 | (sectionLength >> 8));
    section.write(sectionLength & 0xFF);
    section.writeBytes(b);
    byte[] withoutCrc = section.toByteArray();
    writeInt(section, Crc32Mpeg2.compute(withoutCrc, 0, withoutCrc.length) & 0xFFFFFFFFL, 4);
    return section.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >> (8 * i)));
    }
  }

  @Test
  void id3TagBecomesTimedMetadata() throws Exception {
    ElementaryStreamReader reader = EsTestSupport.reader(Codec.ID3);
    byte[] tag = EsTestSupport.concat(hex("494433 0400 00 0000000a"), new byte[10]);
    List<StreamEvent> events = new ArrayList<>();
    reader.consume(tag, 0, tag.length, 1234, 1234, false, events::add);
    reader.consume(hex("49443304000000ff0000"), 0, 10, 1300, 1300, false, events::add); // bad syncsafe size
    reader.consume(tag, 0, tag.length, Long.MIN_VALUE, Long.MIN_VALUE, false, events::add); // no PTS
    assertEquals(2, events.size());
    assertEquals(Codec.ID3, assertInstanceOf(StreamEvent.TrackAdded.class, events.get(0)).format().codec());
    StreamEvent.TimedMetadata metadata = assertInstanceOf(StreamEvent.TimedMetadata.class, events.get(1));
    assertEquals(1234, metadata.pts90k());
    assertEquals(tag.length, metadata.data().length());
  }
}
