package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackgroundSegmentSinkTest {
  /** Records operations, slowly, and the most bytes ever handed over but not yet written. */
  private static final class SlowSink implements SegmentSink {
    final List<String> operations = Collections.synchronizedList(new ArrayList<>());
    final String failOn;

    SlowSink(String failOn) {
      this.failOn = failOn;
    }

    @Override
    public void write(String name, ByteSlice bytes) throws IOException {
      pause();
      if (name.equals(failOn)) {
        throw new IOException("disk full");
      }
      operations.add("write " + name + " " + bytes.length());
    }

    @Override
    public void delete(String name) {
      pause();
      operations.add("delete " + name);
    }

    private static void pause() {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void performsEverythingInOrderBeforeFinishReturns() throws IOException {
    SlowSink target = new SlowSink(null);
    List<String> expected = new ArrayList<>();
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1000)) {
      for (int i = 0; i < 40; i++) {
        sink.write("seg" + i, ByteSlice.wrap(new byte[100 + i]));
        expected.add("write seg" + i + " " + (100 + i));
        if (i % 10 == 9) {
          sink.delete("seg" + (i - 9));
          expected.add("delete seg" + (i - 9));
        }
      }
      sink.write("index.m3u8", ByteSlice.wrap(new byte[5]));
      expected.add("write index.m3u8 5");
      sink.finish();
      assertEquals(expected, new ArrayList<>(target.operations));
    }
  }

  @Test
  void queueStaysWithinItsByteBound() throws IOException {
    AtomicLong handedOver = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong maxPending = new AtomicLong();
    SegmentSink counting = new SegmentSink() {
      @Override
      public void write(String name, ByteSlice bytes) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.addAndGet(bytes.length());
      }

      @Override
      public void delete(String name) {}
    };
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(counting, 3000)) {
      for (int i = 0; i < 100; i++) {
        sink.write("s" + i, ByteSlice.wrap(new byte[1000]));
        handedOver.addAndGet(1000);
        maxPending.accumulateAndGet(handedOver.get() - written.get(), Math::max);
      }
      sink.finish();
    }
    assertEquals(100_000, written.get());
    // queued + being written stays within the bound
    assertTrue(maxPending.get() <= 3000, "pending bytes reached " + maxPending.get());
  }

  @Test
  void aFailureSurfacesAtTheNextCallOrAtFinish() {
    SlowSink target = new SlowSink("seg3");
    try (BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1 << 20)) {
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 1000; i++) {
          sink.write("seg" + i, ByteSlice.wrap(new byte[10]));
        }
        sink.finish();
      });
      assertTrue(e.getMessage().contains("seg3") && e.getMessage().contains("disk full"), e.getMessage());
      assertThrows(IOException.class, sink::finish); // and again
    }
    assertEquals(3, target.operations.size(), "nothing written after the failure: " + target.operations);
  }

  @Test
  void closeWithoutFinishDiscardsAndStops() throws IOException {
    SlowSink target = new SlowSink(null);
    BackgroundSegmentSink sink = BackgroundSegmentSink.of(target, 1 << 20);
    for (int i = 0; i < 200; i++) {
      sink.write("seg" + i, ByteSlice.wrap(new byte[10]));
    }
    sink.close();
    int done = target.operations.size();
    assertTrue(done < 200, "close waited for everything: " + done);
    assertThrows(IOException.class, () -> sink.write("late", ByteSlice.wrap(new byte[1])));
    assertEquals(done, target.operations.size());
  }
}
