package io.iptv.core.testing;

import static io.iptv.core.testing.SimulatedDamage.ANY_PID;
import static io.iptv.core.testing.SimulatedDamage.PACKET_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulatedDamageTest {
  private static final byte[] TS = TestMedia.bytes("h264_aac.ts");
  private static final int VIDEO = 0x100;

  @Test
  void clipIsPacketAligned() {
    assertEquals(0, TS.length % PACKET_SIZE);
    for (int i = 0; i < SimulatedDamage.packetCount(TS); i++) {
      assertEquals(0x47, TS[i * PACKET_SIZE] & 0xFF);
    }
  }

  @Test
  void dropEveryNthDropsOnlyThatPid() {
    byte[] original = TS.clone();
    int videoPackets = SimulatedDamage.packetCount(TS, VIDEO);
    byte[] damaged = SimulatedDamage.dropEveryNth(TS, VIDEO, 10);

    assertEquals(videoPackets - videoPackets / 10, SimulatedDamage.packetCount(damaged, VIDEO));
    assertEquals(SimulatedDamage.packetCount(TS, 0x101), SimulatedDamage.packetCount(damaged, 0x101));
    assertArrayEquals(original, TS, "input untouched");
  }

  @Test
  void dropRandomIsSeededAndRoughlyProportional() {
    byte[] a = SimulatedDamage.dropRandom(TS, ANY_PID, 0.1, 42);
    byte[] b = SimulatedDamage.dropRandom(TS, ANY_PID, 0.1, 42);
    byte[] c = SimulatedDamage.dropRandom(TS, ANY_PID, 0.1, 43);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    int dropped = SimulatedDamage.packetCount(TS) - SimulatedDamage.packetCount(a);
    int expected = SimulatedDamage.packetCount(TS) / 10;
    assertTrue(Math.abs(dropped - expected) < expected / 2, "dropped " + dropped + ", expected ~" + expected);
  }

  @Test
  void transportErrorIndicatorSetOnEveryNth() {
    byte[] damaged = SimulatedDamage.setTransportErrorIndicator(TS, 7);
    int flagged = 0;
    for (int i = 0; i < SimulatedDamage.packetCount(damaged); i++) {
      boolean tei = (damaged[i * PACKET_SIZE + 1] & 0x80) != 0;
      assertEquals((i + 1) % 7 == 0, tei, "packet " + i);
      flagged += tei ? 1 : 0;
    }
    assertEquals(SimulatedDamage.packetCount(TS) / 7, flagged);
    assertEquals(TS.length, damaged.length);
  }

  @Test
  void truncateCutsMidPacket() {
    byte[] cut = SimulatedDamage.truncate(TS, 10 * PACKET_SIZE + 50);
    assertEquals(10 * PACKET_SIZE + 50, cut.length);
    assertArrayEquals(Arrays.copyOf(TS, cut.length), cut);
    assertEquals(TS.length, SimulatedDamage.truncate(TS, Integer.MAX_VALUE).length);
  }

  @Test
  void garbageGoesBetweenPacketsWithoutSyncBytes() {
    byte[] damaged = SimulatedDamage.insertGarbage(TS, 5, 13, 9);
    int packets = SimulatedDamage.packetCount(TS);
    assertEquals(TS.length + packets / 5 * 13, damaged.length);
    // First garbage run follows packet 5.
    for (int g = 0; g < 13; g++) {
      assertNotEquals(0x47, damaged[5 * PACKET_SIZE + g] & 0xFF);
    }
    assertArrayEquals(Arrays.copyOfRange(TS, 5 * PACKET_SIZE, 6 * PACKET_SIZE),
        Arrays.copyOfRange(damaged, 5 * PACKET_SIZE + 13, 6 * PACKET_SIZE + 13));
  }

  @Test
  void duplicatesFollowTheirOriginal() {
    byte[] damaged = SimulatedDamage.duplicateEveryNth(TS, VIDEO, 4);
    int videoPackets = SimulatedDamage.packetCount(TS, VIDEO);
    assertEquals(videoPackets + videoPackets / 4, SimulatedDamage.packetCount(damaged, VIDEO));
    int firstDuplicateIndex = -1;
    int seen = 0;
    for (int i = 0; i < SimulatedDamage.packetCount(TS); i++) {
      if (SimulatedDamage.pid(TS, i) == VIDEO && ++seen == 4) {
        firstDuplicateIndex = i;
        break;
      }
    }
    byte[] original = Arrays.copyOfRange(TS, firstDuplicateIndex * PACKET_SIZE, (firstDuplicateIndex + 1) * PACKET_SIZE);
    assertArrayEquals(original, Arrays.copyOfRange(damaged, (firstDuplicateIndex + 1) * PACKET_SIZE,
        (firstDuplicateIndex + 2) * PACKET_SIZE));
  }

  @Test
  void rejectsNonPositiveN() {
    assertThrows(IllegalArgumentException.class, () -> SimulatedDamage.dropEveryNth(TS, VIDEO, 0));
  }
}
