package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InputQueueTest {
  @Test
  void keepsOrderAndContentAcrossTheWrapAndDropsWhenFull() {
    InputQueue queue = new InputQueue(5000, 1316);
    Random random = new Random(1);
    ArrayDeque<byte[]> expected = new ArrayDeque<>();
    long dropped = 0;
    byte[] target = new byte[1316];
    for (int round = 0; round < 20_000; round++) {
      if (random.nextInt(3) > 0) {
        byte[] entry = new byte[1 + random.nextInt(1316)];
        random.nextBytes(entry);
        if (queue.offer(entry, 0, entry.length, round)) {
          expected.add(entry);
        } else {
          dropped++;
          assertTrue(queue.usedBytes() + 12 + entry.length > 5000, "dropped although it fitted");
        }
      } else {
        int n = queue.poll(target);
        byte[] want = expected.poll();
        if (want == null) {
          assertEquals(-1, n);
        } else {
          assertArrayEquals(want, Arrays.copyOf(target, n));
        }
      }
    }
    assertTrue(dropped > 0, "the test never filled the queue");
    assertEquals(dropped, queue.droppedEntries());
  }

  @Test
  void byteBufferEntriesMatchArrayEntries() {
    InputQueue queue = new InputQueue(3000, 1316);
    Random random = new Random(2);
    byte[] target = new byte[1316];
    for (int i = 0; i < 1000; i++) {
      byte[] entry = new byte[1 + random.nextInt(1316)];
      random.nextBytes(entry);
      java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(entry.length + 3);
      direct.put(new byte[3]).put(entry).flip().position(3);
      assertTrue(queue.offer(direct, i));
      assertEquals(0, direct.remaining());
      assertEquals(entry.length, queue.poll(target));
      assertArrayEquals(entry, Arrays.copyOf(target, entry.length));
      assertEquals(i, queue.lastArrivalNanos());
    }
  }

  @Test
  void reportsArrivalTimes() {
    InputQueue queue = new InputQueue(1000, 188);
    queue.offer(new byte[188], 0, 188, 111);
    queue.offer(new byte[100], 0, 100, -5);
    byte[] target = new byte[188];
    assertEquals(188, queue.poll(target));
    assertEquals(111, queue.lastArrivalNanos());
    assertEquals(100, queue.poll(target));
    assertEquals(-5, queue.lastArrivalNanos());
    assertTrue(queue.isEmpty());
    assertFalse(queue.offer(new byte[188], 0, 188, 0) && false);
  }
}
