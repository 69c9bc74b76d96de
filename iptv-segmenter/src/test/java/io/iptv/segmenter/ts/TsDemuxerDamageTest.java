package io.iptv.segmenter.ts;

import static io.iptv.core.testing.SimulatedDamage.ANY_PID;
import static io.iptv.core.testing.SimulatedDamage.PACKET_SIZE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.testing.ByteSplits;
import io.iptv.core.testing.SimulatedDamage;
import io.iptv.core.testing.TestMedia;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Damaged input is normal input: lost packets, TEI, truncation, garbage and duplicates on
 * {@code h264_aac.ts} must not throw, must show in the statistics, and must still yield most samples; no
 * damaged sample may be passed on as if it were whole.
 */
class TsDemuxerDamageTest {
  private static final String CLIP = "h264_aac.ts";
  private static final int VIDEO = 0x100;
  private static final int AUDIO = 0x101;
  private static final byte[] TS = TestMedia.bytes(CLIP);

  @Test
  void droppedVideoPacketsCountAsContinuityErrors() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    DemuxRun damaged = DemuxRun.of(SimulatedDamage.dropEveryNth(TS, VIDEO, 50));
    int lost = SimulatedDamage.packetCount(TS, VIDEO) / 50;

    PidStatistics video = damaged.pidStatistics(VIDEO);
    assertNotNull(video, "statistics of PID 0x100");
    assertAll(
        () -> assertEquals(lost, damaged.statistics().ccErrors(), "ccErrors (one per lost packet)"),
        () -> assertEquals(lost, video.ccErrors(), "ccErrors of PID 0x100"),
        () -> assertTrue(damaged.statistics().pesDropped() > 0, "pesDropped"),
        () -> assertEquals(clean.samples(AUDIO), damaged.samples(AUDIO), "audio untouched"),
        // Each lost packet may cost the access unit it belongs to and the one still being assembled.
        () -> assertAtLeast(clean.samples(VIDEO).size() - 2L * lost, damaged.samples(VIDEO).size(), "video samples"),
        () -> assertOnlyWholeSamples(clean, damaged));
  }

  @Test
  void randomPacketLossOnAllPids() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    byte[] lossy = SimulatedDamage.dropRandom(TS, ANY_PID, 0.01, 1234);
    DemuxRun damaged = DemuxRun.of(lossy);

    assertAll(
        () -> assertTrue(damaged.statistics().ccErrors() > 0, "ccErrors"),
        // A lost packet drops its whole PES; ffmpeg packs about ten AAC frames into one audio PES.
        () -> assertAtLeast(clean.samples().size() / 2, damaged.samples().size(), "samples"),
        () -> assertOnlyWholeSamples(clean, damaged),
        () -> assertEndsWithEndOfStream(damaged));
  }

  @Test
  void transportErrorIndicatorPacketsAreDropped() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    DemuxRun damaged = DemuxRun.of(SimulatedDamage.setTransportErrorIndicator(TS, 40));
    int flagged = SimulatedDamage.packetCount(TS) / 40;

    assertAll(
        () -> assertEquals(flagged, damaged.statistics().teiPackets(), "teiPackets"),
        () -> assertEquals(flagged, damaged.statistics().pids().stream().mapToLong(PidStatistics::teiPackets).sum(),
            "teiPackets over PIDs"),
        // Every 40th packet hits each IDR of this clip (about 36 packets each), and a video PES with a
        // flagged packet is dropped as the issue requires, so without parameter sets no picture can be
        // announced; audio PES are smaller and mostly survive.
        () -> assertAtLeast(clean.samples(AUDIO).size() / 2, damaged.samples(AUDIO).size(), "audio samples"),
        () -> assertOnlyWholeSamples(clean, damaged));
  }

  @Test
  void oneFlaggedPacketCostsOnlyItsOwnPicture() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    byte[] damagedTs = TS.clone();
    // The 200th packet of the video PID lies inside a P/B picture of the second GOP.
    int seen = 0;
    int flaggedIndex = -1;
    for (int i = 0; i < SimulatedDamage.packetCount(TS); i++) {
      if (SimulatedDamage.pid(TS, i) == VIDEO && ++seen == 200) {
        flaggedIndex = i;
        break;
      }
    }
    assertTrue(flaggedIndex >= 0, "clip has 200 video packets");
    damagedTs[flaggedIndex * PACKET_SIZE + 1] |= (byte) 0x80; // transport_error_indicator
    DemuxRun damaged = DemuxRun.of(damagedTs);

    assertAll(
        () -> assertEquals(1, damaged.statistics().teiPackets(), "teiPackets"),
        () -> assertEquals(1, damaged.statistics().pesDropped(), "pesDropped"),
        () -> assertEquals(clean.samples(AUDIO), damaged.samples(AUDIO), "audio untouched"),
        () -> assertEquals(clean.samples(VIDEO).size() - 1, damaged.samples(VIDEO).size(), "video samples"),
        () -> assertOnlyWholeSamples(clean, damaged));
  }

  @Test
  void truncatedLastPacketIsCounted() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    int length = TS.length - 100;
    DemuxRun damaged = DemuxRun.of(SimulatedDamage.truncate(TS, length));

    assertAll(
        () -> assertEquals(PACKET_SIZE - 100, damaged.statistics().truncatedBytes(), "truncatedBytes"),
        () -> assertEquals(length / PACKET_SIZE, damaged.statistics().packets(), "packets"),
        () -> assertAtLeast(clean.samples().size() - 2, damaged.samples().size(), "samples"),
        () -> assertEndsWithEndOfStream(damaged));
  }

  @Test
  void truncationAfterTheFirstPacketNeverThrows() throws Exception {
    for (int length = PACKET_SIZE; length < 4 * PACKET_SIZE; length += 5) {
      DemuxRun run = DemuxRun.of(SimulatedDamage.truncate(TS, length));
      assertEndsWithEndOfStream(run);
    }
  }

  @Test
  void lessThanOnePacketIsEitherNothingOrMalformed() {
    for (int length = 0; length < PACKET_SIZE; length += 3) {
      try {
        assertEndsWithEndOfStream(DemuxRun.of(SimulatedDamage.truncate(TS, length)));
      } catch (MediaException e) {
        assertEquals(MediaException.Kind.MALFORMED, e.kind(), "length " + length + ": " + e);
      }
    }
  }

  @Test
  void garbageBetweenPacketsIsSkipped() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    int every = 30;
    int garbageLength = 13;
    byte[] noisy = SimulatedDamage.insertGarbage(TS, every, garbageLength, 99);
    long garbage = (long) (SimulatedDamage.packetCount(TS) / every) * garbageLength;

    for (ByteSplits split : List.of(ByteSplits.aligned(Integer.MAX_VALUE), ByteSplits.random(300, 4))) {
      DemuxRun damaged = DemuxRun.of(noisy, DemuxRun.DEFAULT_PROGRAM, split);
      assertAll(split.name(),
          () -> assertEquals(garbage, damaged.statistics().bytesSkipped(), "bytesSkipped"),
          () -> assertTrue(damaged.statistics().syncLosses() > 0, "syncLosses"),
          () -> assertEquals(0, damaged.statistics().ccErrors(), "no packet was lost"),
          () -> assertEquals(clean.samples(), damaged.samples(), "all samples intact"));
    }
  }

  @Test
  void duplicatePacketsAreIgnored() throws Exception {
    DemuxRun clean = DemuxRun.of(TS);
    DemuxRun damaged = DemuxRun.of(SimulatedDamage.duplicateEveryNth(TS, VIDEO, 10));
    int duplicates = SimulatedDamage.packetCount(TS, VIDEO) / 10;

    assertAll(
        () -> assertEquals(duplicates, damaged.pidStatistics(VIDEO).duplicatePackets(), "duplicatePackets"),
        () -> assertEquals(0, damaged.statistics().ccErrors(), "ccErrors"),
        () -> assertEquals(clean.samples(), damaged.samples(), "all samples intact"));
  }

  @Test
  void everyDamageAtOnceInOneByteFeed() throws Exception {
    byte[] ts = SimulatedDamage.dropRandom(TS, ANY_PID, 0.02, 7);
    ts = SimulatedDamage.setTransportErrorIndicator(ts, 61);
    ts = SimulatedDamage.duplicateEveryNth(ts, AUDIO, 5);
    ts = SimulatedDamage.insertGarbage(ts, 17, 5, 8);
    ts = SimulatedDamage.truncate(ts, ts.length - 33);
    DemuxRun damaged = DemuxRun.of(ts, DemuxRun.DEFAULT_PROGRAM, ByteSplits.oneByte());
    DemuxRun clean = DemuxRun.of(TS);

    TsStatistics s = damaged.statistics();
    assertAll(
        () -> assertTrue(s.ccErrors() > 0, "ccErrors"),
        () -> assertTrue(s.teiPackets() > 0, "teiPackets"),
        () -> assertTrue(s.bytesSkipped() > 0, "bytesSkipped"),
        () -> assertTrue(s.truncatedBytes() > 0, "truncatedBytes"),
        () -> assertAtLeast(clean.samples().size() / 2, damaged.samples().size(), "samples"),
        () -> assertEndsWithEndOfStream(damaged));
  }

  /** Every sample that comes out of damaged input equals one of the clean input (payload and timing). */
  private static void assertOnlyWholeSamples(DemuxRun clean, DemuxRun damaged) {
    Set<MediaSample> whole = new HashSet<>(clean.samples());
    for (MediaSample s : damaged.samples()) {
      assertTrue(whole.contains(s), "damaged sample passed on: " + SampleDump.sample(s));
    }
  }

  private static void assertEndsWithEndOfStream(DemuxRun run) {
    List<StreamEvent> events = run.events();
    assertTrue(!events.isEmpty() && events.get(events.size() - 1) instanceof StreamEvent.EndOfStream,
        "last event is EndOfStream");
    assertEquals(1, events.stream().filter(StreamEvent.EndOfStream.class::isInstance).count(), "one EndOfStream");
  }

  private static void assertAtLeast(long minimum, long actual, String what) {
    assertTrue(actual >= minimum, what + ": " + actual + " < " + minimum);
  }
}
