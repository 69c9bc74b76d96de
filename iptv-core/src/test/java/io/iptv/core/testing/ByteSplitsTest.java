package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSplitsTest {
  private static final byte[] DATA = randomBytes(10_000);

  @Test
  void everySplitReassemblesTheInput() {
    for (ByteSplits split : ByteSplits.standard()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      split.feed(DATA, out::write);
      assertArrayEquals(DATA, out.toByteArray(), split.name());
    }
  }

  @Test
  void chunkLengthsFollowTheKind() {
    assertTrue(lengths(ByteSplits.oneByte()).stream().allMatch(l -> l == 1));
    List<Integer> aligned = lengths(ByteSplits.aligned(188));
    assertEquals(DATA.length / 188 + 1, aligned.size());
    assertTrue(aligned.subList(0, aligned.size() - 1).stream().allMatch(l -> l == 188));
    List<Integer> random = lengths(ByteSplits.random(50, 3));
    assertTrue(random.stream().allMatch(l -> l >= 1 && l <= 50));
    assertTrue(random.stream().distinct().count() > 10, "lengths vary");
    assertEquals(random, lengths(ByteSplits.random(50, 3)), "deterministic per seed");
  }

  private static List<Integer> lengths(ByteSplits split) {
    List<Integer> lengths = new ArrayList<>();
    split.feed(DATA, (data, offset, length) -> lengths.add(length));
    return lengths;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(5).nextBytes(bytes);
    return bytes;
  }
}
