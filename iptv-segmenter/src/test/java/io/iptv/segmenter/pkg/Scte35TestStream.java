package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.Crc32Mpeg2;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.testing.ExternalTools;
import io.iptv.segmenter.ts.TsDemuxer;
import io.iptv.segmenter.ts.TsMuxer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test input with SCTE-35: an H.264 + AAC clip made by ffmpeg at test time (keyframe every second), demuxed
 * and remuxed by the library's {@link TsMuxer} with an SCTE-35 PID (stream_type 0x86, 'CUEI') carrying
 * splice_info_sections built here (ANSI/SCTE 35 §9.6, CRC_32 by {@link Crc32Mpeg2}), each written about 2 s
 * before its splice point.
 */
final class Scte35TestStream {
  static final int SCTE35_TRACK = 0x1F0;

  private Scte35TestStream() {}

  /** A section to insert: written before the first sample whose DTS reaches {@code at90k}. */
  record Insert(long at90k, byte[] section) {}

  /** The demuxed clip: formats and samples in stream order. */
  record Clip(List<TrackFormat> formats, List<MediaSample> samples) {
    /** PTS of the video keyframes, ascending. */
    List<Long> keyframes() {
      int video = formats.stream().filter(f -> f.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
      return samples.stream().filter(s -> s.trackId() == video && s.keyframe()).map(MediaSample::pts90k).sorted()
          .toList();
    }

    /** PTS of video frames that are not keyframes, ascending. */
    List<Long> otherFrames() {
      int video = formats.stream().filter(f -> f.type() == TrackType.VIDEO).findFirst().orElseThrow().trackId();
      return samples.stream().filter(s -> s.trackId() == video && !s.keyframe()).map(MediaSample::pts90k)
          .sorted().toList();
    }
  }

  /** ffmpeg: {@code seconds} of 320x180 25 fps H.264 (GOP 25, closed) + 48 kHz AAC as MPEG-TS. */
  static Path generate(Path dir, int seconds) throws Exception {
    Path ts = dir.resolve("clip.ts");
    String ffmpeg = ExternalTools.requireFfmpeg();
    Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", ts.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
    assertEquals(0, p.exitValue(), log);
    return ts;
  }

  static Clip demux(byte[] ts) throws MediaException {
    List<TrackFormat> formats = new ArrayList<>();
    List<MediaSample> samples = new ArrayList<>();
    TsDemuxer demuxer = TsDemuxer.builder().build(e -> {
      if (e instanceof StreamEvent.TrackAdded a) {
        formats.add(a.format());
      } else if (e instanceof MediaSample s) {
        samples.add(s);
      }
    });
    demuxer.feed(ts, 0, ts.length);
    demuxer.finish();
    return new Clip(formats, samples);
  }

  /** The clip remuxed as one TS with an SCTE-35 PID carrying {@code inserts}. */
  static byte[] remux(Clip clip, List<Insert> inserts) throws MediaException {
    TsMuxer muxer = TsMuxer.builder().trackIdsAsPids(true).build();
    for (TrackFormat f : clip.formats()) {
      if (f.type() == TrackType.VIDEO || f.type() == TrackType.AUDIO) {
        muxer.addTrack(f);
      }
    }
    muxer.addTrack(TrackFormat.builder(SCTE35_TRACK, Codec.SCTE35).build());
    List<Insert> pending = new ArrayList<>(inserts);
    pending.sort(Comparator.comparingLong(Insert::at90k));
    muxer.startSegment();
    for (MediaSample s : clip.samples()) {
      while (!pending.isEmpty() && s.dts90k() >= pending.get(0).at90k()) {
        muxer.writeSection(SCTE35_TRACK, ByteSlice.wrap(pending.remove(0).section()));
      }
      muxer.write(s);
    }
    for (Insert i : pending) {
      muxer.writeSection(SCTE35_TRACK, ByteSlice.wrap(i.section()));
    }
    return muxer.finishSegment().bytes().toByteArray();
  }

  /**
   * splice_info_section with splice_insert() (ANSI/SCTE 35 §9.7.3): program splice at {@code pts90k} (or
   * immediate when negative), with break_duration when {@code duration90k >= 0}.
   */
  static byte[] spliceInsert(long eventId, boolean outOfNetwork, long pts90k, long duration90k, boolean autoReturn) {
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
  static byte[] timeSignal(long pts90k, long segmentationEventId, int segmentationTypeId) {
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
    byte[] out = java.util.Arrays.copyOf(withoutCrc, withoutCrc.length + 4);
    out[out.length - 4] = (byte) (crc >>> 24);
    out[out.length - 3] = (byte) (crc >>> 16);
    out[out.length - 2] = (byte) (crc >>> 8);
    out[out.length - 1] = (byte) crc;
    assertEquals(3 + sectionLength, out.length, "section_length");
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

  static void write(Path file, byte[] bytes) throws Exception {
    Files.write(file, bytes);
  }
}
